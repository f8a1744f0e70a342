//! The sandbox's request log on its own connection: batches land in order,
//! the log keeps only its newest rows, and what it stores is cut and cleaned.

mod common;

use common::TestHome;
use keyport_engine::SANDBOX_LOG_ROWS;
use keyport_engine::core::ErrorCode;
use keyport_engine::model::SandboxRequestRecord;

fn record(i: usize) -> SandboxRequestRecord {
    SandboxRequestRecord {
        at: format!("2026-01-01T00:00:00.{:03}Z", i % 1000),
        method: "GET",
        path: format!("/merchant-registry/v1/ping?{i}"),
        entitlement: None,
        status: 401,
        code: Some(ErrorCode::MissingApiKey),
        duration_us: i as i64,
    }
}

#[tokio::test]
async fn the_log_keeps_its_newest_rows_only() {
    let home = TestHome::new().await;
    let mut writer = home.engine.sandbox_log_writer().unwrap();
    let total = SANDBOX_LOG_ROWS as usize + 2_500;
    let all: Vec<SandboxRequestRecord> = (0..total).map(record).collect();
    for batch in all.chunks(1_000) {
        writer.write(batch).unwrap();
    }
    writer.write(&[]).unwrap();
    let newest = home.engine.sandbox_requests(u32::MAX).await.unwrap();
    assert_eq!(newest.len(), SANDBOX_LOG_ROWS as usize);
    assert_eq!(newest[0].duration_us, (total - 1) as i64);
    assert_eq!(newest.last().unwrap().duration_us, (total - SANDBOX_LOG_ROWS as usize) as i64);
    assert_eq!(newest[0].code, Some(ErrorCode::MissingApiKey));
    home.close().await;
}

#[tokio::test]
async fn the_log_writer_waits_for_other_writers_and_keeps_their_data() {
    let home = TestHome::new().await;
    let mut writer = home.engine.sandbox_log_writer().unwrap();
    // Another connection's changes go on while the log is written.
    let engine = home.engine.clone();
    let other = tokio::spawn(async move {
        for i in 0..20 {
            let mag = format!("MAG{:09}", i + 1);
            engine
                .create_account(common::new_account(
                    &mag,
                    &format!("Acct {i}"),
                    keyport_engine::core::OperatingModel::PrimaryMerchant,
                ))
                .await
                .unwrap();
        }
    });
    let batch: Vec<SandboxRequestRecord> = (0..500).map(record).collect();
    let written = tokio::task::spawn_blocking(move || {
        for _ in 0..20 {
            writer.write(&batch).unwrap();
        }
    });
    written.await.unwrap();
    other.await.unwrap();
    assert_eq!(home.engine.accounts().await.unwrap().len(), 20);
    assert_eq!(home.engine.sandbox_requests(u32::MAX).await.unwrap().len(), SANDBOX_LOG_ROWS as usize);
    home.close().await;
}
