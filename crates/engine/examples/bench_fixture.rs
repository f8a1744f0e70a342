//! Fills a Keyport home for `make bench` (issue 13): two accounts, KEYS API
//! keys across both and both environments — each with a real RSA-2048
//! public key, generated once into CACHE and reused by later runs — and
//! ACTIVITY activity entries. Accounts are made through the engine; the
//! bulk rows go in with one SQLite transaction each (a fixture, not a use
//! case: going through `create_key` would also write 10,000 keychain
//! entries and files).
//!
//!   bench_fixture HOME CACHE [KEYS=10000] [ACTIVITY=100000]

use std::io::Write;

use keyport_engine::clock::format_timestamp;
use keyport_engine::core::keys::KeyPair;
use keyport_engine::core::text::fold;
use keyport_engine::core::{ApiKey, Edition, Environment, OperatingModel};
use keyport_engine::model::NewAccount;
use keyport_engine::{Engine, Home};

/// Reads the cached public keys (SPKI PEM blocks) and makes up the
/// missing ones, on every core.
fn public_keys(cache: &std::path::Path, count: usize) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(cache).unwrap_or_default();
    let mut pems: Vec<String> = text
        .split_inclusive("-----END PUBLIC KEY-----\n")
        .filter(|b| b.contains("BEGIN"))
        .map(str::to_string)
        .collect();
    if pems.len() < count {
        let missing = count - pems.len();
        eprintln!("generating {missing} RSA-2048 key pairs (cached in {} for later runs)…", cache.display());
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let fresh: Vec<String> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    scope.spawn(move || {
                        (t..missing)
                            .step_by(threads)
                            .map(|_| KeyPair::generate(2048).expect("generate").public_key().to_pem())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().expect("generator")).collect()
        });
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(cache).expect("open the cache");
        for pem in &fresh {
            file.write_all(pem.as_bytes()).expect("write the cache");
        }
        pems.extend(fresh);
    }
    pems.truncate(count);
    pems.into_iter()
        .map(|pem| {
            let fingerprint =
                keyport_engine::core::keys::PublicKey::from_pem(&pem).expect("a cached public key").fingerprint();
            (pem, fingerprint)
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(home), Some(cache)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: bench_fixture HOME CACHE [KEYS] [ACTIVITY]");
        std::process::exit(2);
    };
    let keys: usize = args.get(3).map_or(10_000, |n| n.parse().expect("KEYS is a number"));
    let activity: usize = args.get(4).map_or(100_000, |n| n.parse().expect("ACTIVITY is a number"));

    let engine = Engine::open(Home::existing(std::path::Path::new(home)).expect("the home")).await.expect("open");
    let mut accounts = Vec::new();
    for (mage_id, name) in [("MAG000000001", "Acme Corp"), ("MAG000000002", "Beta GmbH")] {
        let account = engine
            .create_account(NewAccount {
                mage_id: mage_id.into(),
                name: name.into(),
                edition: Edition::AdobeCommerce,
                operating_model: OperatingModel::PrimaryMerchant,
            })
            .await
            .expect("create an account");
        accounts.push(account.id);
    }
    let db = engine.home().db_path();
    engine.close().await;

    let public = public_keys(std::path::Path::new(cache), keys);
    let mut conn = rusqlite::Connection::open(&db).expect("open the database");
    let now = time::OffsetDateTime::now_utc();
    let mut rng = rand::thread_rng();
    let tx = conn.transaction().expect("begin");
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO api_keys (id, account_id, environment, label, label_folded, api_key, public_key_pem,
                     fingerprint, bits, created_at, status, revoked_at, revoke_reason, delivered_at, last_validated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 2048, ?, ?, ?, ?, ?, ?)",
            )
            .expect("prepare");
        for (i, (pem, fingerprint)) in public.iter().enumerate() {
            let environment = if i % 2 == 0 { Environment::Production } else { Environment::Sandbox };
            let created = now - time::Duration::minutes((keys - i) as i64 * 97);
            let revoked = i % 10 == 3;
            let label = format!("{} key {i:05}", ["staging CI", "agency", "storefront", "ERP sync"][(i / 4) % 4]);
            insert
                .execute(rusqlite::params![
                    uuid::Uuid::new_v4().to_string(),
                    accounts[(i / 2) % 2],
                    environment.as_str(),
                    label,
                    fold(&label),
                    ApiKey::generate(environment, &mut rng).as_str(),
                    pem,
                    fingerprint,
                    format_timestamp(created),
                    if revoked { "revoked" } else { "active" },
                    revoked.then(|| format_timestamp(created + time::Duration::days(3))),
                    revoked.then_some("rotated"),
                    // Every key delivered: a pending key would bring back its
                    // one-time download dialog at start, in front of the grid.
                    format_timestamp(created),
                    (i % 3 == 0).then(|| format_timestamp(created + time::Duration::hours(5))),
                ])
                .expect("insert a key");
        }
        let mut entry = tx
            .prepare("INSERT INTO activity (at, account_id, action, detail) VALUES (?, ?, 'key.created', ?)")
            .expect("prepare");
        for i in 0..activity {
            let at = now - time::Duration::seconds((activity - i) as i64 * 13);
            entry
                .execute(rusqlite::params![format_timestamp(at), accounts[i % 2], format!("bench entry {i}")])
                .expect("insert an activity entry");
        }
    }
    tx.commit().expect("commit");
    println!("{home}: 2 accounts, {keys} keys, {activity} activity entries");
}
