//! `keyport key …`: API key pairs and their one-time private-key file.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use keyport_engine::core::keys::DEFAULT_KEY_SIZE;
use keyport_engine::core::scope::Feature;
use keyport_engine::core::{Environment, KeyStatus};
use keyport_engine::model::{
    AccessRequest, ApiKeyInfo, BundleProtection, Delivery, KeyFilter, KeyQuery, KeySort, KeySortField, NewKey,
    NewScope, PastedSecret,
};
use keyport_engine::{Engine, ErrorCode, SystemClock};

use crate::accounts::target;
use crate::output::{Out, fields, table};
use crate::{CmdResult, Failure, failure};
use zeroize::Zeroizing;

#[derive(Subcommand)]
pub enum KeyCmd {
    /// Generate a key pair and save its private key to FILE — the one and only time.
    Create {
        /// production or sandbox.
        #[arg(long = "env")]
        environment: String,
        /// What the key is for, e.g. "staging CI"; unique among active keys of the environment.
        #[arg(long)]
        label: String,
        /// RSA key size: 2048, 3072 or 4096.
        #[arg(long, default_value_t = DEFAULT_KEY_SIZE)]
        bits: u32,
        /// Where to save the private key (PKCS#8 PEM, mode 0600); never overwritten.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Also keep the private key in this workstation's keychain for the Connector.
        #[arg(long)]
        keep_in_keychain: bool,
        /// Id or MageID (default: the current account).
        #[arg(long)]
        account: Option<String>,
        /// A scoped key: a merchant it may act for (name or id); repeat for more.
        /// Ecosystem and Managed Ecosystem accounts only.
        #[arg(long = "scope-merchant", value_name = "MERCHANT")]
        scope_merchants: Vec<String>,
        /// A scoped key: a feature it is granted (list_tokens, get_token,
        /// get_token_payment_data, forward_payment_data, forward); repeat for more.
        #[arg(long = "scope-feature", value_name = "FEATURE")]
        scope_features: Vec<String>,
    },
    /// May a key call METHOD PATH for a merchant? The answer and its reason
    /// (the same check the sandbox's /keyport/v1/authorize makes).
    Check {
        key: String,
        #[arg(long)]
        method: String,
        #[arg(long)]
        path: String,
        /// The merchant the request is for (name or id).
        #[arg(long)]
        merchant: Option<String>,
    },
    /// List an account's keys, newest first unless --sort says otherwise.
    List {
        /// production or sandbox (default: both).
        #[arg(long = "env")]
        environment: Option<String>,
        /// Part of a label, API key or fingerprint.
        #[arg(long)]
        search: Option<String>,
        /// Only keys in this state.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Sort by this column (newest first without it).
        #[arg(long, value_enum)]
        sort: Option<SortArg>,
        /// With --sort: largest, newest or last first.
        #[arg(long, requires = "sort")]
        descending: bool,
        #[arg(long)]
        account: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Show one key (by id or API key).
    Show { key: String },
    /// Revoke a key; it stays listed, marked revoked.
    Revoke {
        key: String,
        /// Why, for the record.
        #[arg(long)]
        reason: String,
    },
    /// Change a key's label.
    Relabel {
        key: String,
        #[arg(long)]
        label: String,
    },
    /// Keys whose private key still waits for its one-time download.
    Pending,
    /// Save a pending private key (created in the app) to FILE: as PEM, or
    /// as a key bundle for a recipient or with a passphrase (its one delivery).
    Download {
        key: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        keep_in_keychain: bool,
        /// Write a bundle for this recipient's public key (age1…) instead of PEM.
        #[arg(long, value_name = "AGE1…", conflicts_with = "passphrase_file")]
        recipient: Option<String>,
        /// Write a bundle protected by the passphrase in FILE (`-`: standard input).
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// With a bundle: how long it can be imported (1h to 90d).
        #[arg(long, default_value = "7d")]
        expires: String,
    },
    /// Give up a pending private key; the key is revoked ("private key discarded").
    Discard { key: String },
    /// Check a key pair against a gateway like the Connector does: sign a JWT
    /// with the private key and call merchant-registry/v1/ping.
    Validate {
        #[arg(long)]
        api_key: String,
        /// The private key file (PKCS#8 PEM); `-` reads it from standard input.
        #[arg(long, value_name = "FILE")]
        private_key: PathBuf,
        /// Gateway URL (default: the sandbox of the Keyport home, where the app
        /// or `keyport sandbox serve` recorded it, once it proves it is that one).
        #[arg(long, value_name = "URL")]
        gateway: Option<String>,
    },
}

/// `key validate` is a client of a gateway: `--gateway`, else the sandbox
/// serving the Keyport home, found through the home's `sandbox.json` and
/// trusted only once it proves it is that one (never whatever listens on
/// 127.0.0.1:9393). It opens no database.
pub async fn validate(
    home: Option<PathBuf>,
    api_key: String,
    private_key: PathBuf,
    gateway: Option<String>,
    out: &Out,
) -> CmdResult {
    let pem = read_private_key(&private_key)?;
    let gateway = match gateway {
        Some(gateway) => gateway,
        None => keyport_engine::Home::resolve(home)?.served_gateway().await?,
    };
    match keyport_engine::gateway::ping_gateway(std::sync::Arc::new(SystemClock), &gateway, &api_key, &pem).await {
        Ok(outcome) => {
            out.emit(&outcome, || {
                format!(
                    "Valid: {} accepted the key pair of {} (HTTP {}).",
                    outcome.gateway, outcome.api_key, outcome.status
                )
            });
            Ok(())
        }
        // Report the gateway's own code: that is what tells a script why.
        Err(keyport_engine::EngineError::GatewayRefused { status, code, message }) => {
            Err(failure(code, format!("{gateway} refused the key pair (HTTP {status}): {message}")))
        }
        Err(e) => Err(e.into()),
    }
}

/// The most a private-key file may hold (a 4096-bit PEM is ~3.3 KB).
const MAX_PRIVATE_KEY_FILE: usize = 64 * 1024;

/// The PEM text in `path`, or on standard input for `-` (`… | keyport key
/// validate --private-key -`), kept in a buffer that is wiped when dropped.
pub fn read_private_key(path: &Path) -> Result<Zeroizing<String>, Failure> {
    // Room for the whole capped read up front: no reallocation leaves a copy.
    let mut text = Zeroizing::new(String::with_capacity(MAX_PRIVATE_KEY_FILE + 1));
    let limit = MAX_PRIVATE_KEY_FILE as u64 + 1;
    let read = if path == Path::new("-") {
        if std::io::stdin().is_terminal() {
            eprintln!("Paste the private key (PEM), then press Ctrl-D:");
        }
        std::io::stdin().lock().take(limit).read_to_string(&mut text)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_string(&mut text))
    };
    let shown = if path == Path::new("-") { "standard input".to_string() } else { path.display().to_string() };
    read.map_err(|e| failure(ErrorCode::PrivateKeyUnreadable, format!("Cannot read {shown}: {e}")))?;
    if text.len() > MAX_PRIVATE_KEY_FILE {
        return Err(failure(
            ErrorCode::PrivateKeyNotPem,
            format!("{shown} holds more than 64 KiB: that is not a private key file."),
        ));
    }
    Ok(text)
}

/// A spinner on standard error while a large key is generated, for a person
/// at a terminal; nothing for scripts (`--json`, or no terminal).
fn generation_spinner(bits: u32, json: bool) -> Option<indicatif::ProgressBar> {
    if json || bits < 3072 || !std::io::stderr().is_terminal() {
        return None;
    }
    let spinner = indicatif::ProgressBar::new_spinner().with_message(format!("Generating a {bits}-bit RSA key…"));
    spinner.enable_steady_tick(std::time::Duration::from_millis(100));
    Some(spinner)
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum StatusArg {
    Active,
    AwaitingDownload,
    Revoked,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    Label,
    Created,
    LastValidated,
    Size,
}

pub async fn key(engine: &Engine, cmd: KeyCmd, out: &Out) -> CmdResult {
    match cmd {
        KeyCmd::Create {
            environment,
            label,
            bits,
            out: file,
            keep_in_keychain,
            account,
            scope_merchants,
            scope_features,
        } => {
            let environment: Environment = environment.parse()?;
            let account = target(engine, account).await?;
            // Either option makes a scoped key; the engine refuses a scope
            // missing merchants or features (scope_empty).
            let scope = if scope_features.is_empty() && scope_merchants.is_empty() {
                None
            } else {
                let features = scope_features.iter().map(|f| f.parse::<Feature>()).collect::<Result<Vec<_>, _>>()?;
                Some(NewScope { merchants: scope_merchants, features })
            };
            let spinner = generation_spinner(bits, out.json);
            let created = engine
                .create_key_to_file(&account.id, NewKey { environment, label, bits, scope }, &file, keep_in_keychain)
                .await;
            if let Some(spinner) = spinner {
                spinner.finish_and_clear();
            }
            let delivery = created?;
            warn_exposed(&delivery);
            out.emit(&delivery, || {
                format!(
                    "Created {} key \"{}\" for {}.\n{}\nThe private key was saved to {}{}. Keyport cannot show or save it again.",
                    delivery.key.environment,
                    delivery.key.label,
                    account.name,
                    show(&delivery.key, engine.now()),
                    delivery.private_key_file,
                    mode_note(&delivery)
                )
            });
        }
        KeyCmd::List { environment, search, status: wanted, sort, descending, account, limit, offset } => {
            let environment = environment.map(|e| e.parse::<Environment>()).transpose()?;
            let account = target(engine, account).await?;
            let state = wanted.map(|s| match s {
                StatusArg::Active => KeyFilter::Active,
                StatusArg::AwaitingDownload => KeyFilter::AwaitingDownload,
                StatusArg::Revoked => KeyFilter::Revoked,
            });
            let sort = sort.map(|s| KeySort {
                field: match s {
                    SortArg::Label => KeySortField::Label,
                    SortArg::Created => KeySortField::Created,
                    SortArg::LastValidated => KeySortField::LastValidated,
                    SortArg::Size => KeySortField::Bits,
                },
                descending,
            });
            let query = KeyQuery { environment, search, status: state, sort, offset, limit };
            let page = engine.keys(&account.id, &query).await?;
            out.emit(&page.keys, || {
                if page.keys.is_empty() {
                    return "No keys.".into();
                }
                let rows: Vec<Vec<String>> = page
                    .keys
                    .iter()
                    .map(|k| {
                        vec![
                            k.label.clone(),
                            k.environment.to_string(),
                            k.api_key.to_string(),
                            k.bits.to_string(),
                            k.created_at.clone(),
                            status(k),
                            k.last_validated_at.clone().unwrap_or_else(|| "never".into()),
                            if k.scope.is_some() { "scoped" } else { "" }.into(),
                        ]
                    })
                    .collect();
                // New columns go last, so scripts reading the earlier ones keep working.
                let mut text =
                    table(&["LABEL", "ENV", "API KEY", "BITS", "CREATED", "STATUS", "LAST VALIDATED", "SCOPE"], &rows);
                if page.total as usize > page.keys.len() {
                    text.push_str(&format!(
                        "({} of {} keys; use --offset/--limit for more)\n",
                        page.keys.len(),
                        page.total
                    ));
                }
                text
            });
        }
        KeyCmd::Show { key } => {
            let key = engine.key(&key).await?;
            out.emit(&key, || show(&key, engine.now()));
        }
        KeyCmd::Check { key, method, path, merchant } => {
            let access = engine.check_access(&key, &AccessRequest { method, path, merchant }).await?;
            out.emit(&access, || format!("{}: {}", if access.allowed { "allowed" } else { "denied" }, access.reason));
        }
        KeyCmd::Revoke { key, reason } => {
            let key = engine.revoke_key(&key, &reason).await?;
            warn_leftover(&key);
            out.emit(&key, || format!("Revoked \"{}\" ({}).", key.label, key.api_key));
        }
        KeyCmd::Relabel { key, label } => {
            let key = engine.relabel_key(&key, &label).await?;
            out.emit(&key, || format!("Relabelled {} to \"{}\".", key.api_key, key.label));
        }
        KeyCmd::Pending => {
            let keys = engine.pending_downloads().await?;
            out.emit(&keys, || {
                let rows: Vec<Vec<String>> = keys
                    .iter()
                    .map(|k| vec![k.label.clone(), k.environment.to_string(), k.api_key.to_string(), k.id.clone()])
                    .collect();
                if rows.is_empty() {
                    "No private key waits for download.".into()
                } else {
                    table(&["LABEL", "ENV", "API KEY", "ID"], &rows)
                }
            });
        }
        KeyCmd::Download { key, out: file, keep_in_keychain, recipient, passphrase_file, expires } => {
            let protection = match (recipient, passphrase_file) {
                (Some(recipient), _) => Some(BundleProtection::Recipient { recipient }),
                (None, Some(path)) => Some(BundleProtection::Passphrase {
                    passphrase: PastedSecret::new(crate::bundles::read_passphrase(&path)?.to_string()),
                }),
                (None, None) => None,
            };
            let delivery = match &protection {
                None => engine.deliver_private_key(&key, &file, false, keep_in_keychain).await?,
                Some(protection) => {
                    let hours = keyport_engine::core::bundle::parse_expiry(&expires)?;
                    engine.deliver_as_bundle(&key, protection, hours, &file, false, keep_in_keychain).await?
                }
            };
            warn_leftover(&delivery.key);
            warn_exposed(&delivery);
            let form = if protection.is_some() { "saved in an encrypted key bundle" } else { "saved" };
            out.emit(&delivery, || {
                format!(
                    "The private key of \"{}\" was {form} to {}{}. Keyport cannot show or save it again.",
                    delivery.key.label,
                    delivery.private_key_file,
                    mode_note(&delivery)
                )
            });
        }
        KeyCmd::Validate { api_key, private_key, gateway } => {
            validate(Some(engine.home().path().to_path_buf()), api_key, private_key, gateway, out).await?
        }
        KeyCmd::Discard { key } => {
            let key = engine.discard_pending_key(&key).await?;
            warn_leftover(&key);
            out.emit(&key, || format!("Discarded the private key of \"{}\"; the key is revoked.", key.label));
        }
    }
    Ok(())
}

/// Tells the user when Keyport could not delete a keychain copy it no longer needs.
/// `file_not_private` and the like, on standard error like other warnings
/// (standard output stays the result, also with `--json`).
fn warn_exposed(delivery: &Delivery) {
    for warning in &delivery.warnings {
        eprintln!("warning[{}]: {}", warning.code, warning.message);
    }
}

/// " (mode 0600)", unless the file system could not keep that.
fn mode_note(delivery: &Delivery) -> &'static str {
    if delivery.warnings.iter().any(|w| w.code == ErrorCode::FileNotPrivate) { "" } else { " (mode 0600)" }
}

fn warn_leftover(k: &ApiKeyInfo) {
    if k.keychain_cleanup_pending {
        eprintln!(
            "warning: the OS keychain refused to delete Keyport's copy of this private key; `keyport doctor` retries."
        );
    }
}

fn status(k: &ApiKeyInfo) -> String {
    match (k.status, k.download_pending) {
        (KeyStatus::Revoked, _) => format!("revoked: {}", k.revoke_reason.as_deref().unwrap_or("")),
        (KeyStatus::Active, true) => "active, download pending".into(),
        (KeyStatus::Active, false) => "active".into(),
    }
}

fn show(k: &ApiKeyInfo, now: time::OffsetDateTime) -> String {
    let mut pairs = vec![
        ("Label", k.label.clone()),
        ("Environment", k.environment.label().to_string()),
        ("API key", k.api_key.to_string()),
        ("Fingerprint", k.fingerprint.clone()),
        ("Size", format!("{} bits", k.bits)),
        ("Created", k.created_at.clone()),
        ("Age", age(&k.created_at, now)),
        ("Last validated", k.last_validated_at.clone().unwrap_or_else(|| "never".into())),
        ("Status", status(k)),
    ];
    if let Some(at) = &k.delivered_at {
        pairs.push(("Downloaded", at.clone()));
    }
    if k.kept_in_keychain {
        pairs.push(("Keychain", "private key kept for the Connector".into()));
    }
    if let Some(at) = &k.received_at {
        pairs.push(("Received", format!("{at}, in a key bundle")));
    }
    match &k.scope {
        Some(scope) => {
            pairs.push(("Scope merchants", scope.merchants.join(", ")));
            let features: Vec<&str> = scope.features.iter().map(|f| f.label()).collect();
            pairs.push(("Scope features", features.join(", ")));
        }
        None => pairs.push(("Scope", "unscoped (the account's full access)".into())),
    }
    if let Some(at) = &k.revoked_at {
        pairs.push(("Revoked", at.clone()));
    }
    pairs.push(("Id", k.id.clone()));
    fields(&pairs)
}

/// How long ago `created_at` was, in the largest whole unit ("3 days").
fn age(created_at: &str, now: time::OffsetDateTime) -> String {
    let Ok(created) = time::OffsetDateTime::parse(created_at, &time::format_description::well_known::Rfc3339) else {
        return "unknown".into();
    };
    let seconds = (now - created).whole_seconds().max(0);
    let (n, unit) = match seconds {
        s if s < 60 => return "less than a minute".into(),
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s if s < 86_400 * 365 => (s / 86_400, "day"),
        s => (s / (86_400 * 365), "year"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::age;
    use time::macros::datetime;

    #[test]
    fn ages_read_in_the_largest_whole_unit() {
        let now = datetime!(2026-11-23 12:00 UTC);
        assert_eq!(age("2026-11-23T11:59:30.000Z", now), "less than a minute");
        assert_eq!(age("2026-11-23T11:00:00.000Z", now), "1 hour");
        assert_eq!(age("2026-11-20T12:00:00.000Z", now), "3 days");
        assert_eq!(age("2024-11-20T12:00:00.000Z", now), "2 years");
        assert_eq!(age("not a date", now), "unknown");
    }
}
