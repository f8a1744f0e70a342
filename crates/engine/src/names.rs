//! Name uniqueness, one rule for every named thing: compared on the folded
//! form (case and surrounding spaces ignored) within its scope.

use keyport_core::Field;
use keyport_core::text::fold;
use sqlx::SqliteConnection;

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
    let mut query = sqlx::query_scalar::<_, String>(&sql).bind(fold(name)).bind(except);
    if let Some(value) = scope_value {
        query = query.bind(value);
    }
    match query.fetch_optional(&mut *conn).await? {
        Some(_) => Err(EngineError::NameTaken { what, field, name: name.to_string() }),
        None => Ok(()),
    }
}
