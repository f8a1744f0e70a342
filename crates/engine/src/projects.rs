//! SaaS projects and data spaces, kept by Keyport for its local Commerce
//! Services sandbox. A project belongs to an account; creating one creates,
//! in the same transaction, exactly the data spaces the account's edition
//! allows.

use keyport_core::saas::data_space_plan;
use keyport_core::text::{clean, fold};
use keyport_core::{Edition, Field};
use sqlx::SqliteConnection;

use crate::Engine;
use crate::accounts::resolve;
use crate::error::{EngineError, Result};
use crate::model::{DataSpace, Project};
use crate::names::{Scope, ensure_name_free};
use crate::rows::{DataSpaceRow, ProjectRow, convert, parse_column};

impl Engine {
    /// The account's projects with their data spaces, oldest first.
    pub async fn projects(&self, account: &str) -> Result<Vec<Project>> {
        let mut conn = self.pool.acquire().await?;
        let account_id = resolve(&mut conn, account).await?;
        let rows: Vec<ProjectRow> =
            sqlx::query_as("SELECT * FROM projects WHERE account_id = ? ORDER BY created_at, id")
                .bind(&account_id)
                .fetch_all(&mut *conn)
                .await?;
        let spaces: Vec<DataSpace> = convert(
            sqlx::query_as::<_, DataSpaceRow>(
                "SELECT d.* FROM data_spaces d JOIN projects p ON p.id = d.project_id
                 WHERE p.account_id = ? ORDER BY d.position",
            )
            .bind(&account_id)
            .fetch_all(&mut *conn)
            .await?,
        )?;
        Ok(rows
            .into_iter()
            .map(|row| Project {
                data_spaces: spaces.iter().filter(|d| d.project_id == row.id).cloned().collect(),
                account_id: row.account_id,
                name: row.name,
                created_at: row.created_at,
                id: row.id,
            })
            .collect())
    }

    /// One project of the account, by id or name.
    pub async fn project(&self, account: &str, project: &str) -> Result<Project> {
        let mut conn = self.pool.acquire().await?;
        let account_id = resolve(&mut conn, account).await?;
        let id = find_project(&mut conn, &account_id, project).await?;
        drop(conn);
        self.projects(&account_id)
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| EngineError::ProjectNotFound(project.to_string()))
    }

    /// One project of the account, by id only (the HTTP API's path parameter).
    pub async fn project_by_id(&self, account: &str, id: &str) -> Result<Project> {
        self.projects(account)
            .await?
            .into_iter()
            .find(|p| p.id == id.trim())
            .ok_or_else(|| EngineError::ProjectNotFound(id.trim().chars().take(60).collect()))
    }

    /// Creates a project and the data spaces of the account's edition, all
    /// or nothing.
    pub async fn create_project(&self, account: &str, name: &str) -> Result<Project> {
        let name = clean(Field::ProjectName, name)?;
        let mut tx = self.begin_write().await?;
        let account_id = resolve(&mut tx, account).await?;
        let edition: Edition = parse_column(
            &sqlx::query_scalar::<_, String>("SELECT edition FROM accounts WHERE id = ?")
                .bind(&account_id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        ensure_name_free(&mut tx, Scope::Projects { account_id: &account_id }, &name, None).await?;
        let project_id = uuid::Uuid::new_v4().to_string();
        let at = self.timestamp();
        sqlx::query("INSERT INTO projects (id, account_id, name, name_folded, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(&project_id)
            .bind(&account_id)
            .bind(&name)
            .bind(fold(&name))
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        for (position, (kind, default_name)) in data_space_plan(edition).iter().enumerate() {
            sqlx::query(
                "INSERT INTO data_spaces (id, project_id, name, name_folded, type, position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(&project_id)
            .bind(default_name)
            .bind(fold(default_name))
            .bind(kind.as_str())
            .bind(position as i64)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        let spaces = data_space_plan(edition).len();
        self.record(&mut tx, Some(&account_id), "project.created", &format!("{name} ({spaces} data spaces)")).await?;
        tx.commit().await?;
        self.project(&account_id, &project_id).await
    }

    /// Renames a project (named by id or current name).
    pub async fn rename_project(&self, account: &str, project: &str, new_name: &str) -> Result<Project> {
        let new_name = clean(Field::ProjectName, new_name)?;
        let mut tx = self.begin_write().await?;
        let account_id = resolve(&mut tx, account).await?;
        let id = find_project(&mut tx, &account_id, project).await?;
        ensure_name_free(&mut tx, Scope::Projects { account_id: &account_id }, &new_name, Some(&id)).await?;
        let old: String =
            sqlx::query_scalar("SELECT name FROM projects WHERE id = ?").bind(&id).fetch_one(&mut *tx).await?;
        sqlx::query("UPDATE projects SET name = ?, name_folded = ? WHERE id = ?")
            .bind(&new_name)
            .bind(fold(&new_name))
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, Some(&account_id), "project.renamed", &format!("{old} → {new_name}")).await?;
        tx.commit().await?;
        self.project(&account_id, &id).await
    }

    /// One data space of the account, by id.
    pub async fn data_space(&self, account: &str, data_space: &str) -> Result<DataSpace> {
        let mut conn = self.pool.acquire().await?;
        let account_id = resolve(&mut conn, account).await?;
        find_data_space(&mut conn, &account_id, data_space).await
    }

    pub async fn rename_data_space(&self, account: &str, data_space: &str, new_name: &str) -> Result<DataSpace> {
        let new_name = clean(Field::DataSpaceName, new_name)?;
        let mut tx = self.begin_write().await?;
        let account_id = resolve(&mut tx, account).await?;
        let space = find_data_space(&mut tx, &account_id, data_space).await?;
        ensure_name_free(&mut tx, Scope::DataSpaces { project_id: &space.project_id }, &new_name, Some(&space.id))
            .await?;
        sqlx::query("UPDATE data_spaces SET name = ?, name_folded = ? WHERE id = ?")
            .bind(&new_name)
            .bind(fold(&new_name))
            .bind(&space.id)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, Some(&account_id), "data_space.renamed", &format!("{} → {new_name}", space.name)).await?;
        tx.commit().await?;
        self.data_space(&account_id, &space.id).await
    }
}

async fn find_project(conn: &mut SqliteConnection, account_id: &str, reference: &str) -> Result<String> {
    // An id match wins over a (theoretical) project named like another's id.
    sqlx::query_scalar(
        "SELECT id FROM projects WHERE account_id = ?1 AND (id = ?2 OR name_folded = ?3) ORDER BY id = ?2 DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(reference.trim())
    .bind(fold(reference))
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| EngineError::ProjectNotFound(reference.trim().chars().take(60).collect()))
}

async fn find_data_space(conn: &mut SqliteConnection, account_id: &str, reference: &str) -> Result<DataSpace> {
    let row: Option<DataSpaceRow> = sqlx::query_as(
        "SELECT d.* FROM data_spaces d JOIN projects p ON p.id = d.project_id WHERE p.account_id = ? AND d.id = ?",
    )
    .bind(account_id)
    .bind(reference.trim())
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => row.try_into(),
        None => Err(EngineError::DataSpaceNotFound(reference.trim().chars().take(60).collect())),
    }
}
