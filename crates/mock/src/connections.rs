//! The fake's open connections: how long each has waited and for what, so that a client that
//! sends half a request, or leaves a connection idle, cannot hold it forever, and so that the
//! number open stays under a limit while a normal request is still served.

use std::collections::BTreeMap;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;

/// How long the fake waits for a client, and how many connections it keeps open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// From a request's first byte to the end of its head (request line and headers).
    pub header_read: Duration,
    /// From the end of a request's head to the end of its body.
    pub body_read: Duration,
    /// How long a connection may wait, between requests, for the next one to start.
    pub idle: Duration,
    /// The most connections open at once; at the limit the longest idle one is closed to let
    /// a new one in. Keep it below the process's open-file limit (often 1024).
    pub max_connections: usize,
}

/// The default [`Limits::header_read`].
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The default [`Limits::body_read`].
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The default [`Limits::idle`].
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The default [`Limits::max_connections`]: half the usual open-file limit of 1024, which
/// leaves room for everything else a test process opens.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read: DEFAULT_HEADER_READ_TIMEOUT,
            body_read: DEFAULT_BODY_READ_TIMEOUT,
            idle: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// What one connection is doing, as its reads and its requests report it.
struct State {
    /// Requests whose answer is not yet made.
    in_flight: u32,
    /// Since when the connection has waited with no request in flight.
    idle_since: Instant,
    /// When the first byte of the next request's head arrived, if it has.
    head_started: Option<Instant>,
    /// Told to close; it no longer counts against the limit.
    closing: bool,
}

/// One open connection.
pub(crate) struct Connection {
    state: Mutex<State>,
    close: Notify,
}

impl Connection {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Tells the connection to close.
    fn close(&self) {
        self.state().closing = true;
        self.close.notify_one();
    }

    fn is_closing(&self) -> bool {
        self.state().closing
    }

    /// Waits until the connection is to be closed.
    pub(crate) async fn closed(&self) {
        self.close.notified().await;
    }

    /// A request's head has arrived and its handling starts.
    pub(crate) fn request_started(&self) {
        let mut state = self.state();
        state.in_flight += 1;
        state.head_started = None;
    }

    /// A request's answer is made.
    pub(crate) fn request_ended(&self) {
        let mut state = self.state();
        state.in_flight = state.in_flight.saturating_sub(1);
        if state.in_flight == 0 {
            state.idle_since = Instant::now();
        }
    }

    fn bytes_arrived(&self) {
        let mut state = self.state();
        if state.in_flight == 0 && state.head_started.is_none() {
            state.head_started = Some(Instant::now());
        }
    }

    /// Since when the connection has been idle (no request in flight, no request begun).
    fn idle_since(&self) -> Option<Instant> {
        let state = self.state();
        (state.in_flight == 0 && state.head_started.is_none() && !state.closing)
            .then_some(state.idle_since)
    }

    /// Whether it has overstayed `limits` now.
    fn overdue(&self, limits: &Limits, now: Instant) -> bool {
        let state = self.state();
        if state.in_flight > 0 || state.closing {
            // The body-read timeout and the handler bound a request in flight.
            return false;
        }
        match state.head_started {
            Some(started) => now.duration_since(started) > limits.header_read,
            None => now.duration_since(state.idle_since) > limits.idle,
        }
    }
}

/// Every open connection of one fake.
pub(crate) struct Connections {
    limits: Limits,
    open: Mutex<BTreeMap<u64, Arc<Connection>>>,
    next_id: Mutex<u64>,
    /// Seconds since `started` of the last warning, so warnings come at most once a second.
    last_warning: AtomicU32,
    started: Instant,
}

/// What [`Connections::admit`] decided for a new connection.
pub(crate) enum Admission {
    /// Serve it; it is registered until the guard drops.
    Serve(Arc<Connection>, Registered),
    /// Every connection is busy at the limit: answer 503 and close.
    Refuse,
}

/// Removes a connection from the register when its task ends.
pub(crate) struct Registered {
    connections: Arc<Connections>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.connections.open().remove(&self.id);
    }
}

impl Connections {
    pub(crate) fn new(limits: Limits) -> Arc<Self> {
        Arc::new(Self {
            limits,
            open: Mutex::new(BTreeMap::new()),
            next_id: Mutex::new(0),
            last_warning: AtomicU32::new(u32::MAX),
            started: Instant::now(),
        })
    }

    fn open(&self) -> MutexGuard<'_, BTreeMap<u64, Arc<Connection>>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a new connection, closing the longest idle one first when the limit is
    /// reached.
    pub(crate) fn admit(self: &Arc<Self>) -> Admission {
        let count = self
            .open()
            .values()
            .filter(|connection| !connection.is_closing())
            .count();
        if count >= self.limits.max_connections {
            if self.close_longest_idle() {
                self.warn(format_args!(
                    "{count} connections open, the limit (--max-connections); closed the longest idle one"
                ));
            } else {
                self.warn(format_args!(
                    "{count} connections open, the limit (--max-connections), all busy; answering 503"
                ));
                return Admission::Refuse;
            }
        }
        let id = {
            let mut next = self
                .next_id
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            *next += 1;
            *next
        };
        let connection = Arc::new(Connection {
            state: Mutex::new(State {
                in_flight: 0,
                idle_since: Instant::now(),
                head_started: None,
                closing: false,
            }),
            close: Notify::new(),
        });
        self.open().insert(id, Arc::clone(&connection));
        Admission::Serve(
            connection,
            Registered {
                connections: Arc::clone(self),
                id,
            },
        )
    }

    /// Closes the connection idle the longest, if one is idle; says whether one was.
    pub(crate) fn close_longest_idle(&self) -> bool {
        let open = self.open();
        let longest = open
            .values()
            .filter_map(|connection| connection.idle_since().map(|since| (since, connection)))
            .min_by_key(|(since, _)| *since);
        match longest {
            Some((_, connection)) => {
                connection.close();
                true
            }
            None => false,
        }
    }

    /// Closes every connection that overstayed its timeout.
    pub(crate) fn close_overdue(&self) {
        let now = Instant::now();
        for connection in self.open().values() {
            if connection.overdue(&self.limits, now) {
                connection.close();
            }
        }
    }

    /// How often [`close_overdue`](Self::close_overdue) should run: often enough that no
    /// timeout is overrun by more than a quarter of itself.
    pub(crate) fn check_interval(&self) -> Duration {
        (self.limits.header_read.min(self.limits.idle) / 4)
            .clamp(Duration::from_millis(10), Duration::from_secs(1))
    }

    /// Says `what` on stderr, at most once a second.
    pub(crate) fn warn(&self, what: std::fmt::Arguments<'_>) {
        let now = u32::try_from(self.started.elapsed().as_secs()).unwrap_or(u32::MAX - 1);
        let last = self.last_warning.swap(now, Ordering::Relaxed);
        if last != now {
            // Nobody may be reading stderr; the fake serves on regardless.
            let _ = writeln!(std::io::stderr(), "losant-invites-mock: {what}");
        }
    }
}

/// A connection's socket, telling the connection when bytes arrive.
pub(crate) struct TrackedStream {
    stream: TcpStream,
    connection: Arc<Connection>,
}

impl TrackedStream {
    pub(crate) fn new(stream: TcpStream, connection: Arc<Connection>) -> Self {
        Self { stream, connection }
    }
}

impl AsyncRead for TrackedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.connection.bytes_arrived();
        }
        polled
    }
}

impl AsyncWrite for TrackedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_connections: usize) -> Limits {
        Limits {
            header_read: Duration::from_millis(100),
            body_read: Duration::from_millis(100),
            idle: Duration::from_millis(300),
            max_connections,
        }
    }

    #[test]
    fn a_begun_head_is_held_to_the_header_timeout_and_an_idle_wait_to_the_idle_one() {
        let connections = Connections::new(limits(10));
        let Admission::Serve(connection, _registered) = connections.admit() else {
            panic!("admitted");
        };
        let start = connection.state().idle_since;
        let limits = connections.limits;
        assert!(!connection.overdue(&limits, start + Duration::from_millis(200)));
        assert!(connection.overdue(&limits, start + Duration::from_millis(301)));
        connection.bytes_arrived();
        let begun = connection.state().head_started.unwrap();
        assert!(connection.overdue(&limits, begun + Duration::from_millis(101)));
        connection.request_started();
        assert!(!connection.overdue(&limits, begun + Duration::from_secs(60)));
        connection.request_ended();
        assert!(connection.idle_since().is_some());
    }

    #[test]
    fn at_the_limit_the_longest_idle_connection_makes_room() {
        use futures_util::FutureExt;

        let connections = Connections::new(limits(2));
        let Admission::Serve(first, _a) = connections.admit() else {
            panic!("admitted")
        };
        let Admission::Serve(second, _b) = connections.admit() else {
            panic!("admitted")
        };
        second.request_started();
        // The third is let in by closing the first, the only idle one...
        let Admission::Serve(third, _c) = connections.admit() else {
            panic!("admitted")
        };
        assert!(
            first.closed().now_or_never().is_some(),
            "the idle one was told to close"
        );
        assert!(second.closed().now_or_never().is_none());
        // ...and when every connection is busy, a new one is refused.
        first.request_started();
        third.request_started();
        assert!(matches!(connections.admit(), Admission::Refuse));
    }
}
