//! Accounts and merchants on a real SQLite file.

mod common;

use common::{TestHome, new_account};
use keyport_engine::core::ErrorCode;
use keyport_engine::core::{Edition, OperatingModel, Standing};
use keyport_engine::model::AccountChanges;

const MAG_A: &str = "MAG000000001";
const MAG_B: &str = "MAG000000002";

#[tokio::test]
async fn first_account_becomes_current_and_persists() {
    let home = TestHome::new().await;
    let created = home
        .engine
        .create_account(new_account(" mag000000001 ", "  Acme Corp ", OperatingModel::PrimaryMerchant))
        .await
        .unwrap();
    assert_eq!(created.mage_id.as_str(), MAG_A);
    assert_eq!(created.name, "Acme Corp");
    assert_eq!(created.standing, Standing::Good);
    assert!(created.is_current);

    let second = home.engine.create_account(new_account(MAG_B, "Beta", OperatingModel::Ecosystem)).await.unwrap();
    assert!(!second.is_current, "only the first account becomes current by itself");

    // Another engine on the same file (a restart) sees the same state.
    let reopened = home.reopen().await;
    assert_eq!(reopened.current_account().await.unwrap().id, created.id);
    let names: Vec<_> = reopened.accounts().await.unwrap().into_iter().map(|a| a.name).collect();
    assert_eq!(names, ["Acme Corp", "Beta"]);
}

#[tokio::test]
async fn fresh_home_has_no_current_account() {
    let home = TestHome::new().await;
    assert_eq!(home.engine.current_account().await.unwrap_err().code(), ErrorCode::NoAccount);
    assert!(home.engine.accounts().await.unwrap().is_empty());
}

#[tokio::test]
async fn use_account_by_mage_id_or_id() {
    let home = TestHome::new().await;
    let a = home.engine.create_account(new_account(MAG_A, "A", OperatingModel::PrimaryMerchant)).await.unwrap();
    let b = home.engine.create_account(new_account(MAG_B, "B", OperatingModel::PrimaryMerchant)).await.unwrap();
    assert!(home.engine.use_account("mag000000002").await.unwrap().is_current);
    assert_eq!(home.engine.current_account().await.unwrap().id, b.id);
    home.engine.use_account(&a.id).await.unwrap();
    assert_eq!(home.engine.current_account().await.unwrap().id, a.id);

    let err = home.engine.use_account("MAG999999999").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccountNotFound);
    assert_eq!(home.engine.current_account().await.unwrap().id, a.id, "failed switch keeps the current account");
}

#[tokio::test]
async fn bad_account_input_is_refused_and_saves_nothing() {
    let home = TestHome::new().await;
    home.engine.create_account(new_account(MAG_A, "Acme", OperatingModel::PrimaryMerchant)).await.unwrap();
    let before = home.engine.accounts().await.unwrap();

    let long_name = "n".repeat(101);
    let cases = [
        (new_account("", "Beta", OperatingModel::PrimaryMerchant), ErrorCode::MageIdEmpty),
        (new_account("MAG12", "Beta", OperatingModel::PrimaryMerchant), ErrorCode::MageIdMalformed),
        (new_account("MAG0000000011", "Beta", OperatingModel::PrimaryMerchant), ErrorCode::MageIdMalformed),
        (new_account("not-an-id", "Beta", OperatingModel::PrimaryMerchant), ErrorCode::MageIdMalformed),
        (new_account(MAG_A, "Beta", OperatingModel::PrimaryMerchant), ErrorCode::MageIdTaken),
        (new_account(MAG_B, "", OperatingModel::PrimaryMerchant), ErrorCode::EmptyValue),
        (new_account(MAG_B, "   ", OperatingModel::PrimaryMerchant), ErrorCode::EmptyValue),
        (new_account(MAG_B, &long_name, OperatingModel::PrimaryMerchant), ErrorCode::ValueTooLong),
        (new_account(MAG_B, "Two\nlines", OperatingModel::PrimaryMerchant), ErrorCode::InvalidCharacters),
        (new_account(MAG_B, " ACME ", OperatingModel::PrimaryMerchant), ErrorCode::NameTaken),
    ];
    for (input, code) in cases {
        let err = home.engine.create_account(input.clone()).await.unwrap_err();
        assert_eq!(err.code(), code, "{input:?}");
        assert!(!err.to_string().is_empty());
    }
    assert_eq!(home.engine.accounts().await.unwrap(), before);
}

#[tokio::test]
async fn edit_changes_fields_and_refuses_bad_values() {
    let home = TestHome::new().await;
    let a = home.engine.create_account(new_account(MAG_A, "Acme", OperatingModel::PrimaryMerchant)).await.unwrap();
    home.engine.create_account(new_account(MAG_B, "Beta", OperatingModel::PrimaryMerchant)).await.unwrap();

    let edited = home
        .engine
        .update_account(
            MAG_A,
            AccountChanges {
                name: Some("Acme Europe".into()),
                edition: Some(Edition::MagentoOpenSource),
                operating_model: Some(OperatingModel::Ecosystem),
                standing: Some(Standing::Suspended),
                confirmed: Vec::new(),
            },
        )
        .await
        .unwrap();
    assert_eq!(edited.name, "Acme Europe");
    assert_eq!(edited.edition, Edition::MagentoOpenSource);
    assert_eq!(edited.operating_model, OperatingModel::Ecosystem);
    assert_eq!(edited.standing, Standing::Suspended);
    assert_eq!(edited.created_at, a.created_at);

    let before = home.engine.account(&a.id).await.unwrap();
    for (changes, code) in [
        (AccountChanges { name: Some("beta".into()), ..Default::default() }, ErrorCode::NameTaken),
        (AccountChanges { name: Some("".into()), ..Default::default() }, ErrorCode::EmptyValue),
        (AccountChanges { name: Some("x".repeat(500)), ..Default::default() }, ErrorCode::ValueTooLong),
    ] {
        assert_eq!(home.engine.update_account(&a.id, changes).await.unwrap_err().code(), code);
    }
    assert_eq!(
        home.engine.update_account("MAG123123123", AccountChanges::default()).await.unwrap_err().code(),
        ErrorCode::AccountNotFound
    );
    assert_eq!(home.engine.account(&a.id).await.unwrap(), before);

    // Keeping its own name (in another case) is not a clash.
    let renamed = home
        .engine
        .update_account(&a.id, AccountChanges { name: Some("ACME EUROPE".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(renamed.name, "ACME EUROPE");
}

#[tokio::test]
async fn merchants_belong_to_ecosystem_accounts_only() {
    let home = TestHome::new().await;
    let primary =
        home.engine.create_account(new_account(MAG_A, "Primary", OperatingModel::PrimaryMerchant)).await.unwrap();
    let market =
        home.engine.create_account(new_account(MAG_B, "Market", OperatingModel::PlatformMarketplace)).await.unwrap();
    for account in [&primary, &market] {
        let err = home.engine.add_merchant(&account.id, "Shop").await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::MerchantsNotAllowed);
        assert!(home.engine.account(&account.id).await.unwrap().merchants.is_empty());
    }

    for (mage_id, model) in
        [("MAG000000003", OperatingModel::Ecosystem), ("MAG000000004", OperatingModel::ManagedEcosystem)]
    {
        let eco = home.engine.create_account(new_account(mage_id, mage_id, model)).await.unwrap();
        let shop = home.engine.add_merchant(mage_id, " Shop One ").await.unwrap();
        assert_eq!(shop.name, "Shop One");
        home.engine.add_merchant(mage_id, "Shop Two").await.unwrap();
        let renamed = home.engine.rename_merchant(mage_id, "shop one", "Shop 1").await.unwrap();
        assert_eq!(renamed.id, shop.id);
        let names: Vec<_> = home.engine.account(&eco.id).await.unwrap().merchants.into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["Shop 1", "Shop Two"]);
        home.engine.remove_merchant(mage_id, &shop.id, &[]).await.unwrap();
        assert_eq!(home.engine.account(&eco.id).await.unwrap().merchants.len(), 1);
    }
}

#[tokio::test]
async fn bad_merchant_input_is_refused_and_changes_nothing() {
    let home = TestHome::new().await;
    let eco = home.engine.create_account(new_account(MAG_A, "Eco", OperatingModel::Ecosystem)).await.unwrap();
    home.engine.add_merchant(&eco.id, "Shop").await.unwrap();
    home.engine.add_merchant(&eco.id, "Other").await.unwrap();
    let before = home.engine.account(&eco.id).await.unwrap();

    assert_eq!(home.engine.add_merchant(&eco.id, "SHOP").await.unwrap_err().code(), ErrorCode::NameTaken);
    assert_eq!(home.engine.add_merchant(&eco.id, "").await.unwrap_err().code(), ErrorCode::EmptyValue);
    assert_eq!(home.engine.add_merchant(&eco.id, &"m".repeat(101)).await.unwrap_err().code(), ErrorCode::ValueTooLong);
    assert_eq!(home.engine.rename_merchant(&eco.id, "Shop", "other").await.unwrap_err().code(), ErrorCode::NameTaken);
    assert_eq!(
        home.engine.rename_merchant(&eco.id, "Nope", "New").await.unwrap_err().code(),
        ErrorCode::MerchantNotFound
    );
    assert_eq!(
        home.engine.remove_merchant(&eco.id, "Nope", &[]).await.unwrap_err().code(),
        ErrorCode::MerchantNotFound
    );
    assert_eq!(home.engine.add_merchant("MAG999999999", "X").await.unwrap_err().code(), ErrorCode::AccountNotFound);
    // An ecosystem account cannot lose its model while merchants remain.
    let err = home
        .engine
        .update_account(
            &eco.id,
            AccountChanges { operating_model: Some(OperatingModel::PrimaryMerchant), ..Default::default() },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::MerchantsExist);
    assert_eq!(home.engine.account(&eco.id).await.unwrap(), before);

    // Moving between the two ecosystem models keeps the merchants.
    let managed = home
        .engine
        .update_account(
            &eco.id,
            AccountChanges { operating_model: Some(OperatingModel::ManagedEcosystem), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(managed.merchants.len(), 2);
}

#[tokio::test]
async fn every_change_is_in_the_activity_log() {
    let home = TestHome::new().await;
    let eco = home.engine.create_account(new_account(MAG_A, "Eco", OperatingModel::Ecosystem)).await.unwrap();
    home.engine.add_merchant(&eco.id, "Shop").await.unwrap();
    // A refused change leaves no trace.
    home.engine.add_merchant(&eco.id, "shop").await.unwrap_err();
    let actions: Vec<_> =
        home.engine.activity(Some(&eco.id), 10, 0).await.unwrap().entries.into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["merchant.added", "account.created"]);
}

#[tokio::test]
async fn error_bodies_name_the_field_they_are_about() {
    let home = TestHome::new().await;
    home.engine.create_account(new_account(MAG_A, "Acme", OperatingModel::Ecosystem)).await.unwrap();
    let taken = home.engine.create_account(new_account(MAG_B, "acme", OperatingModel::Ecosystem)).await.unwrap_err();
    assert_eq!(taken.body().field, Some(keyport_engine::core::Field::AccountName));
    let empty = home.engine.add_merchant(MAG_A, " ").await.unwrap_err().body();
    assert_eq!((empty.code, empty.field), (ErrorCode::EmptyValue, Some(keyport_engine::core::Field::MerchantName)));
    let mage = home.engine.create_account(new_account("MAG1", "Other", OperatingModel::Ecosystem)).await.unwrap_err();
    assert_eq!(mage.body().field, None, "a MageID is no free-text field");
    assert_eq!(serde_json::to_value(mage.body()).unwrap().get("field"), None, "absent, not null, on the wire");
}

#[tokio::test]
async fn names_are_unique_under_full_case_folding_and_invisible_characters_are_refused() {
    let home = TestHome::new().await;
    home.engine.create_account(new_account(MAG_A, "Straße", OperatingModel::PrimaryMerchant)).await.unwrap();
    let before = home.engine.accounts().await.unwrap();
    for (name, code) in [
        ("STRASSE", ErrorCode::NameTaken),
        ("strasse", ErrorCode::NameTaken),
        ("Stra\u{AD}sse", ErrorCode::InvalidCharacters),
        ("Acme\u{3164}", ErrorCode::InvalidCharacters),
        ("Acme\u{E0041}", ErrorCode::InvalidCharacters),
    ] {
        let err =
            home.engine.create_account(new_account(MAG_B, name, OperatingModel::PrimaryMerchant)).await.unwrap_err();
        assert_eq!(err.code(), code, "{name:?}");
    }
    assert_eq!(home.engine.accounts().await.unwrap(), before);
}

/// A home written by an older Keyport holds folded forms of the old rule
/// (lower case only); opening it redoes them, and two names that now fold
/// alike both survive.
#[tokio::test]
async fn older_folded_forms_are_redone_at_open() {
    let home = TestHome::new().await;
    home.engine.create_account(new_account(MAG_A, "Straße", OperatingModel::PrimaryMerchant)).await.unwrap();
    home.engine.create_account(new_account(MAG_B, "Maße", OperatingModel::PrimaryMerchant)).await.unwrap();
    home.close().await;
    // Roll the home back to the old rule: "ß" stays "ß", and an account that
    // only the new rule finds taken.
    let sql = "UPDATE accounts SET name_folded = 'straße' WHERE name = 'Straße';
               UPDATE accounts SET name_folded = 'maße' WHERE name = 'Maße';
               INSERT INTO accounts (id, mage_id, name, name_folded, edition, operating_model, standing, created_at, updated_at)
                 SELECT 'legacy', 'MAG000000003', 'MASSE', 'masse', edition, operating_model, standing, created_at, updated_at
                 FROM accounts WHERE name = 'Maße';
               DELETE FROM settings WHERE key = 'fold_version';";
    let out = std::process::Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000"])
        .arg(home.path().join("keyport.db"))
        .arg(sql)
        .output()
        .unwrap();
    assert!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));

    let engine = home.reopen().await;
    let names: Vec<_> = engine.accounts().await.unwrap().into_iter().map(|a| a.name).collect();
    assert_eq!(names.len(), 3, "no account is lost: {names:?}");
    let err = engine.create_account(new_account("MAG000000004", "STRASSE", OperatingModel::PrimaryMerchant)).await;
    assert_eq!(err.unwrap_err().code(), ErrorCode::NameTaken, "the refolded name is taken");
    for taken in ["maße", "MASSE"] {
        let err = engine.create_account(new_account("MAG000000004", taken, OperatingModel::PrimaryMerchant)).await;
        assert_eq!(err.unwrap_err().code(), ErrorCode::NameTaken, "{taken}");
    }
}
