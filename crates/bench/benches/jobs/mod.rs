//! A job against the fake, for the paired harness: creates of fresh people by the
//! housekeeping library's `Apply` and by a raw reqwest loop, the same bodies at the same
//! concurrency.

use losant_invites_client::{Client, types};
use losant_invites_housekeeping::Plan;

use crate::common::{INSTANCE, ORG, TOKEN, raw_reqwest, sdk};

/// How many creates one job run makes, and how many are in flight at once.
pub const JOB_CREATES: usize = 2_000;
pub const JOB_CONCURRENCY: usize = 8;

/// A job against the fake: creates of fresh people, by the housekeeping library's `Apply`
/// and by a raw reqwest loop. The fake answers each create with the new invite alone, so
/// every answer is the same size whatever the organization holds.
pub struct Job {
    /// Kept running while the job lives.
    _fake: losant_invites_mock::MockServer,
    client: Client,
    reqwest: reqwest::Client,
    url: String,
    org: losant_invites_housekeeping::Org,
    accept_version: String,
}

impl Job {
    pub fn start() -> Self {
        // The fake serves from a runtime of its own, as a server would.
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            let fake = runtime.block_on(
                losant_invites_mock::MockServer::builder()
                    .token(TOKEN, ["all.Instance"])
                    .org(INSTANCE, ORG)
                    .create_answers(losant_invites_mock::CreateAnswer::Invite)
                    .start(),
            );
            sender.send(fake.unwrap()).unwrap();
            runtime.block_on(std::future::pending::<()>());
        });
        let fake = receiver.recv().unwrap();
        Self {
            client: sdk(fake.addr()),
            reqwest: raw_reqwest(),
            url: format!(
                "{}/instances/{INSTANCE}/orgs/{ORG}/invites?_actions=false&_links=true&_embedded=true",
                fake.url()
            ),
            org: losant_invites_housekeeping::Org::new(INSTANCE, ORG).unwrap(),
            accept_version: losant_invites_client::default_accept_version(),
            _fake: fake,
        }
    }

    /// The bodies of round `round`: people nobody has invited yet.
    fn bodies(round: usize, who: &str) -> Vec<types::OrgInvitePost> {
        (0..JOB_CREATES)
            .map(|n| types::OrgInvitePost {
                email: format!("{who}{round}-{n}@example.com").parse().unwrap(),
                role: types::OrgRole::View,
                application_roles: None,
                dashboard_roles: None,
                disallow_transfer: None,
            })
            .collect()
    }

    /// What `count` rounds send, made before any clock starts, so that each contender's time
    /// is its run alone: the library's plan of a roster, and raw reqwest's bodies.
    pub fn rounds(&self, count: usize) -> Vec<Round> {
        (0..count)
            .map(|round| {
                let roster =
                    losant_invites_housekeeping::Roster::new(Self::bodies(round, "sdk")).unwrap();
                let snapshot = losant_invites_housekeeping::Snapshot::new(
                    self.org.clone(),
                    chrono::Utc::now(),
                    Vec::new(),
                );
                Round {
                    plan: losant_invites_housekeeping::plan_roster::invite_roster(
                        &snapshot, &roster,
                    ),
                    bodies: Self::bodies(round, "raw"),
                }
            })
            .collect()
    }

    /// The library's run of a roster's plan.
    pub async fn apply(&self, plan: &Plan) {
        let report = losant_invites_housekeeping::Apply::new(&self.client, plan)
            .concurrency(JOB_CONCURRENCY)
            .run(&mut ())
            .await;
        assert_eq!(report.totals(plan).succeeded, JOB_CREATES);
    }

    /// Raw reqwest sending the same creates at the same concurrency, each answer decoded.
    pub async fn raw(&self, bodies: &[types::OrgInvitePost]) {
        use futures_util::StreamExt;
        let made = futures_util::stream::iter(bodies)
            .map(|body| async move {
                let response = self
                    .reqwest
                    .post(&self.url)
                    .json(body)
                    .header("authorization", format!("Bearer {TOKEN}"))
                    .header("accept", "application/json")
                    .header("accept-version", &self.accept_version)
                    .header("user-agent", losant_invites_client::default_user_agent())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
                let answer: types::OrgInviteCollection =
                    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
                answer.created_invite(body.email.as_str()).is_some()
            })
            .buffer_unordered(JOB_CONCURRENCY)
            .filter(|made| std::future::ready(*made))
            .count()
            .await;
        assert_eq!(made, JOB_CREATES);
    }
}

/// One round's input for each contender.
pub struct Round {
    plan: Plan,
    bodies: Vec<types::OrgInvitePost>,
}

impl Round {
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn bodies(&self) -> &[types::OrgInvitePost] {
        &self.bodies
    }
}
