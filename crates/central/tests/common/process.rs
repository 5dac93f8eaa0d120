//! A `yiqifu-central` process of its own, for what one in-process service cannot show:
//! two processes on one database, a start's own checks, a disk of its own.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use yiqifu_central::seed::{DEMO_ENTERPRISES, DEMO_PASSWORD};

/// A service process, killed when dropped.
pub struct Process {
    pub base: String,
    _child: tokio::process::Child,
}

/// Starts `cmd` (the service binary, or a command that ends by running it) and waits for it
/// to serve: it prints the address it listens on.
pub async fn serve(mut cmd: tokio::process::Command) -> Process {
    let mut child = cmd
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("yiqifu-central listening on ") {
                return url.to_string();
            }
        }
        panic!("yiqifu-central ended without serving");
    })
    .await
    .expect("yiqifu-central did not start serving within 60 s");
    // The rest of what it prints (the demo accounts) is not needed; keep the pipe drained.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Process {
        base,
        _child: child,
    }
}

impl Process {
    /// Demo enterprise `i` signed in: its access token.
    pub async fn login(&self, http: &reqwest::Client, i: usize) -> String {
        let signed_in: Value = http
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({"credit_code": DEMO_ENTERPRISES[i].credit_code(), "password": DEMO_PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        signed_in["access_token"].as_str().unwrap().to_string()
    }
}
