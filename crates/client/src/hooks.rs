//! progenitor's hooks, through which every generated request passes: `pre` refuses what a
//! read-only client may not send, and adds the credentials and headers Losant's own clients
//! send (and the client's default `losantdomain`, where the request has none), and `exec` sends the request as one
//! attempt (see [`crate::attempts`]; retries are the call's, [`crate::call`]).

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderName, USER_AGENT};

use crate::Client;
use crate::settings::Settings;

/// The version header Losant reads (progenitor's own `api-version` is dropped at generation).
const ACCEPT_VERSION: HeaderName = HeaderName::from_static("accept-version");
/// The domain scope header; a request's own value, set through its builder, wins over the
/// client's default.
const LOSANTDOMAIN: HeaderName = HeaderName::from_static("losantdomain");

impl ClientHooks<Settings> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let settings = self.inner();
        // A read-only client sends reads alone; a dry run sends nothing, so it may build any.
        if settings.read_only && !request.method().is_safe() && !crate::call::is_dry_run() {
            return Err(progenitor_client::Error::InvalidRequest(format!(
                "the client is read-only: a {} is not sent",
                request.method()
            )));
        }
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, settings.authorization.clone());
        headers.insert(ACCEPT_VERSION, settings.accept_version.clone());
        headers.insert(USER_AGENT, settings.user_agent.clone());
        if let Some(domain) = &settings.losantdomain
            && !headers.contains_key(LOSANTDOMAIN)
        {
            headers.insert(LOSANTDOMAIN, domain.clone());
        }
        Ok(())
    }

    // A plain `fn`: the attempt's own future is the hook's, with no layer around it to copy.
    fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> {
        let sender = crate::attempts::Sender {
            http: self.client(),
            settings: self.inner(),
        };
        crate::attempts::send(sender, request)
    }
}
