//! Runs of plans against the fake over loopback: lost answers settled by listing again, never
//! by acting twice; a run stopped in the middle gives an exact account; a reporter hears of
//! every step once.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use losant_invites_client::Client;
use losant_invites_housekeeping::{
    Answer, Apply, Cancel, Intent, Org, Outcome, Plan, Reporter, Roster, Selection, Snapshot,
    email_key, plan_invites, plan_roster,
};
use losant_invites_mock::{Action, Fault, MockServer, Seed, demo};

async fn fake() -> MockServer {
    MockServer::builder()
        .seed(Seed::demo())
        .start()
        .await
        .expect("the fake starts")
}

fn client(fake: &MockServer) -> Client {
    Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(fake.url())
        .request_timeout(Duration::from_secs(5))
        .build()
        .expect("a client")
}

fn org() -> Org {
    Org::new(demo::INSTANCE_ID, demo::ORG_ID).unwrap()
}

fn roster(emails: &[String]) -> Roster {
    let mut text = "email,role\n".to_owned();
    for email in emails {
        text.push_str(&format!("{email},view\n"));
    }
    Roster::parse(text.as_bytes()).unwrap()
}

/// The pending invites of each email, as the fake holds them now.
async fn pending_now(client: &Client) -> HashMap<String, usize> {
    let now = Snapshot::read(client, &org()).await.unwrap();
    let mut pending = HashMap::new();
    for invite in now.invites.iter().filter(|invite| now.is_pending(invite)) {
        *pending
            .entry(email_key(invite.email.as_deref().unwrap()))
            .or_default() += 1;
    }
    pending
}

fn posts(fake: &MockServer) -> usize {
    fake.requests()
        .iter()
        .filter(|request| request.method == "POST")
        .count()
}

/// Every step it hears of, and how often.
#[derive(Default)]
struct Heard(HashMap<usize, usize>);

impl Reporter for Heard {
    fn finished(&mut self, step: usize, _outcome: &Outcome) {
        *self.0.entry(step).or_default() += 1;
    }
}

#[tokio::test]
async fn lost_answers_are_settled_by_listing_again_never_by_sending_again() {
    let fake = fake().await;
    let client = client(&fake);
    let emails: Vec<String> = (0..4).map(|n| format!("lost{n}@example.com")).collect();
    // The first create acts and its answer is lost; the second's connection closes before the
    // fake acts; the others are answered.
    fake.script(Action::Create, [Fault::ActedDrop, Fault::Drop]);
    let snapshot = Snapshot::read(&client, &org()).await.unwrap();
    let plan = plan_roster::invite_roster(&snapshot, &roster(&emails));
    let mut heard = Heard::default();
    let report = Apply::new(&client, &plan)
        .concurrency(1)
        .run(&mut heard)
        .await;

    assert_eq!(posts(&fake), 4, "each row sent once, none again");
    let totals = report.totals(&plan);
    assert_eq!((totals.succeeded, totals.failed), (3, 1), "{report:#?}");
    assert_eq!(totals.confirmed_by_listing, 1);
    match &report.outcomes[0] {
        Outcome::Done(done) => {
            assert!(done.confirmed_by_listing);
            let Answer::Invite(invite) = &done.answer else {
                panic!("{done:?}")
            };
            assert_eq!(invite.email.as_deref().unwrap(), "lost0@example.com");
        }
        other => panic!("the lost answer is found done: {other:?}"),
    }
    match &report.outcomes[1] {
        Outcome::Failed(failed) => {
            let listed = failed.listed_again.as_ref().expect("listed again");
            assert!(!listed.may_have_taken_effect, "{listed:?}");
            assert!(!report.outcomes[1].may_have_taken_effect());
        }
        other => panic!("the dropped request did not act: {other:?}"),
    }
    assert!(heard.0.values().all(|&times| times == 1), "{:?}", heard.0);
    assert_eq!(heard.0.len(), plan.steps.len());

    // Planned again: only the row that did not take effect is invited, and then every
    // email has exactly one pending invite.
    let again = plan_roster::invite_roster(
        &Snapshot::read(&client, &org()).await.unwrap(),
        &roster(&emails),
    );
    assert_eq!(again.acting().count(), 1);
    let report = Apply::new(&client, &again).run(&mut ()).await;
    assert_eq!(report.totals(&again).failed, 0);
    let pending = pending_now(&client).await;
    for email in &emails {
        assert_eq!(pending.get(email), Some(&1), "{email}");
    }
}

#[tokio::test]
async fn a_renewal_whose_answer_was_lost_is_found_by_its_new_invite() {
    let fake = fake().await;
    let client = client(&fake);
    fake.script(Action::ResendInvite, [Fault::ActedHtml { status: 504 }]);
    let expired = Selection {
        expired: true,
        ..Default::default()
    };
    let snapshot = Snapshot::read_invites(&client, &org(), &expired.query_whole_emails())
        .await
        .unwrap();
    let plan = plan_invites::for_selection(&snapshot, &expired, &Intent::Renew);
    assert!(!plan.is_empty());
    let report = Apply::new(&client, &plan).concurrency(1).run(&mut ()).await;
    let totals = report.totals(&plan);
    assert_eq!(totals.failed, 0, "{report:#?}");
    assert_eq!(totals.confirmed_by_listing, 1);
    assert_eq!(posts(&fake), plan.acting().count(), "none resent twice");
    let again = plan_invites::for_selection(
        &Snapshot::read_invites(&client, &org(), &expired.query_whole_emails())
            .await
            .unwrap(),
        &expired,
        &Intent::Renew,
    );
    assert!(again.is_empty(), "{again:#?}");
}

#[tokio::test]
async fn a_run_stopped_midway_accounts_for_every_step_exactly() {
    let fake = fake().await;
    let client = client(&fake);
    fake.set_latency(Action::Create, Duration::from_millis(50));
    let emails: Vec<String> = (0..40).map(|n| format!("crowd{n}@example.com")).collect();
    let snapshot = Snapshot::read(&client, &org()).await.unwrap();
    let plan: Plan = plan_roster::invite_roster(&snapshot, &roster(&emails));
    let cancel = Cancel::new();
    let stopper = cancel.clone();
    let stop = async {
        while posts(&fake) < 6 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stopper.stop();
    };
    let mut quiet = ();
    let run = Apply::new(&client, &plan)
        .concurrency(3)
        .cancel(&cancel)
        .run(&mut quiet);
    let (report, ()) = tokio::join!(run, stop);

    assert!(report.interrupted);
    let totals = report.totals(&plan);
    assert!(totals.not_attempted > 0, "{totals:?}");
    assert_eq!(
        totals.succeeded + totals.failed + totals.not_attempted + totals.unanswered,
        emails.len(),
        "every step accounted for: {totals:?}"
    );
    // What the run says it did is what the organization holds.
    let pending = pending_now(&client).await;
    let mut made = HashSet::new();
    for (step, outcome) in plan.steps.iter().zip(&report.outcomes) {
        let email = email_key(step.subject.email.as_deref().unwrap());
        match outcome {
            Outcome::Done(_) => {
                made.insert(email.clone());
                assert_eq!(pending.get(&email), Some(&1), "{email} was invited");
            }
            Outcome::NotAttempted => assert_eq!(pending.get(&email), None, "{email} was not"),
            other => panic!("{email}: {other:?}"),
        }
    }
    assert_eq!(made.len(), posts(&fake), "every invite made is reported");

    // Run again: exactly the rest are invited.
    fake.set_latency(Action::Create, Duration::ZERO);
    let again = plan_roster::invite_roster(
        &Snapshot::read(&client, &org()).await.unwrap(),
        &roster(&emails),
    );
    assert_eq!(again.acting().count(), emails.len() - made.len());
    let report = Apply::new(&client, &again).run(&mut ()).await;
    assert_eq!(report.totals(&again).failed, 0);
    let pending = pending_now(&client).await;
    assert!(emails.iter().all(|email| pending.get(email) == Some(&1)));
}

#[tokio::test]
async fn stopping_now_leaves_the_requests_in_flight_unanswered() {
    let fake = fake().await;
    let client = client(&fake);
    fake.set_latency(Action::Create, Duration::from_secs(3));
    let emails: Vec<String> = (0..4).map(|n| format!("slow{n}@example.com")).collect();
    let snapshot = Snapshot::read(&client, &org()).await.unwrap();
    let plan = plan_roster::invite_roster(&snapshot, &roster(&emails));
    let cancel = Cancel::new();
    let stopper = cancel.clone();
    let stop = async {
        while posts(&fake) < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stopper.escalate();
        stopper.escalate();
    };
    let mut quiet = ();
    let run = Apply::new(&client, &plan)
        .concurrency(2)
        .cancel(&cancel)
        .run(&mut quiet);
    let (report, ()) = tokio::join!(run, stop);
    let totals = report.totals(&plan);
    assert!(report.interrupted);
    assert_eq!(
        (totals.unanswered, totals.not_attempted),
        (2, 2),
        "{totals:?}"
    );
    assert!(report.outcomes[0].may_have_taken_effect());
}

#[tokio::test]
async fn a_revocation_of_an_invite_already_gone_counts_as_the_run_is_told() {
    let fake = fake().await;
    let client = client(&fake);
    let org = org();
    let id = demo::INVITE_ID.parse().unwrap();
    let plan = plan_invites::for_one(&org, &id, &Intent::Revoke);
    let first = Apply::new(&client, &plan).run(&mut ()).await;
    assert!(matches!(first.outcomes[0], Outcome::Done(_)));
    let strict = Apply::new(&client, &plan).run(&mut ()).await;
    assert!(matches!(strict.outcomes[0], Outcome::Failed(_)));
    let lenient = Apply::new(&client, &plan)
        .ignore_missing(true)
        .run(&mut ())
        .await;
    assert!(matches!(lenient.outcomes[0], Outcome::AlreadyGone(_)));
    assert_eq!(lenient.totals(&plan).already_gone, 1);
}
