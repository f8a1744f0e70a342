//! Accounts and their merchants.

use keyport_core::scope::Feature;
use keyport_core::text::{clean, fold};
use keyport_core::{Edition, Field, MageId, OperatingModel, Standing};
use sqlx::SqliteConnection;

use crate::Engine;
use crate::error::{EngineError, Result};
use crate::instances::require_confirmed;
use crate::model::{Account, AccountChanges, Merchant, NewAccount};
use crate::names::{Scope, ensure_name_free};
use crate::rows::{AccountRow, MerchantRow, parse_column};
use crate::scopes::{affected_by_merchant, affected_by_model, revoke_warning};

const CURRENT_ACCOUNT: &str = "current_account_id";

impl Engine {
    pub async fn create_account(&self, input: NewAccount) -> Result<Account> {
        let mage_id = MageId::parse(&input.mage_id)?;
        let name = clean(Field::AccountName, &input.name)?;

        let mut tx = self.begin_write().await?;
        let taken: Option<String> = sqlx::query_scalar("SELECT id FROM accounts WHERE mage_id = ?")
            .bind(mage_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(EngineError::MageIdTaken(mage_id.to_string()));
        }
        ensure_name_free(&mut tx, Scope::Accounts, &name, None).await?;

        let id = uuid::Uuid::new_v4().to_string();
        let at = self.timestamp();
        sqlx::query(
            "INSERT INTO accounts (id, mage_id, name, name_folded, edition, operating_model, standing, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, 'good', ?, ?)",
        )
        .bind(&id)
        .bind(mage_id.as_str())
        .bind(&name)
        .bind(fold(&name))
        .bind(input.edition.as_str())
        .bind(input.operating_model.as_str())
        .bind(&at)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        // The first account becomes the current one.
        sqlx::query("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)")
            .bind(CURRENT_ACCOUNT)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, Some(&id), "account.created", &format!("{name} ({mage_id})")).await?;
        tx.commit().await?;
        self.account(&id).await
    }

    /// All accounts of this home, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let mut conn = self.pool.acquire().await?;
        let current = current_id(&mut conn).await?;
        let rows = sqlx::query_as::<_, AccountRow>("SELECT * FROM accounts ORDER BY name_folded")
            .fetch_all(&mut *conn)
            .await?;
        let mut accounts = Vec::with_capacity(rows.len());
        for row in rows {
            let account = row.into_account(current.as_deref(), Vec::new())?;
            let merchants = merchants_of(&mut conn, &account.id).await?;
            accounts.push(Account { merchants, ..account });
        }
        Ok(accounts)
    }

    /// One account, by id or MageID.
    pub async fn account(&self, reference: &str) -> Result<Account> {
        let mut conn = self.pool.acquire().await?;
        let id = resolve(&mut conn, reference).await?;
        let current = current_id(&mut conn).await?;
        let row = sqlx::query_as::<_, AccountRow>("SELECT * FROM accounts WHERE id = ?")
            .bind(&id)
            .fetch_one(&mut *conn)
            .await?;
        let merchants = merchants_of(&mut conn, &id).await?;
        row.into_account(current.as_deref(), merchants)
    }

    /// The account to work on, or `no_account` on a fresh home.
    pub async fn current_account(&self) -> Result<Account> {
        let mut conn = self.pool.acquire().await?;
        match current_id(&mut conn).await? {
            Some(id) => {
                drop(conn);
                self.account(&id).await
            }
            None => Err(EngineError::NoAccount),
        }
    }

    /// Makes an account (by id or MageID) the current one.
    pub async fn use_account(&self, reference: &str) -> Result<Account> {
        let mut tx = self.begin_write().await?;
        let id = resolve(&mut tx, reference).await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(CURRENT_ACCOUNT)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        self.record(&mut tx, Some(&id), "account.selected", "").await?;
        tx.commit().await?;
        self.account(&id).await
    }

    pub async fn update_account(&self, reference: &str, changes: AccountChanges) -> Result<Account> {
        let name = changes.name.as_deref().map(|n| clean(Field::AccountName, n)).transpose()?;

        let mut tx = self.begin_write().await?;
        let id = resolve(&mut tx, reference).await?;
        let before = sqlx::query_as::<_, AccountRow>("SELECT * FROM accounts WHERE id = ?")
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?
            .into_account(None, Vec::new())?;

        if let Some(name) = &name {
            ensure_name_free(&mut tx, Scope::Accounts, name, Some(&id)).await?;
        }
        if let Some(model) = changes.operating_model
            && !model.has_merchants()
        {
            let count: i64 = sqlx::query_scalar("SELECT count(*) FROM merchants WHERE account_id = ?")
                .bind(&id)
                .fetch_one(&mut *tx)
                .await?;
            if count > 0 {
                return Err(EngineError::MerchantsExist(count));
            }
        }

        let name = name.unwrap_or(before.name.clone());
        let edition = changes.edition.unwrap_or(before.edition);
        let model = changes.operating_model.unwrap_or(before.operating_model);
        let standing = changes.standing.unwrap_or(before.standing);
        // Scoped keys the new operating model cannot hold are revoked, after
        // a confirmation that names them.
        let affected =
            if model != before.operating_model { affected_by_model(&mut tx, &id, model).await? } else { Vec::new() };
        if !affected.is_empty() {
            let why = if Feature::offered_by(model).is_empty() {
                format!("{} accounts cannot have scoped keys", model.label())
            } else {
                format!("{} accounts offer only {}", model.label(), offered_labels(model))
            };
            require_confirmed(vec![revoke_warning(&affected, &why)], &changes.confirmed)?;
            let reason = format!("operating model changed to {}", model.label());
            self.revoke_in(&mut tx, &id, &affected, &reason).await?;
        }
        sqlx::query(
            "UPDATE accounts SET name = ?, name_folded = ?, edition = ?, operating_model = ?, standing = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(&name)
        .bind(fold(&name))
        .bind(edition.as_str())
        .bind(model.as_str())
        .bind(standing.as_str())
        .bind(self.timestamp())
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        let detail = describe_changes(&before, &name, edition, model, standing);
        self.record(&mut tx, Some(&id), "account.updated", &detail).await?;
        tx.commit().await?;
        self.forget_revoked(&affected).await;
        self.account(&id).await
    }

    pub async fn add_merchant(&self, account: &str, name: &str) -> Result<Merchant> {
        let name = clean(Field::MerchantName, name)?;
        let mut tx = self.begin_write().await?;
        let account_id = resolve(&mut tx, account).await?;
        ensure_has_merchants(&mut tx, &account_id).await?;
        ensure_name_free(&mut tx, Scope::Merchants { account_id: &account_id }, &name, None).await?;
        let merchant = Merchant { id: uuid::Uuid::new_v4().to_string(), name, created_at: self.timestamp() };
        sqlx::query("INSERT INTO merchants (id, account_id, name, name_folded, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(&merchant.id)
            .bind(&account_id)
            .bind(&merchant.name)
            .bind(fold(&merchant.name))
            .bind(&merchant.created_at)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, Some(&account_id), "merchant.added", &merchant.name).await?;
        tx.commit().await?;
        Ok(merchant)
    }

    /// Renames a merchant, named by id or by its current name.
    pub async fn rename_merchant(&self, account: &str, merchant: &str, new_name: &str) -> Result<Merchant> {
        let new_name = clean(Field::MerchantName, new_name)?;
        let mut tx = self.begin_write().await?;
        let account_id = resolve(&mut tx, account).await?;
        ensure_has_merchants(&mut tx, &account_id).await?;
        let (id, old_name) = find_merchant(&mut tx, &account_id, merchant).await?;
        ensure_name_free(&mut tx, Scope::Merchants { account_id: &account_id }, &new_name, Some(&id)).await?;
        sqlx::query("UPDATE merchants SET name = ?, name_folded = ? WHERE id = ?")
            .bind(&new_name)
            .bind(fold(&new_name))
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, Some(&account_id), "merchant.renamed", &format!("{old_name} → {new_name}")).await?;
        let renamed = merchant_by_id(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(renamed)
    }

    /// Removes a merchant. Scoped keys that name it are revoked, after a
    /// confirmation that names them (`confirmed`, word for word).
    pub async fn remove_merchant(&self, account: &str, merchant: &str, confirmed: &[String]) -> Result<Merchant> {
        let mut tx = self.begin_write().await?;
        let account_id = resolve(&mut tx, account).await?;
        ensure_has_merchants(&mut tx, &account_id).await?;
        let (id, _) = find_merchant(&mut tx, &account_id, merchant).await?;
        let removed = merchant_by_id(&mut tx, &id).await?;
        let affected = affected_by_merchant(&mut tx, &id).await?;
        if !affected.is_empty() {
            let why = format!("Removing the merchant “{}” takes it out of the keys that name it", removed.name);
            require_confirmed(vec![revoke_warning(&affected, &why)], confirmed)?;
            let reason = format!("merchant {} removed", removed.name);
            self.revoke_in(&mut tx, &account_id, &affected, &reason).await?;
        }
        sqlx::query("DELETE FROM merchants WHERE id = ?").bind(&id).execute(&mut *tx).await?;
        self.record(&mut tx, Some(&account_id), "merchant.removed", &removed.name).await?;
        tx.commit().await?;
        self.forget_revoked(&affected).await;
        Ok(removed)
    }
}

/// The id of the account named by `reference`: a MageID or an account id.
pub(crate) async fn resolve(conn: &mut SqliteConnection, reference: &str) -> Result<String> {
    let trimmed = reference.trim();
    let found: Option<String> = match MageId::parse(trimmed) {
        Ok(mage_id) => {
            sqlx::query_scalar("SELECT id FROM accounts WHERE mage_id = ?")
                .bind(mage_id.as_str())
                .fetch_optional(&mut *conn)
                .await?
        }
        Err(_) => {
            sqlx::query_scalar("SELECT id FROM accounts WHERE id = ?").bind(trimmed).fetch_optional(&mut *conn).await?
        }
    };
    found.ok_or_else(|| EngineError::AccountNotFound(brief(trimmed)))
}

/// Caps user input quoted back in an error message.
fn brief(raw: &str) -> String {
    raw.chars().take(60).collect()
}

async fn current_id(conn: &mut SqliteConnection) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ? AND value IN (SELECT id FROM accounts)")
        .bind(CURRENT_ACCOUNT)
        .fetch_optional(&mut *conn)
        .await?)
}

async fn ensure_has_merchants(conn: &mut SqliteConnection, account_id: &str) -> Result<()> {
    let model: String = sqlx::query_scalar("SELECT operating_model FROM accounts WHERE id = ?")
        .bind(account_id)
        .fetch_one(&mut *conn)
        .await?;
    let model: OperatingModel = parse_column(&model)?;
    if model.has_merchants() { Ok(()) } else { Err(EngineError::MerchantsNotAllowed(model.label())) }
}

async fn find_merchant(conn: &mut SqliteConnection, account_id: &str, reference: &str) -> Result<(String, String)> {
    sqlx::query_as("SELECT id, name FROM merchants WHERE account_id = ? AND (id = ? OR name_folded = ?)")
        .bind(account_id)
        .bind(reference.trim())
        .bind(fold(reference))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| EngineError::MerchantNotFound(brief(reference.trim())))
}

async fn merchant_by_id(conn: &mut SqliteConnection, id: &str) -> Result<Merchant> {
    let row: MerchantRow = sqlx::query_as("SELECT id, name, created_at FROM merchants WHERE id = ?")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.into())
}

async fn merchants_of(conn: &mut SqliteConnection, account_id: &str) -> Result<Vec<Merchant>> {
    let rows: Vec<MerchantRow> =
        sqlx::query_as("SELECT id, name, created_at FROM merchants WHERE account_id = ? ORDER BY name_folded")
            .bind(account_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(Merchant::from).collect())
}

fn describe_changes(
    before: &Account,
    name: &str,
    edition: Edition,
    model: OperatingModel,
    standing: Standing,
) -> String {
    let mut parts = Vec::new();
    if before.name != name {
        parts.push(format!("name: {} → {}", before.name, name));
    }
    if before.edition != edition {
        parts.push(format!("edition: {} → {}", before.edition.label(), edition.label()));
    }
    if before.operating_model != model {
        parts.push(format!("operating model: {} → {}", before.operating_model.label(), model.label()));
    }
    if before.standing != standing {
        parts.push(format!("standing: {} → {}", before.standing.label(), standing.label()));
    }
    if parts.is_empty() { "no change".to_string() } else { parts.join("; ") }
}

fn offered_labels(model: OperatingModel) -> String {
    Feature::offered_by(model).iter().map(|f| f.label()).collect::<Vec<_>>().join(" and ")
}
