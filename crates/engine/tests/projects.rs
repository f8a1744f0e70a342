//! SaaS projects and data spaces on a real SQLite file.

mod common;

use common::{TestHome, new_account};
use keyport_engine::core::ErrorCode;
use keyport_engine::core::saas::DataSpaceType;
use keyport_engine::core::{Edition, OperatingModel};
use keyport_engine::model::NewAccount;

const AC: &str = "MAG000000001";
const OS: &str = "MAG000000002";

async fn home() -> TestHome {
    let home = TestHome::new().await;
    home.engine.create_account(new_account(AC, "Commerce", OperatingModel::PrimaryMerchant)).await.unwrap();
    home.engine
        .create_account(NewAccount {
            edition: Edition::MagentoOpenSource,
            ..new_account(OS, "Open Source", OperatingModel::PrimaryMerchant)
        })
        .await
        .unwrap();
    home
}

#[tokio::test]
async fn adobe_commerce_projects_get_one_production_and_two_testing_data_spaces() {
    let home = home().await;
    let project = home.engine.create_project(AC, "  Storefront ").await.unwrap();
    assert_eq!(project.name, "Storefront");
    let kinds: Vec<_> = project.data_spaces.iter().map(|d| d.data_space_type).collect();
    assert_eq!(kinds, [DataSpaceType::Production, DataSpaceType::Testing, DataSpaceType::Testing]);
    let names: Vec<_> = project.data_spaces.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Production", "Testing 1", "Testing 2"]);
    assert!(project.data_spaces.iter().all(|d| d.project_id == project.id));
}

#[tokio::test]
async fn open_source_projects_get_one_production_data_space() {
    let home = home().await;
    let project = home.engine.create_project(OS, "Shop").await.unwrap();
    assert_eq!(project.data_spaces.len(), 1);
    assert_eq!(project.data_spaces[0].data_space_type, DataSpaceType::Production);
}

#[tokio::test]
async fn creation_is_all_or_nothing() {
    let home = home().await;
    // A real failure in the middle of the transaction: the database refuses
    // the second data space of any project.
    let sql = "CREATE TRIGGER fail_second_space BEFORE INSERT ON data_spaces
               WHEN (SELECT count(*) FROM data_spaces WHERE project_id = NEW.project_id) >= 1
               BEGIN SELECT RAISE(ABORT, 'injected failure'); END;";
    home.close().await;
    let status = std::process::Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000"])
        .arg(home.path().join("keyport.db"))
        .arg(sql)
        .status()
        .unwrap();
    assert!(status.success());
    let engine = home.reopen().await;

    let err = engine.create_project(AC, "Half").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DatabaseError);
    assert!(engine.projects(AC).await.unwrap().is_empty(), "no partial project");
    assert!(engine.activity(None, 50, 0).await.unwrap().entries.iter().all(|a| a.action != "project.created"));
    // Open Source projects have a single data space, so they still work.
    assert_eq!(engine.create_project(OS, "Whole").await.unwrap().data_spaces.len(), 1);
}

#[tokio::test]
async fn project_names_are_unique_per_account() {
    let home = home().await;
    home.engine.create_project(AC, "Storefront").await.unwrap();
    let long = "p".repeat(65);
    for (name, code) in [
        ("", ErrorCode::EmptyValue),
        ("  ", ErrorCode::EmptyValue),
        (long.as_str(), ErrorCode::ValueTooLong),
        ("a\nb", ErrorCode::InvalidCharacters),
        ("STOREFRONT", ErrorCode::NameTaken),
    ] {
        assert_eq!(home.engine.create_project(AC, name).await.unwrap_err().code(), code, "{name:?}");
    }
    // Another account may use the same name.
    home.engine.create_project(OS, "Storefront").await.unwrap();
    assert_eq!(home.engine.projects(AC).await.unwrap().len(), 1);
    assert_eq!(home.engine.create_project("MAG999999999", "X").await.unwrap_err().code(), ErrorCode::AccountNotFound);
}

#[tokio::test]
async fn renames_keep_ids_and_refuse_clashes() {
    let home = home().await;
    let a = home.engine.create_project(AC, "Alpha").await.unwrap();
    home.engine.create_project(AC, "Beta").await.unwrap();

    let renamed = home.engine.rename_project(AC, &a.id, "Alpha EU").await.unwrap();
    assert_eq!((renamed.id.as_str(), renamed.name.as_str()), (a.id.as_str(), "Alpha EU"));
    assert_eq!(home.engine.rename_project(AC, "alpha eu", "Alpha").await.unwrap().id, a.id, "by name too");
    assert_eq!(home.engine.rename_project(AC, &a.id, "beta").await.unwrap_err().code(), ErrorCode::NameTaken);
    assert_eq!(home.engine.rename_project(AC, &a.id, "").await.unwrap_err().code(), ErrorCode::EmptyValue);
    assert_eq!(home.engine.rename_project(AC, "nope", "X").await.unwrap_err().code(), ErrorCode::ProjectNotFound);

    let testing = &a.data_spaces[1];
    let space = home.engine.rename_data_space(AC, &testing.id, "Staging").await.unwrap();
    assert_eq!((space.id.as_str(), space.name.as_str()), (testing.id.as_str(), "Staging"));
    assert_eq!(space.data_space_type, DataSpaceType::Testing);
    assert_eq!(
        home.engine.rename_data_space(AC, &testing.id, "production").await.unwrap_err().code(),
        ErrorCode::NameTaken
    );
    assert_eq!(
        home.engine.rename_data_space(AC, &testing.id, &"d".repeat(65)).await.unwrap_err().code(),
        ErrorCode::ValueTooLong
    );
    assert_eq!(home.engine.rename_data_space(AC, "nope", "X").await.unwrap_err().code(), ErrorCode::DataSpaceNotFound);
    // Data spaces of different projects may share names.
    let beta = home.engine.project(AC, "Beta").await.unwrap();
    home.engine.rename_data_space(AC, &beta.data_spaces[1].id, "Staging").await.unwrap();

    let after = home.engine.project(AC, &a.id).await.unwrap();
    assert_eq!(after.name, "Alpha");
    assert_eq!(
        after.data_spaces.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        ["Production", "Staging", "Testing 2"]
    );
}

#[tokio::test]
async fn accounts_cannot_reach_each_others_projects() {
    let home = home().await;
    let a = home.engine.create_project(AC, "Mine").await.unwrap();
    assert_eq!(home.engine.project(OS, &a.id).await.unwrap_err().code(), ErrorCode::ProjectNotFound);
    assert_eq!(home.engine.project_by_id(OS, &a.id).await.unwrap_err().code(), ErrorCode::ProjectNotFound);
    assert_eq!(home.engine.rename_project(OS, &a.id, "Theirs").await.unwrap_err().code(), ErrorCode::ProjectNotFound);
    assert_eq!(
        home.engine.rename_data_space(OS, &a.data_spaces[0].id, "X").await.unwrap_err().code(),
        ErrorCode::DataSpaceNotFound
    );
    assert_eq!(home.engine.project(AC, &a.id).await.unwrap().name, "Mine");
}
