//! The full fault scenario of the sync engine: `cargo xtask soak`.

#[tokio::test]
async fn two_hundred_mutations_and_twenty_uploads_survive_faults_and_ten_kills() {
    let r = yiqifu_tests::scenario::run(yiqifu_tests::scenario::Plan {
        mutations: 200,
        uploads: 20,
        upload_bytes: 3 * 1024 * 1024,
        kills: 10,
        fault_pct: 30,
    })
    .await;
    eprintln!("soak: {r}");
    assert_eq!(r.kills_after_progress, 10);
    assert!(r.faults > 0, "the scenario injected faults");
}
