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
    /// The CA that signed the server's TLS certificate (for 127.0.0.1), readable by the tests.
    certificate: PathBuf,
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
# TLS as a city's server has it: a certificate for 127.0.0.1 signed by a CA of the test's,
# which the tests can read to check the server as `sslmode=verify-full` does.
mkdir "$dir/tls"
chmod 755 "$dir" "$dir/tls"
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
  >"$dir/tls/ext"
if ! { openssl req -x509 $ec -days 2 -subj "/CN=yiqifu test CA" \
         -keyout "$dir/tls/ca.key" -out "$dir/tls/ca.crt" &&
       openssl req $ec -subj /CN=127.0.0.1 -keyout "$dir/tls/server.key" \
         -out "$dir/tls/server.csr" &&
       openssl x509 -req -in "$dir/tls/server.csr" -CA "$dir/tls/ca.crt" \
         -CAkey "$dir/tls/ca.key" -CAcreateserial -days 2 -extfile "$dir/tls/ext" \
         -out "$dir/tls/server.crt"; } >"$dir/openssl.log" 2>&1; then
  cat "$dir/openssl.log" >&2; exit 1
fi
chmod 600 "$dir/tls/server.key" "$dir/tls/ca.key"
chmod 644 "$dir/tls/ca.crt"
# fsync off: a test server's data need not outlive a power cut, and this makes it fast.
if ! "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 -o "-p $port -k $dir \
    -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off \
    -c max_connections=300 -c ssl=on -c ssl_cert_file=$dir/tls/server.crt \
    -c ssl_key_file=$dir/tls/server.key" start >/dev/null; then
  cat "$dir/log" >&2; exit 1
fi
echo "ready $dir/tls/ca.crt"
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
    let Some(certificate) = line.trim().strip_prefix("ready ") else {
        panic!(
            "PostgreSQL did not start (from {}; its log is above; it needs openssl too)",
            bin.display()
        );
    };
    Server {
        port,
        certificate: PathBuf::from(certificate),
        _keeper: Mutex::new(keeper),
    }
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(start)
}

/// The CA that signed the server's TLS certificate, which a client checks it against.
pub async fn certificate() -> PathBuf {
    tokio::task::spawn_blocking(|| server().certificate.clone())
        .await
        .expect("the PostgreSQL start panicked")
}

/// The URL of a new, empty database on this binary's server (its connections take TLS, as
/// `sslmode=prefer`, the default, does).
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
