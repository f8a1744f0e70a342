//! API key pairs: generation, labels, revocation and the key list. The
//! private key's one-time delivery is in `delivery.rs`; the keychain entries
//! it passes through, with their journal, in `keychain.rs`.

use keyport_core::keys::{KeyPair, check_key_size};
use keyport_core::text::{clean, fold};
use keyport_core::{AccountRelation, ApiKey, Environment, Field, KeyStatus};
use sqlx::AssertSqlSafe;
use sqlx::SqliteConnection;

use crate::Engine;
use crate::accounts::resolve;
use crate::error::{EngineError, Result};
use crate::keychain::pending_entry;
use crate::model::{ApiKeyInfo, KeyFilter, KeyPage, KeyQuery, KeySizeStatus, KeySortField, NewKey};
use crate::rows::{KeyRow, convert, parse_column};
use crate::scopes::{ResolvedScope, resolve_scope, with_scopes, write_scope};

/// The reason recorded when the user discards a key instead of saving it.
pub const DISCARDED_REASON: &str = "private key discarded";

/// A new key's checked input.
pub(crate) struct CheckedKey {
    pub(crate) account_id: String,
    pub(crate) label: String,
    pub(crate) bits: u32,
    pub(crate) scope: Option<ResolvedScope>,
}

/// A freshly generated key pair, not yet recorded.
pub(crate) struct Generated {
    pub(crate) id: String,
    pub(crate) api_key: ApiKey,
    pub(crate) pair: KeyPair,
}

impl Engine {
    /// Key sizes and whether a pre-generated pair of each is waiting.
    pub fn key_sizes(&self) -> Vec<KeySizeStatus> {
        keyport_core::keys::KEY_SIZES
            .iter()
            .map(|&bits| KeySizeStatus {
                bits,
                ready: self.keypool.get().is_some_and(|p| p.is_ready(bits)),
                default: bits == keyport_core::keys::DEFAULT_KEY_SIZE,
            })
            .collect()
    }

    /// Creates a key pair whose private key waits in the keychain for its
    /// one-time download (`deliver_private_key`).
    pub async fn create_key(&self, account: &str, input: NewKey) -> Result<ApiKeyInfo> {
        let checked = self.check_new_key(account, &input).await?;
        let generated = self.generate(input.environment, checked.bits).await?;
        let pending = pending_entry(&generated.id);
        // Keychain first: if it refuses, nothing was recorded.
        self.store_journaled(&pending, &generated.id, &generated.pair.private_pem()).await?;
        if let Err(e) = self.insert_key(&checked, input.environment, &generated, None, &[&pending]).await {
            self.drop_entry(&pending).await;
            return Err(e);
        }
        self.key(&generated.id).await
    }

    pub async fn revoke_key(&self, key: &str, reason: &str) -> Result<ApiKeyInfo> {
        let reason = clean(Field::RevokeReason, reason)?;
        let info = self.key(key).await?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE api_keys SET status = 'revoked', revoked_at = ?, revoke_reason = ? WHERE id = ? AND status = 'active'",
        )
        .bind(self.timestamp())
        .bind(&reason)
        .bind(&info.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(revoked_error(&info));
        }
        let detail = format!("{} ({}): {reason}", info.label, info.api_key);
        self.record(&mut tx, Some(&info.account_id), "key.revoked", &detail).await?;
        tx.commit().await?;
        // A revoked key's private key is worthless: drop every copy Keyport holds.
        self.forget_pending(&info.id).await;
        self.forget_kept(&info.id).await;
        self.key(&info.id).await
    }

    pub async fn relabel_key(&self, key: &str, label: &str) -> Result<ApiKeyInfo> {
        let label = clean(Field::KeyLabel, label)?;
        let info = self.key(key).await?;
        let mut tx = self.begin_write().await?;
        if info.status == KeyStatus::Active {
            ensure_label_free(&mut tx, &info.account_id, info.environment, &label, Some(&info.id)).await?;
        }
        sqlx::query("UPDATE api_keys SET label = ?, label_folded = ? WHERE id = ?")
            .bind(&label)
            .bind(fold(&label))
            .bind(&info.id)
            .execute(&mut *tx)
            .await?;
        let detail = format!("{} → {label} ({})", info.label, info.api_key);
        self.record(&mut tx, Some(&info.account_id), "key.relabelled", &detail).await?;
        tx.commit().await?;
        self.key(&info.id).await
    }

    /// One key, by id or API key.
    pub async fn key(&self, reference: &str) -> Result<ApiKeyInfo> {
        let reference = reference.trim();
        let mut conn = self.pool.acquire().await?;
        let row: Option<KeyRow> = sqlx::query_as("SELECT * FROM api_keys WHERE id = ? OR api_key = ?")
            .bind(reference)
            .bind(reference.to_ascii_lowercase())
            .fetch_optional(&mut *conn)
            .await?;
        match row {
            Some(row) => {
                let key: ApiKeyInfo = row.try_into()?;
                let mut keys = with_scopes(&mut conn, vec![key]).await?;
                keys.pop().ok_or_else(|| EngineError::KeyNotFound(reference.chars().take(60).collect()))
            }
            None => Err(EngineError::KeyNotFound(reference.chars().take(60).collect())),
        }
    }

    /// A page of an account's keys: filtered by environment, status and a
    /// search over label, API key and fingerprint; newest first unless
    /// `query.sort` says otherwise.
    pub async fn keys(&self, account: &str, query: &KeyQuery) -> Result<KeyPage> {
        let mut conn = self.pool.acquire().await?;
        let account_id = resolve(&mut conn, account).await?;
        key_page(&mut conn, &account_id, query, Search::new(query.search.as_deref())).await
    }

    pub(crate) async fn check_new_key(&self, account: &str, input: &NewKey) -> Result<CheckedKey> {
        let label = clean(Field::KeyLabel, &input.label)?;
        let bits = check_key_size(input.bits)?;
        let mut conn = self.pool.acquire().await?;
        let account_id = resolve(&mut conn, account).await?;
        let (name, relation, model): (String, String, String) =
            sqlx::query_as("SELECT name, relation, operating_model FROM accounts WHERE id = ?")
                .bind(&account_id)
                .fetch_one(&mut *conn)
                .await?;
        if parse_column::<AccountRelation>(&relation)? == AccountRelation::Client {
            return Err(EngineError::ClientAccount(name));
        }
        let scope = match &input.scope {
            Some(scope) => Some(resolve_scope(&mut conn, &account_id, parse_column(&model)?, scope).await?),
            None => None,
        };
        ensure_label_free(&mut conn, &account_id, input.environment, &label, None).await?;
        Ok(CheckedKey { account_id, label, bits, scope })
    }

    pub(crate) async fn generate(&self, environment: Environment, bits: u32) -> Result<Generated> {
        let pair = match self.keypool.get().and_then(|p| p.take(bits)) {
            Some(pair) => pair,
            None => tokio::task::spawn_blocking(move || KeyPair::generate(bits))
                .await
                .map_err(|e| EngineError::Core(keyport_core::CoreError::KeyGeneration(e.to_string())))??,
        };
        Ok(Generated {
            id: uuid::Uuid::new_v4().to_string(),
            api_key: ApiKey::generate(environment, &mut rand::rngs::OsRng),
            pair,
        })
    }

    /// Records a generated key in one transaction with its activity lines,
    /// unjournaling the keychain entries it now owns.
    pub(crate) async fn insert_key(
        &self,
        checked: &CheckedKey,
        environment: Environment,
        generated: &Generated,
        delivered_at: Option<String>,
        journaled: &[&str],
    ) -> Result<()> {
        let (account_id, label) = (checked.account_id.as_str(), checked.label.as_str());
        let kept = delivered_at.is_some() && !journaled.is_empty();
        let public = generated.pair.public_key();
        let mut tx = self.begin_write().await?;
        ensure_label_free(&mut tx, account_id, environment, label, None).await?;
        sqlx::query(
            "INSERT INTO api_keys (id, account_id, environment, label, label_folded, api_key, public_key_pem, fingerprint,
                                   bits, created_at, delivered_at, kept_in_keychain, pending_in_keychain)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&generated.id)
        .bind(account_id)
        .bind(environment.as_str())
        .bind(label)
        .bind(fold(label))
        .bind(generated.api_key.as_str())
        .bind(public.to_pem())
        .bind(public.fingerprint())
        .bind(public.bits())
        .bind(self.timestamp())
        .bind(&delivered_at)
        .bind(kept)
        .bind(delivered_at.is_none())
        .execute(&mut *tx)
        .await?;
        if let Some(scope) = &checked.scope {
            write_scope(&mut tx, &generated.id, scope).await?;
        }
        for entry in journaled {
            sqlx::query("DELETE FROM keychain_journal WHERE entry = ?").bind(entry).execute(&mut *tx).await?;
        }
        let scoped = match &checked.scope {
            Some(scope) => {
                let merchants: Vec<&str> = scope.merchants.iter().map(|(_, name)| name.as_str()).collect();
                let features: Vec<&str> = scope.features.iter().map(|f| f.label()).collect();
                format!(", scoped to {} for {}", features.join(", "), merchants.join(", "))
            }
            None => String::new(),
        };
        let detail = format!("{label} ({}, {environment}, {} bits{scoped})", generated.api_key, public.bits());
        self.record(&mut tx, Some(account_id), "key.created", &detail).await?;
        if delivered_at.is_some() {
            self.record(&mut tx, Some(account_id), "key.delivered", &format!("{label} ({})", generated.api_key))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) fn revoked_error(info: &ApiKeyInfo) -> EngineError {
    EngineError::KeyRevoked(info.revoke_reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default())
}

/// Labels tell active keys apart: two active keys of one account and
/// environment never share one (ignoring case); a revoked key's may be reused.
async fn ensure_label_free(
    conn: &mut SqliteConnection,
    account_id: &str,
    environment: Environment,
    label: &str,
    except: Option<&str>,
) -> Result<()> {
    let clash: Option<String> = sqlx::query_scalar(
        "SELECT id FROM api_keys WHERE account_id = ? AND environment = ? AND label_folded = ? AND status = 'active' AND id IS NOT ?",
    )
    .bind(account_id)
    .bind(environment.as_str())
    .bind(fold(label))
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    match clash {
        Some(_) => Err(EngineError::LabelTaken { environment, label: label.to_string() }),
        None => Ok(()),
    }
}

/// How the grid's search term is matched: a substring anywhere in the label
/// (on its folded form: any case, not only ASCII's), the API key (lower
/// case) or the fingerprint (as typed). LIKE over the columns every grid
/// index holds (migration 0011), so the match is decided inside the index.
enum Search {
    None,
    Like { folded: String, raw: String },
}

impl Search {
    fn new(term: Option<&str>) -> Search {
        match term.map(str::trim).filter(|s| !s.is_empty()) {
            None => Search::None,
            Some(term) => {
                let like = |s: &str| format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
                Search::Like { folded: like(&fold(term)), raw: like(term) }
            }
        }
    }

    /// The values of ?3 and ?4.
    fn parameters(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Search::None => (None, None),
            Search::Like { folded, raw } => (Some(folded), Some(raw)),
        }
    }
}

async fn key_page(conn: &mut SqliteConnection, account_id: &str, query: &KeyQuery, search: Search) -> Result<KeyPage> {
    let sql = KeyListSql::new(query, &search);
    let env = query.environment.map(Environment::as_str);
    let (first, second) = search.parameters();
    let rows: Vec<PageRow> = sqlx::query_as(AssertSqlSafe(sql.page))
        .bind(account_id)
        .bind(env)
        .bind(first)
        .bind(second)
        .bind(query.limit.clamp(1, 500))
        .bind(query.offset)
        .fetch_all(&mut *conn)
        .await?;
    // The page carries the count; a page past the end (or of no match) asks it alone.
    let total = match rows.first() {
        Some(row) => row.total,
        None => {
            sqlx::query_scalar(AssertSqlSafe(sql.count))
                .bind(account_id)
                .bind(env)
                .bind(first)
                .bind(second)
                .fetch_one(&mut *conn)
                .await?
        }
    };
    let scoped = rows.iter().any(|row| row.scoped);
    let mut keys = convert(rows.into_iter().map(|row| row.key).collect())?;
    if scoped {
        keys = with_scopes(conn, keys).await?;
    }
    Ok(KeyPage { keys, total: u32::try_from(total).unwrap_or(u32::MAX) })
}

/// A row of the key list's page: the key, the count of the whole list, and
/// whether the key has a scope (only then is it looked up).
#[derive(sqlx::FromRow)]
struct PageRow {
    #[sqlx(flatten)]
    key: KeyRow,
    total: i64,
    scoped: bool,
}

/// The key list's statements, built from constants only (parameters: ?1
/// account, ?2 environment, ?3 and ?4 the search's, ?5 limit, ?6 offset). A
/// filter that is not given is left out rather than written as `?2 IS NULL OR
/// …`, so SQLite can walk the index of the sort order.
struct KeyListSql {
    count: String,
    page: String,
}

impl KeyListSql {
    fn new(query: &KeyQuery, search: &Search) -> KeyListSql {
        let sort = query.sort.unwrap_or_default();
        let (column, index) = match sort.field {
            KeySortField::Label => ("label_folded", "api_keys_by_label"),
            KeySortField::Created => ("created_at", "api_keys_by_created"),
            KeySortField::LastValidated => ("last_validated_at", "api_keys_by_validated"),
            KeySortField::Bits => ("bits", "api_keys_by_bits"),
        };
        // Named, because without statistics SQLite may prefer the smaller
        // partial index of active labels, which holds no search columns and
        // so reads every candidate's row.
        let mut filter = format!("FROM api_keys INDEXED BY {index} WHERE account_id = ?1");
        if query.environment.is_some() {
            filter.push_str(" AND environment = ?2");
        }
        filter.push_str(match query.status {
            None => "",
            Some(KeyFilter::Active) => " AND status = 'active' AND delivered_at IS NOT NULL",
            Some(KeyFilter::AwaitingDownload) => " AND status = 'active' AND delivered_at IS NULL",
            Some(KeyFilter::Revoked) => " AND status = 'revoked'",
        });
        filter.push_str(match search {
            Search::None => "",
            Search::Like { .. } => {
                " AND (label_folded LIKE ?3 ESCAPE '\\' OR api_key LIKE ?3 ESCAPE '\\' OR fingerprint LIKE ?4 ESCAPE '\\')"
            }
        });
        let dir = if sort.descending { "DESC" } else { "ASC" };
        // The tie-breakers go the same way, as the indexes hold them.
        let order = if column == "created_at" {
            format!("created_at {dir}, id {dir}")
        } else {
            format!("{column} {dir}, created_at {dir}, id {dir}")
        };
        // One statement for the page and its count, which SQLite runs once
        // (not correlated): a list is one round trip to SQLite's thread.
        let count = format!("SELECT count(*) {filter}");
        let scoped = "EXISTS (SELECT 1 FROM key_scope_features s WHERE s.key_id = api_keys.id)";
        KeyListSql {
            page: format!(
                "SELECT *, ({count}) AS total, {scoped} AS scoped {filter} ORDER BY {order} LIMIT ?5 OFFSET ?6"
            ),
            count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::KeySort;

    /// The detail lines of a key list statement's query plan.
    async fn plan_of(engine: &Engine, statement: &str, search: Option<&str>) -> Vec<String> {
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {statement}")))
                .bind("a")
                .bind("production")
                .bind(search)
                .bind(Option::<String>::None)
                .bind(20)
                .bind(0)
                .fetch_all(&engine.pool)
                .await
                .unwrap();
        plan.into_iter().map(|(_, _, _, detail)| detail).collect()
    }

    /// The opcodes of a statement's program (EXPLAIN).
    async fn program_of(engine: &Engine, statement: &str) -> Vec<String> {
        let rows = sqlx::query(AssertSqlSafe(format!("EXPLAIN {statement}")))
            .bind("a")
            .bind("production")
            .bind("%a%")
            .bind("%a%")
            .bind(20)
            .bind(0)
            .fetch_all(&engine.pool)
            .await
            .unwrap();
        rows.iter().map(|row| sqlx::Row::get::<String, _>(row, "opcode")).collect()
    }

    /// Every sort of the grid, in both directions, with each status filter
    /// and with and without a search, reads its own index in order: no full
    /// scan, no sort step. A filter or a search is decided inside that index:
    /// the page reads a key's row only once its indexed columns matched
    /// (SQLite's deferred seek), and the count, which runs once inside the
    /// page's statement, never leaves the index.
    #[tokio::test]
    async fn the_key_grid_reads_its_sort_index() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(crate::Home::existing(dir.path()).unwrap()).await.unwrap();
        for (field, index) in [
            (KeySortField::Created, "api_keys_by_created"),
            (KeySortField::Label, "api_keys_by_label"),
            (KeySortField::Bits, "api_keys_by_bits"),
            (KeySortField::LastValidated, "api_keys_by_validated"),
        ] {
            for descending in [false, true] {
                for status in
                    [None, Some(KeyFilter::Active), Some(KeyFilter::AwaitingDownload), Some(KeyFilter::Revoked)]
                {
                    for term in [None, Some("staging")] {
                        let query = KeyQuery {
                            environment: Some(Environment::Production),
                            status,
                            sort: Some(KeySort { field, descending }),
                            limit: 20,
                            ..Default::default()
                        };
                        let search = Search::new(term);
                        let sql = KeyListSql::new(&query, &search);
                        let plan = plan_of(&engine, &sql.page, search.parameters().0).await;
                        let page = plan.join(" | ");
                        assert!(page.contains(&format!("USING INDEX {index} ")), "{}: {page}", sql.page);
                        assert!(!page.contains("TEMP B-TREE"), "{} sorts: {page}", sql.page);
                        assert!(!plan.iter().any(|line| line.starts_with("SCAN api_keys")), "{} scans", sql.page);
                        assert!(
                            page.contains(&format!(
                                "| SCALAR SUBQUERY 1 | SEARCH api_keys USING COVERING INDEX {index} "
                            )),
                            "{page}"
                        );
                        if status.is_some() || term.is_some() {
                            assert!(
                                program_of(&engine, &sql.page).await.iter().any(|op| op == "DeferredSeek"),
                                "{} reads every row",
                                sql.page
                            );
                        }
                        let count = plan_of(&engine, &sql.count, search.parameters().0).await.join(" | ");
                        assert!(count.contains(&format!("USING COVERING INDEX {index} ")), "{}: {count}", sql.count);
                    }
                }
            }
        }
        engine.close().await;
    }

    /// The search finds a term anywhere in the label (folded, any case), the
    /// API key or the fingerprint, with `%`, `_`, `\\` and quotes taken
    /// literally: exactly what a plain substring check over the stored
    /// columns finds, after inserts, relabels, refolds and deletes.
    #[tokio::test]
    async fn the_search_finds_substrings_in_any_case() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(crate::Home::existing(dir.path()).unwrap()).await.unwrap();
        let mut conn = engine.pool.acquire().await.unwrap();
        for (id, name) in [("acct-a", "Acme"), ("acct-b", "Bolt")] {
            sqlx::query(
                "INSERT INTO accounts (id, mage_id, name, name_folded, edition, operating_model, created_at, updated_at)
                 VALUES (?, ?, ?, ?, 'adobe_commerce', 'primary_merchant', '2026-01-01', '2026-01-01')",
            )
            .bind(id)
            .bind(format!("MAG{id}"))
            .bind(name)
            .bind(fold(name))
            .execute(&mut *conn)
            .await
            .unwrap();
        }
        let labels = [
            "staging CI",
            "Ärger-Über Deploy",
            "Straße 7",
            "100% uptime",
            "beta_ci",
            "say \"hi\" there",
            "back\\slash",
            "日本語キー",
            "ﬁnance (ligature)",
            "  spaced  out ",
        ];
        let mut rng = rand::rngs::OsRng;
        let mut keys = Vec::new();
        for n in 0..120 {
            let (account, environment) = match n % 3 {
                0 => ("acct-a", Environment::Production),
                1 => ("acct-a", Environment::Sandbox),
                _ => ("acct-b", Environment::Production),
            };
            let label = format!("{} {n}", labels[n % labels.len()]);
            let api_key = ApiKey::generate(environment, &mut rng);
            let fingerprint = format!("SHA256:{n:03}AbCdEf+/{}", &api_key.as_str()[8..20]);
            sqlx::query(
                "INSERT INTO api_keys (id, account_id, environment, label, label_folded, api_key, public_key_pem,
                                       fingerprint, bits, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, 'pem', ?, 2048, ?)",
            )
            .bind(format!("key-{n:03}"))
            .bind(account)
            .bind(environment.as_str())
            .bind(&label)
            .bind(fold(&label))
            .bind(api_key.as_str())
            .bind(&fingerprint)
            .bind(format!("2026-01-01T00:00:{:02}Z", n % 60))
            .execute(&mut *conn)
            .await
            .unwrap();
            keys.push((format!("key-{n:03}"), account, environment, fold(&label), api_key, fingerprint));
        }
        // A relabel, a refold (names.rs rewrites label_folded alone), a delete.
        sqlx::query("UPDATE api_keys SET label = 'Renamed Gamma', label_folded = 'renamed gamma' WHERE id = 'key-000'")
            .execute(&mut *conn)
            .await
            .unwrap();
        sqlx::query("UPDATE api_keys SET label_folded = 'refolded delta' WHERE id = 'key-003'")
            .execute(&mut *conn)
            .await
            .unwrap();
        sqlx::query("DELETE FROM api_keys WHERE id = 'key-036'").execute(&mut *conn).await.unwrap();
        keys[0].3 = "renamed gamma".into();
        keys[3].3 = "refolded delta".into();
        keys.remove(36);
        let mut terms: Vec<String> = [
            "staging",
            "STAGING ci",
            "ärger",
            "ÄRGER-ÜBER",
            "strasse",
            "STRASSE 7",
            "100%",
            "0% up",
            "a_c",
            "_ci",
            "\"hi\"",
            "y \"h",
            "k\\s",
            "日本語",
            "本語キ",
            "finance",
            "ﬁna",
            "spaced  out",
            "d  o",
            "renamed",
            "staging CI 0",
            "gamma",
            "refolded",
            "delta",
            "0AbCd",
            "abcdef+/",
            "ef+/",
            "SHA256:0",
            "zzz",
            "kp_prod_",
            "kp_sbx",
            "NEAR",
            "a OR b",
            "(ligature)",
            "^st",
            "st*",
            "{label}",
            ": x",
        ]
        .map(String::from)
        .to_vec();
        for (_, _, _, _, api_key, fingerprint) in keys.iter().step_by(17) {
            terms.push(api_key.as_str()[5..17].to_string());
            terms.push(api_key.as_str()[5..17].to_uppercase());
            terms.push(fingerprint[4..18].to_string());
        }
        // SQLite's LIKE ignores ASCII case only; the label is folded first.
        let contains = |hay: &str, needle: &str| hay.to_ascii_lowercase().contains(&needle.to_ascii_lowercase());
        for account in ["acct-a", "acct-b"] {
            for environment in [None, Some(Environment::Production)] {
                for term in &terms {
                    let query = KeyQuery { environment, search: Some(term.clone()), limit: 500, ..Default::default() };
                    let page = key_page(&mut conn, account, &query, Search::new(Some(term))).await.unwrap();
                    let mut found: Vec<&str> = page.keys.iter().map(|k| k.id.as_str()).collect();
                    found.sort_unstable();
                    let wanted = fold(term.trim());
                    let expected: Vec<&str> = keys
                        .iter()
                        .filter(|(_, a, env, label, api_key, fingerprint)| {
                            *a == account
                                && environment.is_none_or(|e| e == *env)
                                && (contains(label, &wanted)
                                    || contains(api_key.as_str(), &wanted)
                                    || contains(fingerprint, term.trim()))
                        })
                        .map(|(id, ..)| id.as_str())
                        .collect();
                    assert_eq!(found, expected, "{term:?} in {account}");
                    assert_eq!(page.total as usize, expected.len(), "{term:?} in {account}");
                }
            }
        }
        for (term, count) in [("renamed gamma", 1), ("refolded", 1), ("back\\slash 36", 0), ("back\\slash 6", 2)] {
            let query = KeyQuery { search: Some(term.into()), limit: 500, ..Default::default() };
            let page = key_page(&mut conn, "acct-a", &query, Search::new(Some(term))).await.unwrap();
            assert_eq!(page.total, count, "{term:?}");
        }
        assert!(matches!(Search::new(Some("  ")), Search::None));
        drop(conn);
        engine.close().await;
    }
}
