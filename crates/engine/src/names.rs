//! Name uniqueness, one rule for every named thing: compared on the folded
//! form (case, compatibility look-alikes and surrounding spaces ignored)
//! within its scope.

use keyport_core::Field;
use keyport_core::text::{FOLD_VERSION, fold};
use sqlx::AssertSqlSafe;
use sqlx::{SqliteConnection, SqlitePool};

use crate::error::{EngineError, Result};

/// Where a name must be unique.
pub(crate) enum Scope<'a> {
    /// Account names, across the whole home.
    Accounts,
    /// Instance names, across the whole home (the CLI names instances by them).
    Instances,
    Merchants {
        account_id: &'a str,
    },
    Projects {
        account_id: &'a str,
    },
    DataSpaces {
        project_id: &'a str,
    },
}

impl Scope<'_> {
    fn parts(&self) -> (&'static str, Option<(&'static str, &str)>, &'static str, Field) {
        match self {
            Scope::Accounts => ("accounts", None, "An account named", Field::AccountName),
            Scope::Instances => ("instances", None, "An instance named", Field::InstanceName),
            Scope::Merchants { account_id } => {
                ("merchants", Some(("account_id", account_id)), "A merchant named", Field::MerchantName)
            }
            Scope::Projects { account_id } => {
                ("projects", Some(("account_id", account_id)), "A project named", Field::ProjectName)
            }
            Scope::DataSpaces { project_id } => (
                "data_spaces",
                Some(("project_id", project_id)),
                "A data space of this project named",
                Field::DataSpaceName,
            ),
        }
    }
}

/// Fails with `name_taken` if another row (not `except`) in `scope` has `name`.
pub(crate) async fn ensure_name_free(
    conn: &mut SqliteConnection,
    scope: Scope<'_>,
    name: &str,
    except: Option<&str>,
) -> Result<()> {
    let (table, within, what, field) = scope.parts();
    // Table and column names are the constants above, never user input.
    let (sql, scope_value) = match within {
        Some((column, value)) => {
            (format!("SELECT id FROM {table} WHERE {column} = ?3 AND name_folded = ?1 AND id IS NOT ?2"), Some(value))
        }
        None => (format!("SELECT id FROM {table} WHERE name_folded = ?1 AND id IS NOT ?2"), None),
    };
    let mut query = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql)).bind(fold(name)).bind(except);
    if let Some(value) = scope_value {
        query = query.bind(value);
    }
    match query.fetch_optional(&mut *conn).await? {
        Some(_) => Err(EngineError::NameTaken { what, field, name: name.to_string() }),
        None => Ok(()),
    }
}

/// Every stored folded form, with the column it is folded from.
const FOLDED_COLUMNS: [(&str, &str, &str); 6] = [
    ("accounts", "name", "name_folded"),
    ("merchants", "name", "name_folded"),
    ("projects", "name", "name_folded"),
    ("data_spaces", "name", "name_folded"),
    ("instances", "name", "name_folded"),
    ("api_keys", "label", "label_folded"),
];

/// Redoes the stored folded forms when [`fold`] has changed since they were
/// written (`settings.fold_version`), so uniqueness and search follow the
/// current rule. Two old names that now fold alike ("Straße" and "Strasse")
/// both stay: the later one keeps its old form (`UPDATE OR IGNORE`), and no
/// new name can take either. Runs once per change, under the open lock.
pub(crate) async fn refold(pool: &SqlitePool) -> Result<()> {
    let version = FOLD_VERSION.to_string();
    if crate::home::setting(pool, "fold_version").await?.as_deref() == Some(version.as_str()) {
        return Ok(());
    }
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    for (table, source, folded) in FOLDED_COLUMNS {
        // Table and column names are the constants above, never user input.
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as(AssertSqlSafe(format!("SELECT rowid, {source}, {folded} FROM {table}")))
                .fetch_all(&mut *tx)
                .await?;
        let update = format!("UPDATE OR IGNORE {table} SET {folded} = ? WHERE rowid = ?");
        for (rowid, value, stored) in rows {
            let refolded = fold(&value);
            if refolded != stored {
                sqlx::query(AssertSqlSafe(update.as_str())).bind(refolded).bind(rowid).execute(&mut *tx).await?;
            }
        }
    }
    sqlx::query("INSERT INTO settings (key, value) VALUES ('fold_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(version)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
