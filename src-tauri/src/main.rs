//! The Keyport desktop app: a Tauri shell whose commands call the engine.
//! No business rule lives here; see ARCHITECTURE.md.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod ipc;
mod logging;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use keyport_engine::{Engine, ErrorBody, ErrorCode, Home, OpenedBundle};
use keyport_sandbox::Sandbox;
use sha2::Digest as _;
use tauri::Manager;
use tauri_plugin_window_state::StateFlags;

use ipc::SandboxStatus;

/// The engine, or why it could not open (shown full-page by the UI rather
/// than crashing the app: a corrupt database must be explainable), and the
/// in-process sandbox.
pub struct Opened {
    engine: Result<Engine, ErrorBody>,
    sandbox: SandboxStatus,
}

pub struct AppState {
    /// Filled once the home is open: that happens on the async runtime
    /// while the web view loads (issue 13), and commands wait for it.
    opened: tokio::sync::watch::Receiver<Option<Arc<Opened>>>,
    /// Where the log files are (Help › About).
    log_file: Option<PathBuf>,
    /// When the process started, for the first paint's log line.
    started: std::time::Instant,
    /// Set once the deferred start-up work has begun.
    deferred: AtomicBool,
    /// Files chosen in native open dialogs, by the token the window got.
    chosen: Mutex<HashMap<String, PathBuf>>,
    /// The bundle opened for its preview (by its file's token), waiting for
    /// Import or Cancel. One at a time: its private keys are in memory.
    staged: Mutex<Option<(String, OpenedBundle)>>,
}

impl AppState {
    /// The opened home and sandbox, once the start-up task has opened them.
    pub async fn opened(&self) -> Arc<Opened> {
        let mut opened = self.opened.clone();
        if let Some(ready) = opened.wait_for(Option::is_some).await.ok().and_then(|r| r.clone()) {
            return ready;
        }
        // The opening task ended without a result: it panicked (logged).
        let message = "Keyport stopped while opening its home; see the log file.".to_string();
        Arc::new(Opened {
            engine: Err(ErrorBody::new(ErrorCode::IoError, message.clone())),
            sandbox: SandboxStatus { gateway_url: None, error: Some(message) },
        })
    }

    pub async fn engine(&self) -> Result<Engine, ErrorBody> {
        self.opened().await.engine.clone()
    }

    pub async fn sandbox(&self) -> SandboxStatus {
        self.opened().await.sandbox.clone()
    }

    /// What the first page does not need waits until it is painted: the
    /// key pool (a low-priority thread) and the keychain's clean-up (the
    /// first call to the Secret Service). Runs once; a fallback timer runs
    /// it if the page never reports.
    pub async fn after_first_paint(&self) {
        if self.deferred.swap(true, Ordering::SeqCst) {
            return;
        }
        let elapsed = self.started.elapsed();
        tracing::info!("first paint {} ms after start", elapsed.as_millis());
        if std::env::var_os("KEYPORT_REPORT_PAINT").is_some() {
            // `make bench` times the start-up by this line.
            println!("keyport: painted");
        }
        let Ok(engine) = self.engine().await else { return };
        engine.start_key_pool();
        tauri::async_runtime::spawn(async move {
            if let Err(e) = engine.reconcile_keychain().await {
                tracing::warn!(code = %e.code(), "keychain clean-up: {e}");
            }
        });
    }

    /// Remembers a file the person chose; the window gets the token.
    pub fn choose_file(&self, path: PathBuf) -> ipc::ChosenFile {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let shown = path.display().to_string();
        self.chosen.lock().unwrap_or_else(PoisonError::into_inner).insert(token.clone(), path);
        ipc::ChosenFile { token, path: shown }
    }

    pub fn stage_bundle(&self, token: String, opened: OpenedBundle) {
        *self.staged.lock().unwrap_or_else(PoisonError::into_inner) = Some((token, opened));
    }

    /// Takes the opened bundle of `token` (Import uses it up).
    pub fn staged_bundle(&self, token: &str) -> Result<OpenedBundle, ErrorBody> {
        let mut staged = self.staged.lock().unwrap_or_else(PoisonError::into_inner);
        match staged.take() {
            Some((t, opened)) if t == token => Ok(opened),
            other => {
                *staged = other;
                Err(ErrorBody::new(
                    ErrorCode::InvalidArguments,
                    "Open the bundle again: Keyport no longer has it open.",
                ))
            }
        }
    }

    /// The file behind a token from `choose_file`.
    pub fn chosen_file(&self, token: &str) -> Result<PathBuf, ErrorBody> {
        self.chosen.lock().unwrap_or_else(PoisonError::into_inner).get(token).cloned().ok_or_else(|| {
            ErrorBody::new(ErrorCode::InvalidArguments, "Keyport does not know that file any more: choose it again.")
        })
    }
}

/// `--home DIR` or `--home=DIR` on the command line (tauri-driver passes
/// arguments this way); otherwise the engine's default resolution applies.
fn home_argument() -> Option<PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--home" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.strip_prefix("--home=") {
            return Some(PathBuf::from(value));
        }
    }
    None
}

/// Runs the local Commerce Services sandbox in-process: on
/// `$KEYPORT_SANDBOX_BIND`, else 127.0.0.1:9393, else (that port taken, e.g.
/// by a second Keyport) any free loopback port.
async fn start_sandbox(engine: &Engine) -> SandboxStatus {
    let wanted = keyport_engine::gateway::sandbox_bind();
    let wanted: SocketAddr = match wanted.parse() {
        Ok(addr) => addr,
        Err(_) => {
            return SandboxStatus {
                gateway_url: None,
                error: Some(format!("KEYPORT_SANDBOX_BIND={wanted} is not an address")),
            };
        }
    };
    let fallback: SocketAddr = "127.0.0.1:0".parse().expect("static address");
    let started = match Sandbox::start(engine.clone(), wanted).await {
        Ok(s) => Ok(s),
        Err(first) => {
            tracing::warn!("sandbox cannot listen on {wanted} ({first}); using a free port");
            Sandbox::start(engine.clone(), fallback).await
        }
    };
    match started {
        Ok(sandbox) => {
            let url = sandbox.gateway_url();
            // Instances whose gateway is Keyport's reach this home through it.
            engine.set_local_gateway(Some(url.clone()));
            // `keyport key validate` finds it there, on whatever port it got.
            if let Err(e) = sandbox.publish() {
                tracing::warn!(code = %e.code(), "cannot record the sandbox's address in the home: {e}");
            }
            // The server lives as long as the app.
            tauri::async_runtime::spawn(sandbox.wait());
            SandboxStatus { gateway_url: Some(url), error: None }
        }
        Err(e) => SandboxStatus { gateway_url: None, error: Some(format!("The sandbox could not start: {e}")) },
    }
}

/// The D-Bus name of the window serving `home`: one window per home, so a
/// second launch for the same home focuses the first (one key pool, one
/// sandbox), while another home opens its own. Name parts may not start
/// with a digit, hence the `h`.
fn instance_id(home: &Home) -> String {
    let path = std::fs::canonicalize(home.path()).unwrap_or_else(|_| home.path().to_path_buf());
    let digest = sha2::Sha256::digest(path.as_os_str().as_encoded_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("dev.keyport.desktop.h{hex}")
}

fn focus_main_window(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// WebKit's own CPU rasterizer, instead of its GPU path on Mesa's software
/// OpenGL (which painted a frame of the key grid about twice as slowly).
pub(crate) const CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
/// Frames reach the window without the DMA-BUF renderer, whose software
/// fallback made a repaint of the key grid take 13–38 ms from the change to
/// the painted frame (6–18 ms without it) and a trivial command's round trip
/// 2–20 ms (1–2 ms without it).
pub(crate) const NO_DMABUF_RENDERER: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Without a GPU (no DRM render node: a VM, a remote session, Xvfb), WebKit
/// renders in software either way; the two variables above, which WebKit
/// reads when its processes start, pick its faster software paths (issue
/// 13). A variable already set is left as it is; `KEYPORT_WEBVIEW_GPU=1`
/// keeps WebKit's defaults regardless.
#[cfg(target_os = "linux")]
fn software_rendering_without_gpu() {
    if std::env::var_os("KEYPORT_WEBVIEW_GPU").is_some_and(|v| v == "1")
        || has_render_node(std::path::Path::new("/dev/dri"))
    {
        return;
    }
    for name in [CPU_RENDERING, NO_DMABUF_RENDERER] {
        if std::env::var_os(name).is_none() {
            // SAFETY: called first thing in `main`, before this process has any
            // other thread that could read the environment meanwhile.
            #[allow(unsafe_code)]
            unsafe {
                std::env::set_var(name, "1");
            }
        }
    }
}

/// Whether `dri` (normally /dev/dri) holds a DRM render node, i.e. a GPU
/// Mesa can render with.
pub(crate) fn has_render_node(dri: &std::path::Path) -> bool {
    std::fs::read_dir(dri)
        .map(|dir| dir.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

fn main() {
    let started = std::time::Instant::now();
    #[cfg(target_os = "linux")]
    software_rendering_without_gpu();
    let logging = logging::init();
    let home = Home::resolve(home_argument());
    tracing::info!(
        "Keyport {} starting; home {}",
        env!("CARGO_PKG_VERSION"),
        home.as_ref().map_or_else(|e| format!("unusable ({e})"), |h| h.path().display().to_string())
    );
    let log_file = logging.current_file();
    tracing::info!("web view rendering: {}", ipc::rendering());

    let mut builder = tauri::Builder::default();
    if let Ok(home) = &home {
        // First, so that a second launch stops before anything else starts.
        builder = builder
            .plugin(
                tauri_plugin_single_instance::Builder::new()
                    .dbus_id(instance_id(home))
                    .callback(|app, _argv, _cwd| focus_main_window(app))
                    .build(),
            )
            // Size and position, per home (each home has its own window).
            .plugin(
                tauri_plugin_window_state::Builder::new()
                    .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED)
                    .with_filename(home.path().join("window-state.json").to_string_lossy())
                    .build(),
            );
    }
    builder
        .setup(move |app| {
            // The home and the sandbox open on the async runtime, not here on
            // the main thread, which serves the web view its page meanwhile.
            let (sender, opened) = tokio::sync::watch::channel(None);
            tauri::async_runtime::spawn(async move {
                let engine = async {
                    let engine = Engine::open(home?).await?;
                    // Leftover files of an interrupted download; never blocks
                    // start-up (the keychain's leftovers wait for the first paint).
                    let reconcile = engine.clone();
                    tauri::async_runtime::spawn(async move {
                        if let Err(e) = reconcile.reconcile_files().await {
                            tracing::warn!(code = %e.code(), "file clean-up: {e}");
                        }
                    });
                    Ok::<_, keyport_engine::EngineError>(engine)
                }
                .await
                .map_err(|e| {
                    tracing::error!(code = %e.code(), "cannot open the Keyport home: {e}");
                    e.body()
                });
                let sandbox = match &engine {
                    Ok(engine) => start_sandbox(engine).await,
                    Err(e) => SandboxStatus { gateway_url: None, error: Some(e.message.clone()) },
                };
                // Receivers live as long as the app; nothing to do if it is gone.
                let _ = sender.send(Some(Arc::new(Opened { engine, sandbox })));
            });
            app.manage(AppState {
                opened,
                log_file,
                started,
                deferred: AtomicBool::new(false),
                chosen: Mutex::default(),
                staged: Mutex::default(),
            });
            // Should the page never report its first paint, start anyway.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_secs(10)).await;
                handle.state::<AppState>().after_first_paint().await;
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::overview,
            commands::create_account,
            commands::update_account,
            commands::use_account,
            commands::add_merchant,
            commands::rename_merchant,
            commands::remove_merchant,
            commands::activity,
            commands::key_sizes,
            commands::list_keys,
            commands::create_key,
            commands::pending_downloads,
            commands::download_private_key,
            commands::check_access,
            commands::discard_key,
            commands::revoke_key,
            commands::relabel_key,
            commands::sandbox_status,
            commands::sandbox_requests,
            commands::projects,
            commands::create_project,
            commands::rename_project,
            commands::rename_data_space,
            commands::instances,
            commands::instance,
            commands::add_instance,
            commands::update_instance,
            commands::remove_instance,
            commands::save_connector,
            commands::choose_private_key_file,
            commands::connector_registry,
            commands::connector_create_project,
            commands::connector_rename_project,
            commands::connector_rename_data_space,
            commands::check_instance,
            commands::export_instance,
            commands::bundle_identity,
            commands::new_bundle_identity,
            commands::generate_passphrase,
            commands::export_bundle,
            commands::download_key_bundle,
            commands::choose_bundle_file,
            commands::open_bundle,
            commands::import_bundle,
            commands::close_bundle,
            commands::about,
            commands::keychain_status,
            commands::painted,
        ])
        .build(tauri::generate_context!())
        .expect("Keyport could not start its window")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // The sandbox stops with the app: `keyport key validate` must
                // not find its record any more.
                let opened = app.try_state::<AppState>().and_then(|state| state.opened.borrow().clone());
                if let Some(opened) = opened
                    && let (Ok(engine), Some(url)) = (&opened.engine, &opened.sandbox.gateway_url)
                {
                    engine.home().withdraw_sandbox(url);
                }
                tracing::info!("Keyport stopped");
            }
        });
    drop(logging);
}

#[cfg(test)]
mod tests {
    use super::has_render_node;

    #[test]
    fn a_render_node_means_a_gpu() {
        let dri = tempfile::tempdir().expect("temp dir");
        // No such folder (a VM, a container, Xvfb here), or only a card node
        // (display without render support): rasterize on the CPU.
        assert!(!has_render_node(&dri.path().join("missing")));
        std::fs::write(dri.path().join("card0"), b"").expect("card node");
        assert!(!has_render_node(dri.path()));
        // A real file stands in for the character device: only the name counts.
        std::fs::write(dri.path().join("renderD128"), b"").expect("render node");
        assert!(has_render_node(dri.path()));
    }
}
