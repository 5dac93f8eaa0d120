//! A real PostgreSQL server for the service's tests, started by the test binary itself:
//! Debian's `initdb` and `pg_ctl` in a temporary folder, as a user that is not root, on a
//! free local port. One server per test binary; each test gets a database of its own.
//!
//! The server is kept by a small shell script that waits on its standard input: the test
//! binary holds the other end, so when the binary exits, however it exits, the script reads
//! the end of its input, stops the server and removes the folder.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

use sqlx::{Connection, Executor};

struct Server {
    port: u16,
    // Never read: holding it keeps the keeper's standard input open.
    _keeper: Mutex<Child>,
}

/// The folder of `initdb` and `pg_ctl`: `YIQIFU_PG_BIN`, or the newest of Debian's.
fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("YIQIFU_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => bin,
        None => panic!(
            "PostgreSQL is not installed, and the service's tests need a real server: \
             apt-get install postgresql (cargo xtask test installs it), or set YIQIFU_PG_BIN \
             to the folder holding initdb and pg_ctl"
        ),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free local port for PostgreSQL")
}

const KEEPER: &str = r#"
set -eu
bin="$1"; port="$2"
dir=$(mktemp -d "${TMPDIR:-/tmp}/yiqifu-pg.XXXXXX")
trap 'rm -rf "$dir"' EXIT
if ! "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2; exit 1
fi
# fsync off: a test server's data need not outlive a power cut, and this makes it fast.
if ! "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 -o "-p $port -k $dir \
    -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off \
    -c max_connections=300" start >/dev/null; then
  cat "$dir/log" >&2; exit 1
fi
echo ready
cat >/dev/null || true
"$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
"#;

fn start() -> Server {
    let bin = bin_dir();
    let port = free_port();
    let mut cmd = if is_root() {
        // initdb refuses to run as root; Debian's package made the postgres user.
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", "sh", "-c", KEEPER, "keeper"]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", KEEPER, "keeper"]);
        c
    };
    let mut keeper = cmd
        .arg(&bin)
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start PostgreSQL's keeper script: {e}"));
    let stdout = keeper.stdout.take().expect("piped");
    let mut line = String::new();
    let _ = BufReader::new(stdout).read_line(&mut line);
    assert_eq!(
        line.trim(),
        "ready",
        "PostgreSQL did not start (from {}; its log is above)",
        bin.display()
    );
    Server {
        port,
        _keeper: Mutex::new(keeper),
    }
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(start)
}

/// The URL of a new, empty database on this binary's server.
pub async fn fresh_database() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let port = tokio::task::spawn_blocking(|| server().port)
        .await
        .expect("the PostgreSQL start panicked");
    sqlx::any::install_default_drivers();
    let name = format!(
        "t_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin =
        sqlx::AnyConnection::connect(&format!("postgres://postgres@127.0.0.1:{port}/postgres"))
            .await
            .expect("cannot connect to the test PostgreSQL server");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("cannot create a test database");
    let _ = admin.close().await;
    format!("postgres://postgres@127.0.0.1:{port}/{name}")
}
