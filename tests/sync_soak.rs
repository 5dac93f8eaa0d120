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
    eprintln!(
        "soak: {:.1}s, {} client runs, {} connections, {} with injected faults",
        r.elapsed.as_secs_f64(),
        r.runs,
        r.connections,
        r.faults
    );
}
