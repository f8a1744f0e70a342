//! `keyport account …`, `keyport merchant …`, `keyport activity`, `keyport doctor`.

use std::path::PathBuf;

use clap::Subcommand;
use keyport_engine::core::{Edition, OperatingModel, Standing};
use keyport_engine::doctor::DoctorCheck;
use keyport_engine::model::{Account, AccountChanges, NewAccount};
use keyport_engine::{Engine, ErrorCode, Home};

use crate::output::{Out, fields, table};
use crate::{CmdResult, Failure, failure};

#[derive(Subcommand)]
pub enum AccountCmd {
    /// Create an account; the first one becomes the current account.
    Create {
        /// MAG followed by 9 digits, e.g. MAG012345678.
        #[arg(long)]
        mage_id: String,
        #[arg(long)]
        name: String,
        /// adobe_commerce or magento_open_source.
        #[arg(long)]
        edition: String,
        /// primary_merchant, platform_marketplace, ecosystem or managed_ecosystem.
        #[arg(long)]
        operating_model: String,
    },
    /// List the accounts of this home (* marks the current one).
    List,
    /// Show an account (default: the current one).
    Show { account: Option<String> },
    /// Change an account's name, edition, operating model or standing.
    Edit {
        /// Id or MageID (default: the current account).
        account: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        edition: Option<String>,
        #[arg(long)]
        operating_model: Option<String>,
        /// good or suspended.
        #[arg(long)]
        standing: Option<String>,
        /// Accept the warnings of a change that needs it (scoped keys it revokes).
        #[arg(long)]
        confirm: bool,
    },
    /// Make an account (id or MageID) the current one.
    Use { account: String },
}

#[derive(Subcommand)]
pub enum MerchantCmd {
    /// Add a merchant to an Ecosystem or Managed Ecosystem account.
    Add {
        #[arg(long)]
        name: String,
        /// Id or MageID (default: the current account).
        #[arg(long)]
        account: Option<String>,
    },
    /// List the account's merchants.
    List {
        #[arg(long)]
        account: Option<String>,
    },
    /// Rename a merchant (named by id or current name).
    Rename {
        merchant: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        account: Option<String>,
    },
    /// Remove a merchant (named by id or name).
    Remove {
        merchant: String,
        #[arg(long)]
        account: Option<String>,
        /// Accept revoking the scoped keys that name the merchant.
        #[arg(long)]
        confirm: bool,
    },
}

/// Parses an optional enum argument with the domain's coded error.
fn parse_opt<T: std::str::FromStr<Err = keyport_engine::core::CoreError>>(
    raw: Option<String>,
) -> Result<Option<T>, Failure> {
    Ok(raw.map(|r| r.parse::<T>()).transpose()?)
}

/// The account a command is about: the one named, else the current one.
pub async fn target(engine: &Engine, account: Option<String>) -> Result<Account, Failure> {
    Ok(match account {
        Some(reference) => engine.account(&reference).await?,
        None => engine.current_account().await?,
    })
}

pub async fn account(engine: &Engine, cmd: AccountCmd, out: &Out) -> CmdResult {
    match cmd {
        AccountCmd::Create { mage_id, name, edition, operating_model } => {
            let input = NewAccount {
                mage_id,
                name,
                edition: edition.parse::<Edition>()?,
                operating_model: operating_model.parse::<OperatingModel>()?,
            };
            let account = engine.create_account(input).await?;
            out.emit(&account, || {
                format!("Created account {} ({}).\n{}", account.name, account.mage_id, show(&account))
            });
        }
        AccountCmd::List => {
            let accounts = engine.accounts().await?;
            out.emit(&accounts, || {
                if accounts.is_empty() {
                    return "No accounts yet. Create one: keyport account create --help".into();
                }
                let rows: Vec<Vec<String>> = accounts
                    .iter()
                    .map(|a| {
                        vec![
                            if a.is_current { "*".into() } else { String::new() },
                            a.mage_id.to_string(),
                            a.name.clone(),
                            a.edition.label().into(),
                            a.operating_model.label().into(),
                            a.standing.label().into(),
                        ]
                    })
                    .collect();
                table(&["", "MAGEID", "NAME", "EDITION", "OPERATING MODEL", "STANDING"], &rows)
            });
        }
        AccountCmd::Show { account } => {
            let account = target(engine, account).await?;
            out.emit(&account, || show(&account));
        }
        AccountCmd::Edit { account, name, edition, operating_model, standing, confirm } => {
            let changes = AccountChanges {
                name,
                edition: parse_opt::<Edition>(edition)?,
                operating_model: parse_opt::<OperatingModel>(operating_model)?,
                standing: parse_opt::<Standing>(standing)?,
                confirmed: Vec::new(),
            };
            let id = target(engine, account).await?.id;
            let account = crate::confirming(confirm, |confirmed| {
                engine.update_account(&id, AccountChanges { confirmed, ..changes.clone() })
            })
            .await?;
            out.emit(&account, || format!("Saved.\n{}", show(&account)));
        }
        AccountCmd::Use { account } => {
            let account = engine.use_account(&account).await?;
            out.emit(&account, || format!("Now using {} ({}).", account.name, account.mage_id));
        }
    }
    Ok(())
}

fn show(a: &Account) -> String {
    let mut pairs = vec![
        ("MageID", a.mage_id.to_string()),
        ("Name", a.name.clone()),
        ("Edition", a.edition.label().to_string()),
        ("Operating model", a.operating_model.label().to_string()),
        ("Standing", a.standing.label().to_string()),
        ("Current", if a.is_current { "yes" } else { "no" }.to_string()),
        ("Created", a.created_at.clone()),
        ("Id", a.id.clone()),
    ];
    if a.operating_model.has_merchants() {
        let names: Vec<_> = a.merchants.iter().map(|m| m.name.as_str()).collect();
        pairs.push(("Merchants", if names.is_empty() { "none".into() } else { names.join(", ") }));
    }
    fields(&pairs)
}

pub async fn merchant(engine: &Engine, cmd: MerchantCmd, out: &Out) -> CmdResult {
    match cmd {
        MerchantCmd::Add { name, account } => {
            let account = target(engine, account).await?;
            let merchant = engine.add_merchant(&account.id, &name).await?;
            out.emit(&merchant, || format!("Added merchant {} to {}.", merchant.name, account.name));
        }
        MerchantCmd::List { account } => {
            let account = target(engine, account).await?;
            if !account.operating_model.has_merchants() {
                return Err(keyport_engine::EngineError::MerchantsNotAllowed(account.operating_model.label()).into());
            }
            out.emit(&account.merchants, || {
                let rows: Vec<Vec<String>> = account
                    .merchants
                    .iter()
                    .map(|m| vec![m.name.clone(), m.created_at.clone(), m.id.clone()])
                    .collect();
                if rows.is_empty() { "No merchants yet.".into() } else { table(&["NAME", "ADDED", "ID"], &rows) }
            });
        }
        MerchantCmd::Rename { merchant, name, account } => {
            let account = target(engine, account).await?;
            let merchant = engine.rename_merchant(&account.id, &merchant, &name).await?;
            out.emit(&merchant, || format!("Renamed to {}.", merchant.name));
        }
        MerchantCmd::Remove { merchant, account, confirm } => {
            let account = target(engine, account).await?;
            let merchant = crate::confirming(confirm, |confirmed| {
                let (account, merchant) = (account.id.clone(), merchant.clone());
                async move { engine.remove_merchant(&account, &merchant, &confirmed).await }
            })
            .await?;
            out.emit(&merchant, || format!("Removed merchant {}.", merchant.name));
        }
    }
    Ok(())
}

pub async fn activity(engine: &Engine, account: Option<String>, limit: u32, offset: u32, out: &Out) -> CmdResult {
    let account_id = match account {
        Some(reference) => Some(engine.account(&reference).await?.id),
        None => None,
    };
    let entries = engine.activity(account_id.as_deref(), limit, offset).await?.entries;
    out.emit(&entries, || {
        let rows: Vec<Vec<String>> =
            entries.iter().map(|e| vec![e.at.clone(), e.action.clone(), e.detail.clone()]).collect();
        table(&["AT", "ACTION", "DETAIL"], &rows)
    });
    Ok(())
}

/// Checks each layer in turn (home, database, files, keychain), prints what
/// it found, and fails with the code of the layer that is not usable.
pub async fn doctor(home: Option<PathBuf>, out: &Out) -> CmdResult {
    let (checks, result) = doctor_checks(home).await;
    out.emit(&checks, || checks.iter().map(|c| c.line() + "\n").collect());
    result
}

/// The engine's checks once the home and its database opened; before that,
/// the layer that failed is the last line.
async fn doctor_checks(home: Option<PathBuf>) -> (Vec<DoctorCheck>, CmdResult) {
    let home = match Home::resolve(home) {
        Ok(home) => home,
        Err(e) => return (vec![DoctorCheck::new("home", Err(e.to_string()))], Err(e.into())),
    };
    let opened = DoctorCheck::new("home", Ok(home.path().display().to_string()));
    let engine = match Engine::open(home).await {
        Ok(engine) => engine,
        Err(e) => return (vec![opened, DoctorCheck::new("database", Err(e.to_string()))], Err(e.into())),
    };
    let checks = engine.doctor().await;
    engine.close().await;
    // Leftovers that could not be settled are reported, not failures.
    let result = match checks.iter().find(|c| !c.ok && matches!(c.name.as_str(), "database" | "keychain")) {
        Some(c) if c.name == "keychain" => Err(failure(ErrorCode::KeychainUnavailable, c.detail.clone())),
        Some(c) => Err(failure(ErrorCode::DatabaseError, c.detail.clone())),
        None => Ok(()),
    };
    (checks, result)
}
