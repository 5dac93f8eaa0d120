//! A local S3-compatible server for the service's tests: moto's server mode (PyPI's `moto`,
//! which `cargo xtask test` installs in a virtual environment), started by the test binary
//! itself on a free local port. One server per test binary; each test gets a bucket of its
//! own.
//!
//! As with PostgreSQL, a small shell script keeps the server: it waits on its standard input,
//! which the test binary holds, and stops moto when the binary exits however it exits.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

struct Server {
    port: u16,
    // Never read: holding it keeps the keeper's standard input open.
    _keeper: Mutex<Child>,
}

/// `moto_server`: `YIQIFU_MOTO`, or the virtual environment `cargo xtask test` makes.
fn moto_server() -> PathBuf {
    let path = match std::env::var_os("YIQIFU_MOTO") {
        Some(p) => PathBuf::from(p),
        None => {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            home.join(".cache/yiqifu/moto/bin/moto_server")
        }
    };
    assert!(
        path.exists(),
        "moto's S3 server is not at {}, and the upload store's tests need one: \
         python3 -m venv ~/.cache/yiqifu/moto && ~/.cache/yiqifu/moto/bin/pip install \
         'moto[server]' (cargo xtask test does this), or set YIQIFU_MOTO to moto_server",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free local port for moto")
}

const KEEPER: &str = r#"
set -u
"$1" -H 127.0.0.1 -p "$2" >"${TMPDIR:-/tmp}/yiqifu-moto-$2.log" 2>&1 &
pid=$!
echo started
cat >/dev/null || true
kill "$pid" 2>/dev/null || true
rm -f "${TMPDIR:-/tmp}/yiqifu-moto-$2.log"
"#;

fn start() -> Server {
    let bin = moto_server();
    let port = free_port();
    let mut keeper = Command::new("sh")
        .args(["-c", KEEPER, "keeper"])
        .arg(&bin)
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start moto's keeper script: {e}"));
    let stdout = keeper.stdout.take().expect("piped");
    let mut line = String::new();
    let _ = BufReader::new(stdout).read_line(&mut line);
    assert_eq!(line.trim(), "started", "moto's keeper script failed");
    // moto takes a few seconds to import; it is ready once it answers.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "moto did not listen on port {port} within 60 s (its log: {}/yiqifu-moto-{port}.log)",
            std::env::temp_dir().display()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Server {
        port,
        _keeper: Mutex::new(keeper),
    }
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(start)
}

/// The endpoint of this binary's moto server.
pub async fn endpoint() -> String {
    let port = tokio::task::spawn_blocking(|| server().port)
        .await
        .expect("the moto start panicked");
    format!("http://127.0.0.1:{port}")
}

/// What a service is given to reach the server (object_store's keys); moto takes any keys.
pub async fn options() -> Vec<(String, String)> {
    [
        ("aws_endpoint", endpoint().await),
        ("aws_allow_http", "true".into()),
        ("aws_access_key_id", "test".into()),
        ("aws_secret_access_key", "test".into()),
        ("aws_region", "us-east-1".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// A new, empty bucket on this binary's server, as an upload store under a prefix.
pub async fn fresh_bucket() -> yiqifu_central::Uploads {
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "t-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let made = reqwest::Client::new()
        .put(format!("{}/{name}", endpoint().await))
        .send()
        .await
        .expect("moto does not answer");
    assert!(
        made.status().is_success(),
        "moto did not make bucket {name}: {}",
        made.status()
    );
    yiqifu_central::Uploads::S3 {
        url: format!("s3://{name}/uploads"),
        options: options().await,
    }
}
