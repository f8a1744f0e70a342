//! Scoped API keys (seed 004): who may create them, with what scope, the
//! access check over every operating model × feature × merchant, and the
//! changes (operating model, merchants) that revoke them.

mod common;

use common::{TestHome, new_account};
use keyport_engine::core::scope::Feature;
use keyport_engine::core::{Environment, ErrorCode, KeyStatus, OperatingModel, Standing};
use keyport_engine::model::{AccessRequest, AccountChanges, ApiKeyInfo, NewKey, NewScope};
use keyport_engine::{Engine, EngineError};

/// A concrete request path of each feature.
pub fn path_of(feature: Feature) -> &'static str {
    match feature {
        Feature::ListTokens => "/tokens",
        Feature::GetToken => "/tokens/tok_123",
        Feature::GetTokenPaymentData => "/tokens/tok_123/payment-data",
        Feature::ForwardPaymentData => "/payment-data/pd_9/forward",
        Feature::Forward => "/forward",
    }
}

fn scope(merchants: &[&str], features: &[Feature]) -> Option<NewScope> {
    Some(NewScope { merchants: merchants.iter().map(|m| m.to_string()).collect(), features: features.to_vec() })
}

async fn key(engine: &Engine, mage: &str, label: &str, scope: Option<NewScope>) -> Result<ApiKeyInfo, EngineError> {
    let dir = tempfile::tempdir().unwrap();
    let input = NewKey { environment: Environment::Production, label: label.into(), bits: 2048, scope };
    engine.create_key_to_file(mage, input, &dir.path().join("k.pem"), false).await.map(|d| d.key)
}

async fn check(engine: &Engine, key: &ApiKeyInfo, method: &str, path: &str, merchant: Option<&str>) -> (bool, String) {
    let request = AccessRequest { method: method.into(), path: path.into(), merchant: merchant.map(str::to_string) };
    let access = engine.check_access(key.api_key.as_str(), &request).await.unwrap();
    (access.allowed, access.reason)
}

/// An account of `model` (with merchants "Shop A" and "Shop B" when it has merchants).
async fn account(engine: &Engine, mage: &str, model: OperatingModel) {
    engine.create_account(new_account(mage, &format!("Account {mage}"), model)).await.unwrap();
    if model.has_merchants() {
        engine.add_merchant(mage, "Shop A").await.unwrap();
        engine.add_merchant(mage, "Shop B").await.unwrap();
    }
}

#[tokio::test]
async fn scoped_keys_exist_only_where_seed_004_allows_them() {
    let home = TestHome::new().await;
    let e = &home.engine;
    account(e, "MAG000000001", OperatingModel::Ecosystem).await;
    account(e, "MAG000000002", OperatingModel::ManagedEcosystem).await;
    account(e, "MAG000000003", OperatingModel::PrimaryMerchant).await;
    account(e, "MAG000000004", OperatingModel::PlatformMarketplace).await;
    account(e, "MAG000000005", OperatingModel::Ecosystem).await;

    let all = key(e, "MAG000000001", "all", scope(&["Shop A", "shop b"], Feature::ALL)).await.unwrap();
    let shown = all.scope.clone().unwrap();
    assert_eq!(shown.merchants, ["Shop A", "Shop B"]);
    assert_eq!(shown.features, Feature::ALL);
    let forward = key(e, "MAG000000002", "fwd", scope(&["Shop A"], &[Feature::Forward, Feature::ForwardPaymentData]))
        .await
        .unwrap();
    assert_eq!(forward.scope.unwrap().features, [Feature::ForwardPaymentData, Feature::Forward], "in the seed's order");
    assert!(key(e, "MAG000000003", "unscoped", None).await.unwrap().scope.is_none());

    let cases: Vec<(&str, &str, Option<NewScope>, ErrorCode)> = vec![
        ("Primary Merchant", "MAG000000003", scope(&["x"], &[Feature::Forward]), ErrorCode::ScopedKeysNotAllowed),
        ("Platform / Marketplace", "MAG000000004", scope(&["x"], &[Feature::Forward]), ErrorCode::ScopedKeysNotAllowed),
        (
            "Managed Ecosystem, GET /tokens",
            "MAG000000002",
            scope(&["Shop A"], &[Feature::ListTokens]),
            ErrorCode::FeatureNotOffered,
        ),
        ("no merchant", "MAG000000001", scope(&[], &[Feature::Forward]), ErrorCode::ScopeEmpty),
        ("a blank merchant", "MAG000000001", scope(&["  "], &[Feature::Forward]), ErrorCode::ScopeEmpty),
        ("no feature", "MAG000000001", scope(&["Shop A"], &[]), ErrorCode::ScopeEmpty),
        ("an unknown merchant", "MAG000000005", scope(&["Shop C"], &[Feature::Forward]), ErrorCode::MerchantNotFound),
    ];
    for (what, mage, scope, code) in cases {
        let before = e.keys(mage, &Default::default()).await.unwrap().total;
        let err = key(e, mage, what, scope).await.unwrap_err();
        assert_eq!(err.code(), code, "{what}: {err}");
        assert_eq!(e.keys(mage, &Default::default()).await.unwrap().total, before, "{what}: a key was saved");
    }
    // A merchant of another account, by id, is not one of this account's.
    let other = e.account("MAG000000001").await.unwrap().merchants[0].id.clone();
    let err = key(e, "MAG000000005", "stranger", scope(&[&other], &[Feature::Forward])).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::MerchantNotFound);
}

#[tokio::test]
async fn the_access_check_covers_every_model_feature_and_merchant() {
    let home = TestHome::new().await;
    let e = &home.engine;
    for (n, model) in OperatingModel::ALL.iter().enumerate() {
        let mage = format!("MAG00000001{n}");
        account(e, &mage, *model).await;
        let offered = Feature::offered_by(*model);
        let scoped = if offered.is_empty() { None } else { scope(&["Shop A"], offered) };
        let k = key(e, &mage, "matrix", scoped).await.unwrap();
        for feature in Feature::ALL {
            let path = path_of(*feature);
            if offered.is_empty() {
                // No scoped keys here: an unscoped key has the account's full
                // access; a merchant the account does not have is refused.
                let (allowed, why) = check(e, &k, feature.method(), path, None).await;
                assert!(allowed, "{model:?} {feature:?}: {why}");
                let (allowed, why) = check(e, &k, feature.method(), path, Some("Shop A")).await;
                assert!(!allowed && why.contains("not a merchant"), "{model:?} {feature:?}: {why}");
            } else {
                let (allowed, why) = check(e, &k, feature.method(), path, Some("Shop A")).await;
                assert_eq!(allowed, offered.contains(feature), "{model:?} {feature:?} Shop A: {why}");
                let (allowed, why) = check(e, &k, feature.method(), path, Some("Shop B")).await;
                assert!(!allowed, "{model:?} {feature:?} Shop B: {why}");
                let (allowed, _) = check(e, &k, feature.method(), path, None).await;
                assert!(!allowed, "{model:?} {feature:?}: a scoped key names its merchant");
                // The same feature called with the other method is not it.
                let other = if feature.method() == "GET" { "POST" } else { "GET" };
                assert!(!check(e, &k, other, path, Some("Shop A")).await.0, "{model:?} {feature:?} {other}");
            }
        }
    }
}

#[tokio::test]
async fn paths_keys_and_accounts_decide_the_answer() {
    let home = TestHome::new().await;
    let e = &home.engine;
    account(e, "MAG000000001", OperatingModel::Ecosystem).await;
    let forward_only = key(e, "MAG000000001", "forward only", scope(&["Shop A"], &[Feature::Forward])).await.unwrap();
    let payment_data =
        key(e, "MAG000000001", "payment data", scope(&["Shop A"], &[Feature::GetTokenPaymentData])).await.unwrap();
    let unscoped = key(e, "MAG000000001", "full", None).await.unwrap();

    assert!(check(e, &payment_data, "GET", "/tokens/tok_123/payment-data", Some("Shop A")).await.0);
    assert!(check(e, &payment_data, "get", "/tokens/tok_123/payment-data?page=2", Some("shop a")).await.0);
    assert!(!check(e, &payment_data, "GET", "/tokens/a/b", Some("Shop A")).await.0, "matches nothing");
    assert!(!check(e, &payment_data, "GET", "/tokens/tok_123", Some("Shop A")).await.0, "not granted");
    assert!(!check(e, &forward_only, "POST", "/payment-data/pd_9/forward", Some("Shop A")).await.0);
    assert!(check(e, &unscoped, "DELETE", "/anything/else", Some("Shop B")).await.0, "full access");
    // The merchant may be named by id as well.
    let shop_a = e.account("MAG000000001").await.unwrap().merchants[0].id.clone();
    assert!(check(e, &forward_only, "POST", "/forward", Some(&shop_a)).await.0);

    // Malformed requests are errors, not answers.
    for (method, path, code) in [
        ("G ET", "/forward", ErrorCode::MethodMalformed),
        ("", "/forward", ErrorCode::MethodMalformed),
        ("POST", "forward", ErrorCode::PathMalformed),
        ("POST", "/tokens//x", ErrorCode::PathMalformed),
        ("POST", "/tokens/../forward", ErrorCode::PathMalformed),
        ("POST", "/for ward", ErrorCode::PathMalformed),
    ] {
        let request = AccessRequest { method: method.into(), path: path.into(), merchant: None };
        let err = e.check_access(forward_only.api_key.as_str(), &request).await.unwrap_err();
        assert_eq!(err.code(), code, "{method} {path}");
    }
    let long = AccessRequest { method: "POST".into(), path: "/forward".into(), merchant: Some("m".repeat(500)) };
    assert_eq!(e.check_access(forward_only.api_key.as_str(), &long).await.unwrap_err().code(), ErrorCode::ValueTooLong);

    // A suspended account's keys, and a revoked key, have no access.
    let suspend = AccountChanges { standing: Some(Standing::Suspended), ..Default::default() };
    e.update_account("MAG000000001", suspend).await.unwrap();
    let (allowed, why) = check(e, &unscoped, "POST", "/forward", Some("Shop A")).await;
    assert!(!allowed && why.contains("suspended"), "{why}");
    let good = AccountChanges { standing: Some(Standing::Good), ..Default::default() };
    e.update_account("MAG000000001", good).await.unwrap();
    e.revoke_key(forward_only.api_key.as_str(), "leaked").await.unwrap();
    let (allowed, why) = check(e, &forward_only, "POST", "/forward", Some("Shop A")).await;
    assert!(!allowed && why.contains("revoked") && why.contains("leaked"), "{why}");
}

#[tokio::test]
async fn operating_model_changes_and_merchant_removals_revoke_after_confirmation() {
    let home = TestHome::new().await;
    let e = &home.engine;
    account(e, "MAG000000001", OperatingModel::Ecosystem).await;
    let tokens =
        key(e, "MAG000000001", "tokens", scope(&["Shop A"], &[Feature::ListTokens, Feature::Forward])).await.unwrap();
    let forward = key(e, "MAG000000001", "forward", scope(&["Shop B"], &[Feature::Forward])).await.unwrap();
    let unscoped = key(e, "MAG000000001", "unscoped", None).await.unwrap();

    // Ecosystem → Managed Ecosystem: the key granted GET /tokens goes, after a confirmation.
    let managed = AccountChanges { operating_model: Some(OperatingModel::ManagedEcosystem), ..Default::default() };
    let err = e.update_account("MAG000000001", managed.clone()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConfirmationRequired);
    let warnings: Vec<String> = err.body().details.into_iter().map(|d| d.message).collect();
    assert!(warnings[0].contains("“tokens”") && !warnings[0].contains("“forward”"), "{warnings:?}");
    assert_eq!(e.account("MAG000000001").await.unwrap().operating_model, OperatingModel::Ecosystem, "nothing changed");
    assert_eq!(e.key(tokens.api_key.as_str()).await.unwrap().status, KeyStatus::Active);
    e.update_account("MAG000000001", AccountChanges { confirmed: warnings, ..managed }).await.unwrap();
    let revoked = e.key(tokens.api_key.as_str()).await.unwrap();
    assert_eq!(revoked.status, KeyStatus::Revoked);
    assert_eq!(revoked.revoke_reason.as_deref(), Some("operating model changed to Managed Ecosystem"));
    assert_eq!(e.key(forward.api_key.as_str()).await.unwrap().status, KeyStatus::Active);

    // Removing a merchant a scoped key names: confirm, then the key goes too.
    let err = e.remove_merchant("MAG000000001", "Shop B", &[]).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConfirmationRequired);
    assert_eq!(e.account("MAG000000001").await.unwrap().merchants.len(), 2);
    let warnings: Vec<String> = err.body().details.into_iter().map(|d| d.message).collect();
    e.remove_merchant("MAG000000001", "Shop B", &warnings).await.unwrap();
    let gone = e.key(forward.api_key.as_str()).await.unwrap();
    assert_eq!((gone.status, gone.revoke_reason.as_deref()), (KeyStatus::Revoked, Some("merchant Shop B removed")));
    assert_eq!(gone.scope.unwrap().merchants, ["Shop B"], "a revoked key keeps the scope it had");
    // A merchant no active scoped key names goes without asking.
    e.remove_merchant("MAG000000001", "Shop A", &[]).await.unwrap();
    assert_eq!(e.key(unscoped.api_key.as_str()).await.unwrap().status, KeyStatus::Active);
    // Without merchants, the account may leave the ecosystem models.
    let primary = AccountChanges { operating_model: Some(OperatingModel::PrimaryMerchant), ..Default::default() };
    e.update_account("MAG000000001", primary).await.unwrap();
}

#[tokio::test]
async fn a_scope_travels_in_a_bundle() {
    use keyport_engine::model::{BundleProtection, NewBundle};
    let holder = TestHome::new().await;
    account(&holder.engine, "MAG000000001", OperatingModel::Ecosystem).await;
    let dir = tempfile::tempdir().unwrap();
    let input = NewKey {
        environment: Environment::Sandbox,
        label: "scoped".into(),
        bits: 2048,
        scope: scope(&["Shop B"], &[Feature::Forward, Feature::GetToken]),
    };
    let k = holder.engine.create_key_to_file("MAG000000001", input, &dir.path().join("k.pem"), true).await.unwrap().key;
    let integrator = TestHome::new().await;
    let recipient = integrator.engine.identity().await.unwrap().recipient;
    let file = dir.path().join("scoped.keyport");
    let request = NewBundle {
        keys: vec![k.api_key.to_string()],
        protection: BundleProtection::Recipient { recipient },
        expires_in_hours: 24,
    };
    holder.engine.export_bundle(request, &file, false).await.unwrap();
    let opened = integrator.engine.open_bundle(&file, None).await.unwrap();
    assert_eq!(opened.preview.keys[0].scope.as_ref().unwrap().merchants, ["Shop B"]);
    let imported = integrator.engine.import_bundle(opened, &[]).await.unwrap();
    let received = &imported.imported[0];
    assert_eq!(received.scope, k.scope);
    assert!(check(&integrator.engine, received, "GET", "/tokens/t1", Some("Shop B")).await.0);
    assert!(!check(&integrator.engine, received, "GET", "/tokens/t1", Some("Shop A")).await.0);
}
