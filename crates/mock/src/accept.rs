//! Serving connections: the accept loop, within the connection limit and its timeouts, each
//! connection served by hyper.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

use crate::connections::{Admission, Connections, TrackedStream};
use crate::faults::DropConnection;

#[derive(Debug)]
struct ConnectionDropped;

impl std::fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for ConnectionDropped {}

/// Accepts connections until `stop` fires, within the connection limit, and closes those that
/// overstay their timeouts. Each connection is served by hyper directly rather than by
/// `axum::serve`, because only there can a handler close a connection without answering (a
/// service error makes hyper drop it).
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    mut stop: watch::Receiver<bool>,
    connections: Arc<Connections>,
) {
    let mut check = tokio::time::interval(connections.check_interval());
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: say so, free one, and back off
                // instead of spinning.
                Err(e) => {
                    connections.warn(format_args!(
                        "cannot accept a connection ({e}); closing the longest idle one"
                    ));
                    connections.close_longest_idle();
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = check.tick() => {
                connections.close_overdue();
                continue;
            }
            _ = stop.changed() => return,
        };
        let _ = stream.set_nodelay(true);
        let (connection, registered) = match connections.admit() {
            Admission::Serve(connection, registered) => (connection, registered),
            Admission::Refuse => {
                tokio::spawn(refuse(stream));
                continue;
            }
        };
        let router = router.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let _registered = registered;
            let tracked = Arc::clone(&connection);
            let service = hyper::service::service_fn(
                move |request: hyper::Request<hyper::body::Incoming>| {
                    let router = router.clone();
                    let connection = Arc::clone(&tracked);
                    async move {
                        connection.request_started();
                        let ends = RequestEnds(connection);
                        let Ok(response) = router.oneshot(request.map(Body::new)).await;
                        if response.extensions().get::<DropConnection>().is_some() {
                            return Err(ConnectionDropped);
                        }
                        // The request ends when its answer's body is sent (or given up).
                        Ok(response.map(|body| {
                            Body::new(http_body_util::BodyExt::map_frame(body, move |frame| {
                                let _ = &ends;
                                frame
                            }))
                        }))
                    }
                },
            );
            let io =
                hyper_util::rt::TokioIo::new(TrackedStream::new(stream, Arc::clone(&connection)));
            let serving = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
            tokio::select! {
                _ = serving => {}
                _ = stop.changed() => {}
                _ = connection.closed() => {}
            }
        });
    }
}

/// Marks a request of a connection as ended when dropped.
struct RequestEnds(Arc<crate::connections::Connection>);

impl Drop for RequestEnds {
    fn drop(&mut self) {
        self.0.request_ended();
    }
}

/// Answers a connection over the limit with a 503 and closes it.
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;

    let body = json!({
        "type": "ServiceUnavailable",
        "message": "the fake has reached its connection limit (--max-connections); retry shortly",
    })
    .to_string();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(answer.as_bytes())).await;
}
