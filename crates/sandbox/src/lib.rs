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
//! Every request is authenticated like the real gateway: `x-api-key` (or
//! `magento-api-key`) and an RS256 JWT in `x-gw-signature`. Refusals are
//! JSON `{"code","message"}` with 401 (not authenticated), 403 (revoked key,
//! suspended account), 400, 404 or 409.

mod log;
mod routes;

use std::net::SocketAddr;

use keyport_engine::Engine;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use routes::router;

/// Where the app and `keyport sandbox serve` listen unless told otherwise.
pub use keyport_engine::gateway::SANDBOX_DEFAULT_BIND as DEFAULT_BIND;

/// A running sandbox server.
pub struct Sandbox {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<()>,
}

impl Sandbox {
    /// Binds `bind` (port 0 picks a free port) and serves in the background.
    pub async fn start(engine: Engine, bind: SocketAddr) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let (log, writer) = log::RequestLog::start(engine.clone());
        let app = router(engine, log);
        let (shutdown, stop) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let served = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stop.await;
            });
            if let Err(e) = served.await {
                tracing::error!("sandbox server stopped: {e}");
            }
            // Flush the request log before the task ends.
            writer.finish().await;
        });
        Ok(Sandbox { addr, shutdown: Some(shutdown), server })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The gateway URL to configure in a Commerce instance.
    pub fn gateway_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Stops accepting requests, finishes the ones in flight and flushes the log.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.server).await;
    }

    /// Runs until the server task ends (the CLI's `sandbox serve`).
    pub async fn wait(mut self) {
        let _ = (&mut self.server).await;
    }
}
