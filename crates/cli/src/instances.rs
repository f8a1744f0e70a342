//! `keyport instance …`: Commerce instances and their Commerce Services
//! Connector configuration, as the app's Stores › Instances and Connector
//! page offer them.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Subcommand;
use keyport_engine::core::{Environment, ErrorCode, GatewayChoice, InstanceType};
use keyport_engine::model::{
    ConnectorInput, Instance, InstanceChanges, InstanceStatus, NewInstance, PairInput, PastedSecret, PrivateKeySource,
    RegistryRow, SaasSelection,
};
use keyport_engine::{Engine, ErrorBody};
use keyport_sandbox::Sandbox;
use zeroize::Zeroizing;

use crate::accounts::target;
use crate::keys::read_private_key;
use crate::output::{Out, fields, table};
use crate::{CmdResult, Failure, confirming, failure};

#[derive(Subcommand)]
pub enum InstanceCmd {
    /// Add a Commerce instance.
    Add {
        #[arg(long)]
        name: String,
        /// The instance's base URL, e.g. https://shop.example.com/.
        #[arg(long, value_name = "URL")]
        url: String,
        /// production, staging or development.
        #[arg(long = "type")]
        instance_type: String,
        /// Its Magento website codes (store_website.code), comma-separated.
        #[arg(long, value_name = "CODES", default_value = "base")]
        websites: String,
        /// Id or MageID (default: the current account).
        #[arg(long)]
        account: Option<String>,
    },
    /// The instances of this home (or of one account).
    List {
        #[arg(long)]
        account: Option<String>,
    },
    /// One instance with its Connector configuration and status.
    Show { instance: String },
    /// Change an instance's name, URL, type, website codes or account.
    Edit {
        instance: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        #[arg(long = "type")]
        instance_type: Option<String>,
        #[arg(long, value_name = "CODES")]
        websites: Option<String>,
        #[arg(long)]
        account: Option<String>,
        /// Accept the warnings of a change that needs it (confirmation_required).
        #[arg(long)]
        confirm: bool,
    },
    /// Remove an instance and the private keys Keyport holds for it.
    Remove { instance: String },
    /// Save a key pair on the instance, checked like the Connector's Save Config.
    SetKeys {
        instance: String,
        /// production or sandbox.
        #[arg(long = "env")]
        environment: String,
        #[arg(long)]
        api_key: String,
        /// The private key file (PEM); `-` reads it from standard input.
        #[arg(long, value_name = "FILE", conflicts_with = "from_keychain", required_unless_present = "from_keychain")]
        private_key: Option<PathBuf>,
        /// Take the private key from this workstation's keychain (a kept or received key).
        #[arg(long)]
        from_keychain: bool,
        /// Make this pair the active one.
        #[arg(long)]
        activate: bool,
        /// Accept the warnings of a change that needs it.
        #[arg(long)]
        confirm: bool,
    },
    /// Make the instance use its production or sandbox pair (magento_saas/environment).
    Activate {
        instance: String,
        #[arg(long = "env")]
        environment: String,
    },
    /// The gateway: Keyport's sandbox, Adobe's, or a custom URL.
    SetGateway {
        instance: String,
        /// keyport, adobe or custom.
        gateway: String,
        /// The custom gateway's URL.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// The IMS organization id (optional); an empty value removes it.
    SetIms { instance: String, ims_organization_id: String },
    /// The projects and data spaces the gateway's registry offers the active pair.
    Registry { instance: String },
    /// Create a SaaS project through the gateway (registry/initialize).
    CreateProject {
        instance: String,
        #[arg(long)]
        name: String,
    },
    /// Rename a SaaS project through the gateway (by id or name).
    RenameProject {
        instance: String,
        project: String,
        #[arg(long)]
        name: String,
    },
    /// Rename a data space through the gateway (by id or name, within --project).
    RenameDataspace {
        instance: String,
        data_space: String,
        #[arg(long)]
        project: String,
        #[arg(long)]
        name: String,
    },
    /// Choose the instance's SaaS project and data space (each by id or name).
    SelectDataspace {
        instance: String,
        #[arg(long)]
        project: String,
        #[arg(long)]
        data_space: String,
        #[arg(long)]
        confirm: bool,
    },
    /// Check the instance's keys against its gateway now.
    Check { instance: String },
    /// Write apply.sh, env.php and the private keys for Magento into DIR.
    Export {
        instance: String,
        /// A new or empty folder (created 0700).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Have config:set store the keys in app/etc/env.php (--lock-env).
        #[arg(long)]
        lock_env: bool,
    },
}

/// Keyport's sandbox for this command: instances whose gateway is
/// `keyport` reach this home's data through it, over the real protocol.
async fn local_gateway(engine: &Engine) -> Result<Sandbox, Failure> {
    let bind: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 0));
    let sandbox = Sandbox::start(engine.clone(), bind)
        .await
        .map_err(|e| failure(ErrorCode::BindFailed, format!("Cannot start Keyport's sandbox: {e}")))?;
    engine.set_local_gateway(Some(sandbox.gateway_url()));
    Ok(sandbox)
}

fn environment(raw: &str) -> Result<Environment, Failure> {
    Ok(raw.parse::<Environment>()?)
}

pub async fn instance(engine: &Engine, cmd: InstanceCmd, out: &Out) -> CmdResult {
    // Commands that talk to the gateway run this home's sandbox meanwhile.
    let needs_gateway = matches!(
        cmd,
        InstanceCmd::SetKeys { .. }
            | InstanceCmd::Activate { .. }
            | InstanceCmd::SetGateway { .. }
            | InstanceCmd::Registry { .. }
            | InstanceCmd::CreateProject { .. }
            | InstanceCmd::RenameProject { .. }
            | InstanceCmd::RenameDataspace { .. }
            | InstanceCmd::SelectDataspace { .. }
            | InstanceCmd::Check { .. }
    );
    let sandbox = if needs_gateway { Some(local_gateway(engine).await?) } else { None };
    let result = run(engine, cmd, out).await;
    if let Some(sandbox) = sandbox {
        sandbox.stop().await;
    }
    result
}

async fn run(engine: &Engine, cmd: InstanceCmd, out: &Out) -> CmdResult {
    match cmd {
        InstanceCmd::Add { name, url, instance_type, websites, account } => {
            let account = target(engine, account).await?;
            let input = NewInstance {
                account: account.id,
                name,
                base_url: url,
                instance_type: instance_type.parse::<InstanceType>()?,
                website_codes: vec![websites],
            };
            let instance = engine.add_instance(input).await?;
            out.emit(&instance, || format!("Added the instance {}.\n{}", instance.name, show(&instance)));
        }
        InstanceCmd::List { account } => {
            let account = match account {
                Some(a) => Some(target(engine, Some(a)).await?.id),
                None => None,
            };
            let instances = engine.instances(account.as_deref()).await?;
            out.emit(&instances, || {
                if instances.is_empty() {
                    return "No instances yet. Add one: keyport instance add --name NAME --url URL --type TYPE".into();
                }
                let rows: Vec<Vec<String>> = instances
                    .iter()
                    .map(|i| {
                        vec![
                            i.name.clone(),
                            i.instance_type.to_string(),
                            i.base_url.clone(),
                            i.website_codes.join(","),
                            i.active_environment.to_string(),
                            i.saas
                                .as_ref()
                                .map(|s| format!("{} / {}", s.project_name, s.data_space_name))
                                .unwrap_or_default(),
                            status_word(i.status).into(),
                        ]
                    })
                    .collect();
                table(&["NAME", "TYPE", "URL", "WEBSITES", "ACTIVE", "DATA SPACE", "STATUS"], &rows)
            });
        }
        InstanceCmd::Show { instance } => {
            let instance = engine.instance(&instance).await?;
            out.emit(&instance, || show(&instance));
        }
        InstanceCmd::Edit { instance, name, url, instance_type, websites, account, confirm } => {
            let changes = InstanceChanges {
                name,
                base_url: url,
                instance_type: instance_type.map(|t| t.parse::<InstanceType>()).transpose()?,
                website_codes: websites.map(|w| vec![w]),
                account,
                confirmed: Vec::new(),
            };
            let instance = confirming(confirm, |confirmed| {
                engine.update_instance(&instance, InstanceChanges { confirmed, ..changes.clone() })
            })
            .await?;
            out.emit(&instance, || format!("Saved the instance {}.", instance.name));
        }
        InstanceCmd::Remove { instance } => {
            let removed = engine.remove_instance(&instance).await?;
            out.emit(&removed, || {
                format!("Removed the instance {} and the private keys Keyport held for it.", removed.name)
            });
        }
        InstanceCmd::SetKeys { instance, environment: env, api_key, private_key, from_keychain, activate, confirm } => {
            let env = environment(&env)?;
            // Standard input can be read only once: its text is kept (wiped
            // on drop) for a second attempt after a confirmation.
            enum Source {
                Keychain,
                File(String),
                Stdin(Zeroizing<String>),
            }
            let source = match (private_key, from_keychain) {
                (_, true) => Source::Keychain,
                (Some(path), false) if path.as_os_str() == "-" => Source::Stdin(read_private_key(&path)?),
                (Some(path), false) => Source::File(path.display().to_string()),
                (None, false) => {
                    return Err(failure(ErrorCode::InvalidArguments, "Give --private-key FILE or --from-keychain."));
                }
            };
            let saved = confirming(confirm, |confirmed| {
                let private_key = match &source {
                    Source::Keychain => PrivateKeySource::Keychain,
                    Source::File(path) => PrivateKeySource::File { path: path.clone() },
                    Source::Stdin(pem) => PrivateKeySource::Pasted { pem: PastedSecret::new(pem.to_string()) },
                };
                let pair = PairInput { api_key: api_key.clone(), private_key };
                let mut input = ConnectorInput { confirmed, ..Default::default() };
                match env {
                    Environment::Sandbox => input.sandbox = Some(pair),
                    Environment::Production => input.production = Some(pair),
                }
                if activate {
                    input.active_environment = Some(env);
                }
                engine.save_connector(&instance, input)
            })
            .await?;
            for notice in &saved.notices {
                eprintln!("notice: {notice}");
            }
            let i = &saved.instance;
            out.emit(&saved, || format!("Saved the {env} keys of {}: the gateway accepted them.\n{}", i.name, show(i)));
        }
        InstanceCmd::Activate { instance, environment: env } => {
            let instance = engine.activate_pair(&instance, environment(&env)?).await?;
            out.emit(&instance, || format!("{} now uses its {} keys.", instance.name, instance.active_environment));
        }
        InstanceCmd::SetGateway { instance, gateway, url } => {
            let gateway = gateway.parse::<GatewayChoice>()?;
            let input = ConnectorInput { gateway: Some(gateway), gateway_url: url, ..Default::default() };
            let i = engine.save_connector(&instance, input).await?.instance;
            out.emit(&i, || {
                format!("{} now uses {}.", i.name, i.gateway_url.clone().unwrap_or(i.gateway.label().into()))
            });
        }
        InstanceCmd::SetIms { instance, ims_organization_id } => {
            let input = ConnectorInput { ims_organization_id: Some(ims_organization_id), ..Default::default() };
            let i = engine.save_connector(&instance, input).await?.instance;
            out.emit(&i, || match &i.ims_organization_id {
                Some(id) => format!("{} has the IMS organization {id}.", i.name),
                None => format!("{} has no IMS organization.", i.name),
            });
        }
        InstanceCmd::Registry { instance } => {
            let rows = engine.connector_registry(&instance).await?;
            out.emit(&rows, || registry_table(&rows));
        }
        InstanceCmd::CreateProject { instance, name } => {
            let rows = engine.connector_create_project(&instance, &name).await?;
            out.emit(&rows, || format!("Created the project {name}.\n{}", registry_table(&rows)));
        }
        InstanceCmd::RenameProject { instance, project, name } => {
            let id = find_project(engine, &instance, &project).await?;
            let rows = engine.connector_rename_project(&instance, &id, &name).await?;
            out.emit(&rows, || format!("Renamed the project to {name}."));
        }
        InstanceCmd::RenameDataspace { instance, data_space, project, name } => {
            let row = engine.connector_find_data_space(&instance, &project, &data_space).await?;
            let renamed = engine.connector_rename_data_space(&instance, &row.environment_id, &name).await?;
            out.emit(&renamed, || format!("Renamed the data space to {}.", renamed.environment_name));
        }
        InstanceCmd::SelectDataspace { instance, project, data_space, confirm } => {
            let row = engine.connector_find_data_space(&instance, &project, &data_space).await?;
            let selection = SaasSelection { project_id: row.project_id, data_space_id: row.environment_id };
            let i = confirming(confirm, |confirmed| {
                let input = ConnectorInput { saas: Some(selection.clone()), confirmed, ..Default::default() };
                engine.save_connector(&instance, input)
            })
            .await?
            .instance;
            out.emit(&i, || {
                let saas = i
                    .saas
                    .as_ref()
                    .map(|s| format!("{} / {} ({})", s.project_name, s.data_space_name, s.data_space_type));
                format!("{} sends its data to {}.", i.name, saas.unwrap_or_default())
            });
        }
        InstanceCmd::Check { instance } => {
            let i = engine.check_instance(&instance).await?;
            if i.status != InstanceStatus::Connected {
                let code = match i.status {
                    InstanceStatus::KeysRevoked => ErrorCode::KeyRevoked,
                    _ => i.last_check_code.unwrap_or(ErrorCode::GatewayRefused),
                };
                return Err(Failure(ErrorBody::new(code, format!("{}: {}", i.name, i.status_message))));
            }
            out.emit(&i, || format!("{}: connected — the gateway accepted its keys.", i.name));
        }
        InstanceCmd::Export { instance, out: folder, lock_env } => {
            let export = engine.export_instance(&instance, &folder, lock_env).await?;
            if export.holds_private_keys {
                eprintln!(
                    "warning: {} holds private keys (mode 0600). Copy it to the Magento machine, run apply.sh, then delete it.",
                    export.folder
                );
            }
            for notice in &export.notices {
                eprintln!("notice: {notice}");
            }
            out.emit(&export, || {
                format!(
                    "Wrote {} to {}.\nOn the Magento machine, from its root: sh {}/apply.sh",
                    export.files.join(", "),
                    export.folder,
                    export.folder
                )
            });
        }
    }
    Ok(())
}

async fn find_project(engine: &Engine, instance: &str, project: &str) -> Result<String, Failure> {
    let rows = engine.connector_registry(instance).await?;
    let folded = project.trim().to_lowercase();
    rows.iter()
        .find(|r| r.project_id == project.trim() || r.project_name.to_lowercase() == folded)
        .map(|r| r.project_id.clone())
        .ok_or_else(|| keyport_engine::EngineError::ProjectNotFound(project.trim().chars().take(60).collect()).into())
}

fn registry_table(rows: &[RegistryRow]) -> String {
    if rows.is_empty() {
        return "The registry has no projects yet. Create one: keyport instance create-project INSTANCE --name NAME"
            .into();
    }
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.project_name.clone(),
                r.project_id.clone(),
                r.environment_name.clone(),
                r.environment_type.clone(),
                r.environment_id.clone(),
            ]
        })
        .collect();
    table(&["PROJECT", "PROJECT ID", "DATA SPACE", "TYPE", "DATA SPACE ID"], &lines)
}

fn status_word(status: InstanceStatus) -> &'static str {
    match status {
        InstanceStatus::NotConfigured => "not configured",
        InstanceStatus::KeysRevoked => "keys no longer valid",
        InstanceStatus::CheckFailed => "check failed",
        InstanceStatus::Connected => "connected",
        InstanceStatus::Unchecked => "not checked",
    }
}

fn show(i: &Instance) -> String {
    let keys = |env: Environment| match i.keys(env) {
        Some(k) => {
            let label = k.key.as_ref().map(|known| format!(" “{}”", known.label)).unwrap_or_default();
            format!("{}{label} ({})", k.api_key, k.fingerprint)
        }
        None => "not configured".into(),
    };
    let mut pairs = vec![
        ("Name", i.name.clone()),
        ("Base URL", i.base_url.clone()),
        ("Type", i.instance_type.label().to_string()),
        ("Websites", i.website_codes.join(", ")),
        ("Status", format!("{} — {}", status_word(i.status), i.status_message)),
        ("Last checked", i.last_checked_at.clone().unwrap_or_else(|| "never".into())),
        ("Gateway", i.gateway_url.clone().unwrap_or_else(|| i.gateway.label().to_string())),
        ("Active pair", i.active_environment.label().to_string()),
        ("Sandbox keys", keys(Environment::Sandbox)),
        ("Production keys", keys(Environment::Production)),
    ];
    if let Some(s) = &i.saas {
        pairs.push(("Project", format!("{} ({})", s.project_name, s.project_id)));
        pairs.push(("Data space", format!("{} ({}, {})", s.data_space_name, s.data_space_type, s.data_space_id)));
    }
    if let Some(ims) = &i.ims_organization_id {
        pairs.push(("IMS organization", ims.clone()));
    }
    pairs.push(("Id", i.id.clone()));
    fields(&pairs)
}
