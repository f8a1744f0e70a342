//! The window's side of the IPC contract: the records only the window needs
//! (first-screen overview, value catalog, sandbox state), and the export of
//! every type that crosses IPC as TypeScript into `ui/src/bindings/`. The
//! test below fails when the committed files are stale; `make bindings`
//! refreshes them.

use keyport_engine::core::scope::Feature;
use keyport_engine::core::{Edition, Environment, GatewayChoice, InstanceType, OperatingModel, Standing};
use keyport_engine::model;
use keyport_engine::{Engine, KeychainStatus};
use serde::Serialize;
use ts_rs::TS;

/// What the app needs to draw its first screen, in one call: SQLite only
/// (the keychain is asked later, `keychain_status`, so that a slow Secret
/// Service never delays the first paint).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Overview {
    pub version: String,
    /// The Keyport home folder in use.
    pub home: String,
    pub accounts: Vec<model::Account>,
    pub catalog: Catalog,
}

impl Overview {
    pub async fn of(engine: &Engine) -> keyport_engine::Result<Overview> {
        Ok(Overview {
            version: env!("CARGO_PKG_VERSION").to_string(),
            home: engine.home().path().display().to_string(),
            accounts: engine.accounts().await?,
            catalog: Catalog::new(),
        })
    }
}

/// The closed value sets with their display labels, so the UI draws its
/// selects and labels from the domain instead of repeating it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Catalog {
    pub editions: Vec<Choice<Edition>>,
    pub operating_models: Vec<OperatingModelChoice>,
    pub standings: Vec<Choice<Standing>>,
    pub environments: Vec<Choice<Environment>>,
    pub instance_types: Vec<Choice<InstanceType>>,
    pub gateways: Vec<Choice<GatewayChoice>>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Choice<T> {
    pub value: T,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct OperatingModelChoice {
    pub value: OperatingModel,
    pub label: String,
    pub has_merchants: bool,
    /// The features its scoped keys may be granted (none: no scoped keys).
    pub scoped_features: Vec<Choice<Feature>>,
}

impl Catalog {
    pub fn new() -> Catalog {
        Catalog {
            editions: Edition::ALL.iter().map(|&e| Choice { value: e, label: e.label().into() }).collect(),
            operating_models: OperatingModel::ALL
                .iter()
                .map(|&m| OperatingModelChoice {
                    value: m,
                    label: m.label().into(),
                    has_merchants: m.has_merchants(),
                    scoped_features: Feature::offered_by(m)
                        .iter()
                        .map(|&f| Choice { value: f, label: f.label().into() })
                        .collect(),
                })
                .collect(),
            standings: Standing::ALL.iter().map(|&s| Choice { value: s, label: s.label().into() }).collect(),
            environments: Environment::ALL.iter().map(|&e| Choice { value: e, label: e.label().into() }).collect(),
            instance_types: InstanceType::ALL.iter().map(|&t| Choice { value: t, label: t.label().into() }).collect(),
            gateways: GatewayChoice::ALL.iter().map(|&g| Choice { value: g, label: g.label().into() }).collect(),
        }
    }
}

/// The in-process sandbox as the app runs it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SandboxStatus {
    /// The gateway URL to give a Commerce instance, e.g. http://127.0.0.1:9393/
    pub gateway_url: Option<String>,
    /// Why it is not running, when it is not.
    pub error: Option<String>,
}

/// Help › About Keyport: what is running, where its data and log are, and
/// the `keyport doctor` checks, with the text *Copy diagnostics* copies.
#[derive(Debug, Clone, Serialize, TS)]
pub struct About {
    pub version: String,
    /// The versions Keyport runs on: Tauri, WebKitGTK, the OS.
    pub platform: Vec<Choice<String>>,
    pub home: String,
    pub log_file: Option<String>,
    pub sandbox: SandboxStatus,
    pub keychain: KeychainStatus,
    pub checks: Vec<keyport_engine::doctor::DoctorCheck>,
    /// All of the above as text (no secret is among it).
    pub report: String,
}

/// How WebKit paints, as `software_rendering_without_gpu` left it at start
/// (blank or slow windows are a known WebKitGTK trouble; support asks this).
pub(crate) fn rendering() -> String {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| v == "1");
    let raster = match (set(crate::CPU_RENDERING), crate::has_render_node(std::path::Path::new("/dev/dri"))) {
        (true, false) => "CPU rasterizer (no GPU render node in /dev/dri)",
        (true, true) => "CPU rasterizer (WEBKIT_SKIA_ENABLE_CPU_RENDERING=1)",
        (false, _) => "GPU (OpenGL)",
    };
    if set(crate::NO_DMABUF_RENDERER) { format!("{raster}, without the DMA-BUF renderer") } else { raster.to_string() }
}

/// The OS as `/etc/os-release` names it.
fn os_name() -> String {
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    let pretty = release.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=")).map(|v| v.trim_matches('"').to_string());
    format!(
        "{} ({} {})",
        pretty.unwrap_or_else(|| std::env::consts::OS.to_string()),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

impl About {
    pub async fn of(engine: &Engine, sandbox: &SandboxStatus, log_file: Option<String>) -> About {
        let platform = vec![
            Choice { value: tauri::VERSION.to_string(), label: "Tauri".into() },
            Choice {
                value: tauri::webview_version().unwrap_or_else(|e| format!("unknown ({e})")),
                label: "WebKitGTK".into(),
            },
            Choice { value: rendering(), label: "Web view rendering".into() },
            Choice { value: os_name(), label: "Operating system".into() },
        ];
        let checks = engine.doctor().await;
        let keychain = engine.secrets().status().await;
        let version = env!("CARGO_PKG_VERSION").to_string();
        let home = engine.home().path().display().to_string();
        let mut report = format!("Keyport {version}\n");
        for p in &platform {
            report.push_str(&format!("{}: {}\n", p.label, p.value));
        }
        report.push_str(&format!("Log file: {}\n", log_file.as_deref().unwrap_or("none (no state folder)")));
        report.push_str(&format!(
            "Sandbox: {}\n",
            sandbox.gateway_url.as_deref().or(sandbox.error.as_deref()).unwrap_or("not running")
        ));
        report.push_str("\nkeyport doctor:\n");
        for check in &checks {
            report.push_str(&check.line());
            report.push('\n');
        }
        About { version, platform, home, log_file, sandbox: sandbox.clone(), keychain, checks, report }
    }
}

/// A file the person chose in a native open dialog. The window gets a token
/// for it, never a path it could make up: commands take the token back and
/// the app looks the path up (see `AppState::chosen_file`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChosenFile {
    pub token: String,
    /// The path, for showing.
    pub path: String,
}

/// Writes the declarations of every root type (and what each uses) to `dir`.
#[cfg(test)]
pub fn export_bindings(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
    // JSON numbers, not bigint: every integer Keyport sends fits in 2^53.
    let cfg = ts_rs::Config::new().with_out_dir(dir).with_large_int("number");
    Overview::export_all(&cfg)?;
    KeychainStatus::export_all(&cfg)?;
    About::export_all(&cfg)?;
    SandboxStatus::export_all(&cfg)?;
    ChosenFile::export_all(&cfg)?;
    model::BundleIdentity::export_all(&cfg)?;
    model::AccessRequest::export_all(&cfg)?;
    keyport_engine::core::scope::Access::export_all(&cfg)?;
    model::NewBundle::export_all(&cfg)?;
    model::BundleExported::export_all(&cfg)?;
    model::BundlePreview::export_all(&cfg)?;
    model::ImportedBundle::export_all(&cfg)?;
    keyport_engine::ErrorBody::export_all(&cfg)?;
    keyport_engine::ErrorCode::export_all(&cfg)?;
    model::NewAccount::export_all(&cfg)?;
    model::AccountChanges::export_all(&cfg)?;
    model::ActivityPage::export_all(&cfg)?;
    model::NewKey::export_all(&cfg)?;
    model::KeyQuery::export_all(&cfg)?;
    model::KeyPage::export_all(&cfg)?;
    model::Delivery::export_all(&cfg)?;
    model::KeySizeStatus::export_all(&cfg)?;
    model::Project::export_all(&cfg)?;
    model::SandboxRequest::export_all(&cfg)?;
    model::Instance::export_all(&cfg)?;
    model::NewInstance::export_all(&cfg)?;
    model::InstanceChanges::export_all(&cfg)?;
    model::ConnectorInput::export_all(&cfg)?;
    model::ConnectorSaved::export_all(&cfg)?;
    model::RegistryRow::export_all(&cfg)?;
    model::InstanceExport::export_all(&cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    fn read_dir(dir: &Path) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ts") {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                files.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
        files
    }

    /// The UI's TypeScript types are generated from the Rust types; this
    /// fails when `ui/src/bindings/` no longer matches them. Refresh with
    /// `make bindings` (KEYPORT_UPDATE_BINDINGS=1).
    #[test]
    fn typescript_bindings_are_fresh() {
        let committed_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
        let fresh_dir = tempfile::tempdir().unwrap();
        super::export_bindings(fresh_dir.path()).unwrap();
        let fresh = read_dir(fresh_dir.path());
        assert!(fresh.contains_key("Account.ts") && fresh.contains_key("ErrorCode.ts"));

        if std::env::var_os("KEYPORT_UPDATE_BINDINGS").is_some() {
            if committed_dir.exists() {
                std::fs::remove_dir_all(&committed_dir).unwrap();
            }
            std::fs::create_dir_all(&committed_dir).unwrap();
            for (name, text) in &fresh {
                std::fs::write(committed_dir.join(name), text).unwrap();
            }
            return;
        }
        let committed = read_dir(&committed_dir);
        let stale: Vec<_> =
            fresh.keys().chain(committed.keys()).filter(|name| fresh.get(*name) != committed.get(*name)).collect();
        assert!(stale.is_empty(), "ui/src/bindings is stale ({stale:?}). Regenerate: make bindings");
    }
}
