//! The plugin's listening socket: a unix socket readable by its owner alone (in
//! `PLUGIN_UNIX_SOCKET_DIR` or a private temporary directory) and removed on exit, or TCP on
//! 127.0.0.1 within the host's port range when unix sockets are unavailable or asked for.
//!
//! Binding is synchronous and happens before the async runtime starts, so the umask change
//! that keeps the socket private from its first moment affects no other thread.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdTcpListener};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::OwnedSemaphorePermit;

use crate::error::{Error, Result};
use crate::handshake::{HandshakeConfig, ListenAddr, Transport};
use crate::log;

/// A bound listener, not yet registered with the runtime.
pub struct BoundListener {
    socket: Socket,
    addr: ListenAddr,
    cleanup: Option<Cleanup>,
}

enum Socket {
    #[cfg(unix)]
    Unix(std::os::unix::net::UnixListener),
    Tcp(StdTcpListener),
}

/// Removes the socket file (and the private directory holding it) when dropped.
struct Cleanup {
    socket_path: std::path::PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.socket_path);
    }
}

impl BoundListener {
    /// Binds as the handshake configuration says; falls back to TCP (with a warning) when a
    /// unix socket cannot be created. `name` ([`crate::PluginSpec::name`]) names the socket
    /// file and its private directory.
    pub fn bind(cfg: &HandshakeConfig, name: &str) -> Result<BoundListener> {
        #[cfg(unix)]
        if cfg.transport == Transport::Unix {
            match bind_unix(cfg, name) {
                Ok(l) => return Ok(l),
                Err(e) => {
                    log::warning!("cannot listen on a unix socket ({e}); using TCP on 127.0.0.1")
                }
            }
        }
        bind_tcp(cfg.port_range)
    }

    pub fn addr(&self) -> &ListenAddr {
        &self.addr
    }

    /// Registers the socket with the current tokio runtime.
    pub fn into_async(self) -> io::Result<Listener> {
        let BoundListener {
            socket,
            addr,
            cleanup,
        } = self;
        let inner = match socket {
            #[cfg(unix)]
            Socket::Unix(l) => {
                l.set_nonblocking(true)?;
                Inner::Unix(tokio::net::UnixListener::from_std(l)?)
            }
            Socket::Tcp(l) => {
                l.set_nonblocking(true)?;
                Inner::Tcp(tokio::net::TcpListener::from_std(l)?)
            }
        };
        Ok(Listener {
            inner,
            addr,
            _cleanup: cleanup,
        })
    }
}

#[cfg(unix)]
fn bind_unix(cfg: &HandshakeConfig, name: &str) -> io::Result<BoundListener> {
    use std::os::unix::fs::PermissionsExt;

    let (dir_path, dir_guard) = match &cfg.socket_dir {
        Some(d) => (d.clone(), None),
        None => {
            // A fresh directory only we can enter.
            let d = tempfile::Builder::new()
                .prefix(&format!("{name}-plugin-"))
                .permissions(std::fs::Permissions::from_mode(0o700))
                .tempdir()?;
            (d.path().to_path_buf(), Some(d))
        }
    };
    // A unique name, also when several plugins share PLUGIN_UNIX_SOCKET_DIR.
    let file = format!(
        "{name}-{}-{}.sock",
        std::process::id(),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000_000
    );
    let path = dir_path.join(file);
    let listener = if dir_guard.is_some() {
        // Nobody else can enter the private directory, so the socket's default mode is
        // harmless until it is narrowed below.
        std::os::unix::net::UnixListener::bind(&path)?
    } else {
        // In a shared directory the socket must be private from its first moment.
        // SAFETY: umask only changes the process file-creation mask; `run_plugin` binds
        // before the runtime starts any thread, so no concurrent file creation sees it.
        let old = unsafe { libc::umask(0o177) };
        let bound = std::os::unix::net::UnixListener::bind(&path);
        unsafe { libc::umask(old) };
        bound?
    };
    let cleanup = Cleanup {
        socket_path: path.clone(),
        _dir: dir_guard,
    };
    let mode = match &cfg.socket_group {
        Some(group) => {
            set_group(&path, group)?;
            0o660
        }
        None => 0o600,
    };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))?;
    Ok(BoundListener {
        socket: Socket::Unix(listener),
        addr: ListenAddr::Unix(path),
        cleanup: Some(cleanup),
    })
}

/// `PLUGIN_UNIX_SOCKET_GROUP`: a group name or numeric id that should own the socket.
#[cfg(unix)]
fn set_group(path: &std::path::Path, group: &str) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let gid = match group.parse::<libc::gid_t>() {
        Ok(g) => g,
        Err(_) => {
            let c = std::ffi::CString::new(group)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "group name has NUL"))?;
            // SAFETY: getgrnam reads a NUL-terminated name; the result is read at once,
            // before any other call could overwrite its static buffer.
            let gr = unsafe { libc::getgrnam(c.as_ptr()) };
            if gr.is_null() {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("PLUGIN_UNIX_SOCKET_GROUP={group:?} is not a group"),
                ));
            }
            unsafe { (*gr).gr_gid }
        }
    };
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "socket path has NUL"))?;
    // SAFETY: chown with a valid path; uid -1 leaves the owner unchanged.
    if unsafe { libc::chown(c.as_ptr(), u32::MAX as libc::uid_t, gid) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn bind_tcp((min, max): (u16, u16)) -> Result<BoundListener> {
    let mut last_err = None;
    for port in min..=max {
        match StdTcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
            Ok(l) => {
                let addr = l
                    .local_addr()
                    .unwrap_or(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
                return Ok(BoundListener {
                    socket: Socket::Tcp(l),
                    addr: ListenAddr::Tcp(addr),
                    cleanup: None,
                });
            }
            Err(e) => last_err = Some(e),
        }
    }
    Err(Error::setup(format!(
        "cannot listen on 127.0.0.1 in ports {min}-{max} ({}): free a port in PLUGIN_MIN_PORT..PLUGIN_MAX_PORT or widen the range",
        last_err.map(|e| e.to_string()).unwrap_or_else(|| "empty range".into())
    )))
}

/// The listener, registered with the runtime.
pub struct Listener {
    inner: Inner,
    addr: ListenAddr,
    _cleanup: Option<Cleanup>,
}

enum Inner {
    #[cfg(unix)]
    Unix(tokio::net::UnixListener),
    Tcp(tokio::net::TcpListener),
}

impl Listener {
    pub fn addr(&self) -> &ListenAddr {
        &self.addr
    }

    pub async fn accept(&self) -> io::Result<Conn> {
        match &self.inner {
            #[cfg(unix)]
            Inner::Unix(l) => Ok(Conn::new(l.accept().await?.0)),
            Inner::Tcp(l) => {
                let (s, _) = l.accept().await?;
                // gRPC frames are small and latency-bound.
                let _ = s.set_nodelay(true);
                Ok(Conn::new(s))
            }
        }
    }
}

/// Any accepted byte stream (unix, TCP, either under TLS): one type for tonic's incoming.
/// It may hold the permit that counts it among the connections served at once.
pub struct Conn {
    io: Pin<Box<dyn Io>>,
    _permit: Option<OwnedSemaphorePermit>,
}

pub trait Io: AsyncRead + AsyncWrite + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + 'static> Io for T {}

impl Conn {
    pub fn new(io: impl Io) -> Conn {
        Conn {
            io: Box::pin(io),
            _permit: None,
        }
    }

    /// The same connection, counted by `permit` until it is closed.
    pub fn holding(self, permit: OwnedSemaphorePermit) -> Conn {
        Conn {
            io: self.io,
            _permit: Some(permit),
        }
    }
}

/// The HTTP/2 connection preface every client sends first (RFC 9113 §3.4).
pub const HTTP2_PREFACE_LEN: usize = 24;

/// Fails reads once `deadline` passes unless the peer has sent the HTTP/2 preface by then:
/// hyper waits for the preface without a time limit, so without this a peer that connects
/// (and completes TLS) but never speaks HTTP/2 would hold its connection forever. After the
/// preface it only forwards.
pub struct PrefaceDeadline<T> {
    io: T,
    /// `None` once the preface has arrived.
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    received: usize,
    timeout: Duration,
}

impl<T> PrefaceDeadline<T> {
    /// `timeout` is only for the message: what the deadline was measured from is the
    /// caller's business.
    pub fn new(io: T, deadline: tokio::time::Instant, timeout: Duration) -> Self {
        PrefaceDeadline {
            io,
            timer: Some(Box::pin(tokio::time::sleep_until(deadline))),
            received: 0,
            timeout,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for PrefaceDeadline<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.io).poll_read(cx, buf);
        let Some(timer) = this.timer.as_mut() else {
            return polled;
        };
        match polled {
            Poll::Ready(Ok(())) => {
                this.received += buf.filled().len() - before;
                if this.received >= HTTP2_PREFACE_LEN {
                    this.timer = None;
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending => match timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    log::warning!(
                        "closed a connection that did not start HTTP/2 within {} ms",
                        this.timeout.as_millis()
                    );
                    Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the peer did not start HTTP/2 in time",
                    )))
                }
                Poll::Pending => Poll::Pending,
            },
            other => other,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for PrefaceDeadline<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.io.as_mut().poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.io.as_mut().poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.as_mut().poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.as_mut().poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.io.as_mut().poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

impl tonic::transport::server::Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(transport: Transport) -> HandshakeConfig {
        HandshakeConfig {
            app_version: 1,
            client_cert_pem: None,
            port_range: (0, 0),
            socket_dir: None,
            socket_group: None,
            transport,
        }
    }

    #[cfg(unix)]
    #[test]
    fn unix_socket_is_private_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let l = BoundListener::bind(&cfg(Transport::Unix), "demo").unwrap();
        let ListenAddr::Unix(path) = l.addr().clone() else {
            panic!("expected a unix socket")
        };
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        drop(l);
        assert!(!path.exists());
        assert!(!path.parent().unwrap().exists());
    }

    #[test]
    fn tcp_binds_loopback_in_range() {
        let l = BoundListener::bind(&cfg(Transport::Tcp), "demo").unwrap();
        let ListenAddr::Tcp(a) = l.addr() else {
            panic!("expected tcp")
        };
        assert!(a.ip().is_loopback());
        // A range whose only port is taken is a clear error.
        let taken = a.port();
        let Err(e) = bind_tcp((taken, taken)) else {
            panic!("port {taken} should be taken")
        };
        assert!(e.to_string().contains(&format!("{taken}-{taken}")));
    }

    #[tokio::test(start_paused = true)]
    async fn a_peer_that_never_speaks_http2_is_cut_off() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let timeout = Duration::from_secs(10);
        // Silent: the read fails once the deadline passes.
        let (_peer, ours) = tokio::io::duplex(64);
        let mut conn = PrefaceDeadline::new(ours, tokio::time::Instant::now() + timeout, timeout);
        let mut buf = [0u8; 64];
        let started = tokio::time::Instant::now();
        let e = conn.read(&mut buf).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), timeout);

        // Half a preface is not enough.
        let (mut peer, ours) = tokio::io::duplex(64);
        let mut conn = PrefaceDeadline::new(ours, tokio::time::Instant::now() + timeout, timeout);
        peer.write_all(b"PRI * HTTP/2.0").await.unwrap();
        assert_eq!(conn.read(&mut buf).await.unwrap(), 14);
        assert!(conn.read(&mut buf).await.is_err());

        // After the preface the connection may stay quiet as long as it likes.
        let (mut peer, ours) = tokio::io::duplex(64);
        let mut conn = PrefaceDeadline::new(ours, tokio::time::Instant::now() + timeout, timeout);
        peer.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
            .await
            .unwrap();
        let mut got = 0;
        while got < HTTP2_PREFACE_LEN {
            got += conn.read(&mut buf).await.unwrap();
        }
        let quiet = tokio::time::timeout(timeout * 10, conn.read(&mut buf)).await;
        assert!(quiet.is_err(), "still waiting, not failed: {quiet:?}");
        peer.write_all(b"x").await.unwrap();
        assert_eq!(conn.read(&mut buf).await.unwrap(), 1);
    }
}
