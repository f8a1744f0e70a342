//! Keyport's local Commerce Services sandbox: the merchant-registry
//! endpoints that the Magento Services Connector (magento/services-connector,
//! magento/services-id) calls, served from Keyport's own data.
//!
//! | method | path (under `/merchant-registry/v1/`) | |
//! |---|---|---|
//! | GET | `ping` | 200 when the key pair is valid |
//! | GET | `registry` | `{"results":[{projectId, projectName, environmentId, environmentName, environmentType}]}` |
//! | POST | `registry/initialize` | `{"projectName"}` → the new project's rows |
//! | GET | `registry/projects/{projectId}` | the project's rows |
//! | PATCH | `registry/projects/{projectId}` | `{"projectName"}` → rename |
//! | GET | `registry/environments/{environmentId}` | one row |
//! | PATCH | `registry/environments/{environmentId}` | `{"environmentName"}` → rename |
//!
//! Keyport's own extensions are `POST /keyport/v1/authorize` (the access
//! check of scoped keys) and `POST /keyport/v1/attest` (proof that the
//! sandbox serves the caller's home, see `keyport_core::attest`).
//!
//! Every request is authenticated like the real gateway: `x-api-key` (or
//! `magento-api-key`) and an RS256 JWT in `x-gw-signature`. Refusals are
//! JSON `{"code","message"}` with 401 (not authenticated), 403 (revoked key,
//! suspended account), 400, 404 or 409.

mod guard;
mod log;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use keyport_engine::Engine;
use keyport_engine::core::attest::AttestSecret;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use tokio::task::JoinHandle;
use tokio_io_timeout::TimeoutStream;

pub use routes::router;

/// Where the app and `keyport sandbox serve` listen unless told otherwise.
pub use keyport_engine::gateway::SANDBOX_DEFAULT_BIND as DEFAULT_BIND;

/// What one client may hold of the sandbox. Any local process can connect,
/// so nothing it does may exhaust the app's file descriptors or memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time to send a request's headers, from the first byte.
    pub header_read: Duration,
    /// Time a connection may sit without sending anything (between keep-alive
    /// requests too) before it is closed.
    pub idle: Duration,
    /// Time from the headers to the answer (a slow body included).
    pub request: Duration,
    /// Open connections at most; more are closed as soon as they are accepted.
    pub connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(30),
            request: Duration::from_secs(20),
            connections: 128,
        }
    }
}

/// A running sandbox server.
pub struct Sandbox {
    addr: SocketAddr,
    engine: Engine,
    secret: Arc<AttestSecret>,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<()>,
}

impl Sandbox {
    /// Binds `bind` (port 0 picks a free port) and serves in the background.
    pub async fn start(engine: Engine, bind: SocketAddr) -> std::io::Result<Sandbox> {
        Sandbox::start_with(engine, bind, Limits::default()).await
    }

    /// `start`, with other limits (tests make them short).
    pub async fn start_with(engine: Engine, bind: SocketAddr, limits: Limits) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let (log, writer) = log::RequestLog::start(engine.clone())?;
        let secret = Arc::new(AttestSecret::generate(&mut rand::rngs::OsRng));
        let app = router(engine.clone(), Arc::clone(&secret), log, addr, limits.request);
        let (shutdown, stop) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            serve(listener, app, limits, stop).await;
            // Flush the request log before the task ends.
            writer.finish().await;
        });
        Ok(Sandbox { addr, engine, secret, shutdown: Some(shutdown), server })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The gateway URL to configure in a Commerce instance.
    pub fn gateway_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Records in the home that this sandbox serves it (`sandbox.json`), so
    /// `keyport key validate` finds it on whatever port it got and can check
    /// it is really this one. The app and `keyport sandbox serve` publish;
    /// the short-lived sandboxes of `keyport instance` commands do not.
    pub fn publish(&self) -> keyport_engine::Result<()> {
        self.engine.home().publish_sandbox(&self.gateway_url(), &self.secret)
    }

    /// Stops accepting requests, finishes the ones in flight and flushes the log.
    pub async fn stop(mut self) {
        self.engine.home().withdraw_sandbox(&self.gateway_url());
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.server).await;
    }

    /// Runs until the server task ends (the CLI's `sandbox serve`).
    pub async fn wait(mut self) {
        let _ = (&mut self.server).await;
        self.engine.home().withdraw_sandbox(&self.gateway_url());
    }
}

/// The accept loop: HTTP/1 with a header-read timeout, an idle timeout on
/// every connection and at most `limits.connections` of them.
async fn serve(listener: TcpListener, app: axum::Router, limits: Limits, mut stop: oneshot::Receiver<()>) {
    let permits = Arc::new(Semaphore::new(limits.connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors, or an aborted handshake: wait a
                    // moment rather than spin.
                    tracing::warn!("sandbox: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            drop(stream); // over the cap: closed at once, its descriptor freed
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mut stream = TimeoutStream::new(stream);
        stream.set_read_timeout(Some(limits.idle));
        stream.set_write_timeout(Some(limits.idle));
        let io = TokioIo::new(Box::pin(stream));
        let connection = graceful.watch(http.serve_connection(io, TowerToHyperService::new(app.clone())));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    // Let requests in flight finish, briefly.
    if tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await.is_err() {
        tracing::warn!("sandbox: connections still open after 5 s; closing them");
    }
}
