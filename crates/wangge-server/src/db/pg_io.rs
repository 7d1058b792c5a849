//! PostgreSQL's connections, driven on the thread that waits for them. A storage thread
//! (the writer, a reader, the CLI) sends a statement and then, instead of waking a
//! separate connection thread and sleeping until it hands the answer back, polls the
//! `tokio-postgres` connection itself and blocks in a plain socket read until PostgreSQL
//! answers. A trivial statement took 98 µs with a thread and runtime per connection (two
//! hand-overs each way on a busy 2-core machine); ARCHITECTURE.md has the figure now.
//! Nothing here enters a tokio runtime, so a connection may be used, and dropped,
//! anywhere.

use std::future::Future;
use std::io::{self, Read, Write};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::config::Host;
use tokio_postgres::tls::NoTlsStream;

use super::DbError;

/// The connection state a client's requests are answered through.
pub(super) type Driver = Pin<Box<tokio_postgres::Connection<Socket, NoTlsStream>>>;

/// A blocking TCP or Unix socket to PostgreSQL, shared by the connection (which reads and
/// writes it) and the waiting thread (which reads ahead, [`Socket::fill`]). The
/// connection's reads only take what `fill` has already received, so polling it never
/// blocks; the thread blocks in `fill` only when the connection has nothing left to do
/// but wait for PostgreSQL's answer.
#[derive(Clone)]
pub(super) struct Socket(Arc<Mutex<Inner>>);

struct Inner {
    stream: Stream,
    received: Vec<u8>,
    /// How much of `received` the connection has taken.
    taken: usize,
    /// The end of the stream (`None` inside: a clean end) once `fill` met it.
    ended: Option<Option<io::ErrorKind>>,
}

enum Stream {
    Tcp(std::net::TcpStream),
    Unix(std::os::unix::net::UnixStream),
}

impl Stream {
    fn io(&mut self) -> &mut dyn ReadWrite {
        match self {
            Stream::Tcp(s) => s,
            Stream::Unix(s) => s,
        }
    }
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

impl Socket {
    /// Connects to the first host `config` names (TCP with Nagle off, or the Unix socket
    /// `DIR/.s.PGSQL.PORT`).
    fn connect(config: &tokio_postgres::Config) -> Result<Socket, DbError> {
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let host = config.get_hosts().first().cloned().unwrap_or(Host::Tcp("localhost".into()));
        let unreachable = |e: io::Error| DbError::Worker(format!("connect to PostgreSQL: {e}"));
        let stream = match host {
            Host::Tcp(name) => {
                let stream = std::net::TcpStream::connect((name.as_str(), port)).map_err(unreachable)?;
                stream.set_nodelay(true).map_err(unreachable)?;
                Stream::Tcp(stream)
            }
            Host::Unix(dir) => Stream::Unix(
                std::os::unix::net::UnixStream::connect(dir.join(format!(".s.PGSQL.{port}"))).map_err(unreachable)?,
            ),
        };
        let inner = Inner { stream, received: Vec::with_capacity(64 * 1024), taken: 0, ended: None };
        Ok(Socket(Arc::new(Mutex::new(inner))))
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Only ever held for one read or write; a panic in between leaves bytes, not a
        // broken invariant.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Blocks until PostgreSQL sends something (or the stream ends), and keeps it.
    fn fill(&self) {
        let mut inner = self.lock();
        if inner.ended.is_some() {
            return;
        }
        if inner.taken == inner.received.len() {
            inner.received.clear();
            inner.taken = 0;
        }
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match inner.stream.io().read(&mut chunk) {
                Ok(0) => inner.ended = Some(None),
                Ok(n) => inner.received.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => inner.ended = Some(Some(e.kind())),
            }
            return;
        }
    }
}

impl Inner {
    fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        match &self.stream {
            Stream::Tcp(s) => s.set_nonblocking(on),
            Stream::Unix(s) => s.set_nonblocking(on),
        }
    }
}

impl AsyncRead for Socket {
    /// What `fill` received; `Pending` when that is used up (no waker is registered: the
    /// waiting loop fills again before it polls again).
    fn poll_read(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let mut inner = self.lock();
        let taken = inner.taken;
        let left = &inner.received[taken..];
        if !left.is_empty() {
            let n = left.len().min(buf.remaining());
            buf.put_slice(&left[..n]);
            inner.taken += n;
            return Poll::Ready(Ok(()));
        }
        match inner.ended {
            Some(None) => Poll::Ready(Ok(())),
            Some(Some(kind)) => Poll::Ready(Err(io::Error::new(kind, "the PostgreSQL socket failed"))),
            None => Poll::Pending,
        }
    }
}

impl AsyncWrite for Socket {
    /// Writes at once (the caller is a thread that may block).
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Poll::Ready(self.lock().stream.io().write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.lock().stream.io().flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        let how = std::net::Shutdown::Write;
        Poll::Ready(match &self.lock().stream {
            Stream::Tcp(s) => s.shutdown(how),
            Stream::Unix(s) => s.shutdown(how),
        })
    }
}

/// Takes in, without blocking, what PostgreSQL sent while the connection sat idle (a
/// notice, or the message and end of a connection it closed) and lets the connection
/// act on it: false when the connection is gone. Checked before a transaction or a
/// lone statement, so a dropped connection is opened again instead of failing a request.
pub(super) fn still_open(driver: &mut Option<Driver>, socket: &Socket) -> bool {
    {
        let mut inner = socket.lock();
        if inner.ended.is_none() && inner.set_nonblocking(true).is_ok() {
            let mut chunk = [0u8; 4096];
            loop {
                match inner.stream.io().read(&mut chunk) {
                    Ok(0) => inner.ended = Some(None),
                    Ok(n) => {
                        inner.received.extend_from_slice(&chunk[..n]);
                        continue;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => inner.ended = Some(Some(e.kind())),
                }
                break;
            }
            if inner.set_nonblocking(false).is_err() {
                inner.ended = Some(Some(io::ErrorKind::Other));
            }
        }
    }
    let mut cx = Context::from_waker(Waker::noop());
    if let Some(Poll::Ready(result)) = driver.as_mut().map(|d| d.as_mut().poll(&mut cx)) {
        if let Err(e) = result {
            tracing::info!(error = %e, "a PostgreSQL connection ended while idle");
        }
        *driver = None;
    }
    driver.is_some()
}

/// Opens a connection: the socket, then PostgreSQL's start-up exchange on it.
pub(super) fn connect(config: &tokio_postgres::Config) -> Result<(tokio_postgres::Client, Driver, Socket), DbError> {
    let socket = Socket::connect(config)?;
    let mut handshake = pin!(config.connect_raw(socket.clone(), tokio_postgres::NoTls));
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(done) = handshake.as_mut().poll(&mut cx) {
            let (client, connection) = done?;
            return Ok((client, Box::pin(connection), socket));
        }
        socket.fill();
    }
}

/// Runs `request` to its end, driving `driver` (the connection it goes through) on this
/// thread. A connection that ends is dropped, which fails its requests, and `None` left.
///
/// The thread blocks reading the socket only when neither side can move without
/// PostgreSQL: a wake-up during a round of polls (the request took a message and freed
/// the connection's one-slot channel to it, or the connection handed the request one)
/// means another round first — a large result comes through that channel in pieces.
pub(super) fn wait<F: Future>(driver: &mut Option<Driver>, socket: &Socket, request: F) -> F::Output {
    let woken = Arc::new(Woken(AtomicBool::new(false)));
    let waker = Waker::from(Arc::clone(&woken));
    let mut cx = Context::from_waker(&waker);
    let mut request = pin!(request);
    loop {
        woken.0.store(false, Ordering::SeqCst);
        if let Poll::Ready(out) = request.as_mut().poll(&mut cx) {
            return out;
        }
        let connection_waits = match driver.as_mut().map(|d| d.as_mut().poll(&mut cx)) {
            Some(Poll::Pending) => true,
            Some(Poll::Ready(result)) => {
                if let Err(e) = result {
                    tracing::warn!(error = %e, "a PostgreSQL connection ended");
                }
                *driver = None;
                false
            }
            None => false,
        };
        if let Poll::Ready(out) = request.as_mut().poll(&mut cx) {
            return out;
        }
        if connection_waits && !woken.0.load(Ordering::SeqCst) {
            socket.fill();
        }
    }
}

/// Set when anything polled in a round asks to be polled again.
struct Woken(AtomicBool);

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}
