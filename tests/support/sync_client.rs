//! A client process for the fault scenario: opens the app's data folder, drains every
//! enterprise's outbox and uploads through the given service URL, each with its own
//! session, and exits 0 once nothing is queued. The scenario kills it (SIGKILL) in the
//! middle of its work and starts it again.
//!
//! Arguments: DATA_DIR KEYCHAIN_SERVICE URL BASE_DELAY_MS CHUNK_BYTES

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use yiqifu_core::secrets::Keychain;
use yiqifu_core::{App, SyncConfig};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 6 {
        eprintln!(
            "usage: yiqifu-sync-client DATA_DIR KEYCHAIN_SERVICE URL BASE_DELAY_MS CHUNK_BYTES"
        );
        return ExitCode::from(2);
    }
    let base: u64 = args[4].parse().unwrap_or(200);
    let chunk: usize = args[5].parse().unwrap_or(256 * 1024);
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return ExitCode::FAILURE;
    };
    rt.block_on(async {
        let app = match App::open(&PathBuf::from(&args[1]), Keychain::new(&args[2])).await {
            Ok(a) => a,
            Err(e) => {
                eprintln!("open: {e}");
                return ExitCode::FAILURE;
            }
        };
        app.set_sync_config(SyncConfig {
            base_delay_ms: base,
            max_delay_ms: base * 8,
            chunk_bytes: chunk,
            idle: Duration::from_millis(200),
            // One connection per request: every request gets its own fault roll.
            keep_alive: false,
        });
        // Offline at start is fine: the worker retries.
        let _ = app.resume(&args[3]).await;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(600) {
            if let Err(e) = app.drain_all().await {
                eprintln!("drain: {e}");
            }
            let all = app.status().enterprises;
            if all.iter().all(|e| e.queued == 0) {
                return if all.iter().all(|e| e.parked == 0) {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(3)
                };
            }
            if let Some(e) = all.iter().find(|e| !e.signed_in) {
                eprintln!("{} signed out: cannot finish", e.id);
                return ExitCode::from(4);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        ExitCode::from(5)
    })
}
