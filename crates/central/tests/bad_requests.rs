//! Every route against a generated mix of bad requests: always a 4xx with a code, never a
//! 5xx, no change to the service's data by a refused request, and the memory it takes
//! bounded. In a test binary of its own, so the memory measured is this mix's alone.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::Svc;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use yiqifu_central::ROUTES;

/// A small deterministic generator: the same run every time, so a failure reproduces.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() as usize) % xs.len()]
    }
}

const IDS: &[&str] = &[
    "x",
    "..%2F..%2Fetc%2Fpasswd",
    "app_00",
    "%00",
    "😀",
    "a%20b",
    "1e309",
    "-1",
    "CON",
    "up_deadbeef",
];

const BODIES: &[&[u8]] = &[
    b"",
    b"{",
    b"null",
    b"[]",
    b"{\"unknown\": 1}",
    b"{\"credit_code\": 91, \"password\": []}",
    b"{\"action\": \"explode\"}",
    b"{\"action\": \"return\", \"items\": []}",
    b"{\"kind\": \"supply\", \"category\": \"supplies\", \"item\": \"\", \"quantity\": -1, \"unit\": \"\", \"district\": \"\", \"valid_until\": \"tomorrow\", \"contact_name\": \"\", \"contact_phone\": \"\", \"note\": null}",
    b"{\"category\": \"supply_chain\", \"title\": \"\", \"description\": \"\", \"attachments\": [\"../../x\"]}",
    b"{\"score\": 0, \"comment\": null}",
    b"{\"body\": \"\"}",
    b"{\"refresh_token\": \"nope\"}",
    b"{\"contact_name\": \"a\", \"contact_phone\": \"1\", \"returning_staff\": 0, \"selfcheck\": {\"template_id\": \"none\", \"template_version\": 99, \"answers\": []}, \"materials\": [], \"note\": null}",
    b"{\"address\": \"\", \"district\": \"\xe5\x8c\x97\xe4\xba\xac\", \"industry_section\": \"Z\", \"industry_division\": \"99\", \"headcount\": 0, \"on_site\": 5, \"contacts\": [{\"name\": \"\", \"role\": \"\", \"phone\": \"1\"}], \"risk_area\": \"sealed\", \"dormitories\": false, \"whitelist_batch\": \" \"}",
    b"\xff\xfe\x00garbage",
];

const QUERIES: &[&str] = &[
    "",
    "cursor=zzz",
    "cursor=c1.-5",
    "limit=0",
    "limit=abc",
    "limit=99999999999",
    "state=nope",
    "kind=both",
    "mine=perhaps",
    "x=1",
];

#[tokio::test]
async fn a_generated_mix_of_bad_requests_never_gets_a_5xx() {
    let svc = Svc::start().await;
    let (mut ent, mut rev) = (svc.login(0).await, svc.reviewer().await);
    let mut rng = Lcg(20220516);
    let mut seen = BTreeSet::new();
    let big = big_bodies();
    let mut state = state_of(&svc.running.db).await;
    let before = Heap::start_peak();
    for round in 0..400 {
        let (method, path) = ROUTES[round % ROUTES.len()];
        let id: &&str = rng.pick(IDS);
        let path = path.replace("{id}", id);
        let query = rng.pick(QUERIES);
        let url = if query.is_empty() {
            format!("{}{path}", svc.base)
        } else {
            format!("{}{path}?{query}", svc.base)
        };
        let mut req = svc.http.request(
            Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
            url,
        );
        let tokens = [ent.as_str(), rev.as_str(), "forged", ""];
        let token = *rng.pick(&tokens);
        if !token.is_empty() {
            req = req.bearer_auth(token);
        }
        if rng.next().is_multiple_of(2) {
            req = req.header("Content-Type", "application/json");
        } else {
            req = req.header(
                "Content-Type",
                *rng.pick(&[
                    "text/plain",
                    "application/offset+octet-stream",
                    "multipart/form-data",
                ]),
            );
        }
        match rng.next() % 4 {
            0 => req = req.header("Idempotency-Key", format!("k{}", rng.next() % 5)),
            1 => {
                req = req
                    .header("Tus-Resumable", "1.0.0")
                    .header("Upload-Offset", "abc")
                    .header("Upload-Length", "-4")
            }
            2 => {
                req = req
                    .header("Upload-Metadata", "material_type !!!,filename ???")
                    .header("Tus-Resumable", "1.0.0")
            }
            _ => {}
        }
        if round % 13 == 7 {
            // Far past what any header needs, yet within what the HTTP layer reads.
            req = req.header("X-Padding", "h".repeat(256 * 1024));
        }
        let body = if round % 37 == 0 {
            vec![b'['; 3 * 1024 * 1024]
        } else if round % 11 == 5 {
            rng.pick(&big).clone()
        } else {
            rng.pick(BODIES).to_vec()
        };
        let status = if round % 17 == 3 {
            // The same request trickled in over a few hundred milliseconds.
            let built = req.body(body).build().unwrap();
            slow_request(svc.running.addr, &built).await
        } else {
            let resp = req.body(body).send().await.unwrap();
            let status = resp.status();
            if status.is_client_error() && method != "head" {
                let v: Value = resp.json().await.unwrap_or(Value::Null);
                assert!(
                    v["code"].is_string(),
                    "{method} {path}: a {status} without a code: {v}"
                );
            }
            status
        };
        answered(
            &svc.running.db,
            &mut state,
            status,
            &format!("{method} {path}?{query}"),
        )
        .await;
        if path.ends_with("/auth/logout") && status.is_success() {
            // Signed out for real: the rest of the mix needs live sessions to get past
            // authentication.
            (ent, rev) = (svc.login(0).await, svc.reviewer().await);
            state = state_of(&svc.running.db).await;
        }
        seen.insert((method, status.as_u16()));
    }
    // Then every bad body, well framed (the right role's token, JSON, a fresh key), to every
    // route that takes one, so that each reaches the handler's own checks.
    let mut framed = 0;
    (ent, rev) = (svc.login(0).await, svc.reviewer().await);
    state = state_of(&svc.running.db).await;
    for (method, path) in ROUTES.iter().filter(|(m, p)| {
        ["post", "put"].contains(m)
            && !p.starts_with("/api/v1/uploads")
            && !p.ends_with("/auth/logout")
    }) {
        let path = path.replace("{id}", "x");
        let token = if path.starts_with("/api/v1/review") {
            &rev
        } else {
            &ent
        };
        for body in BODIES.iter().map(|b| b.to_vec()).chain(big.iter().cloned()) {
            framed += 1;
            let resp = svc
                .http
                .request(
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    format!("{}{path}", svc.base),
                )
                .bearer_auth(token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", format!("framed-{framed}"))
                .body(body)
                .send()
                .await
                .unwrap();
            let status = resp.status();
            answered(
                &svc.running.db,
                &mut state,
                status,
                &format!("{method} {path}"),
            )
            .await;
            seen.insert((method, status.as_u16()));
        }
    }
    let added = Heap::peak().saturating_sub(before);
    eprintln!(
        "the heap grew by at most {} KiB during the mix",
        added >> 10
    );
    // The mix reached past authentication into validation.
    assert!(seen.iter().any(|(_, s)| *s == 422 || *s == 400));
    assert!(
        added < HEAP_BOUND,
        "the heap grew by {} KiB during the mix, more than the {} KiB stated: something \
         holds a refused body, or many",
        added >> 10,
        HEAP_BOUND >> 10
    );
}

/// What the mix may add to the live heap of this process (the service, and the client
/// sending it one request at a time): 22 MiB measured here on SQLite, 24 MiB on PostgreSQL,
/// the same from run to run. Counted by the allocator, not read off the resident size, which
/// glibc's arenas made swing between 145 and 330 MiB from run to run.
const HEAP_BOUND: usize = 40 << 20;

/// This test binary's allocator: the system's, counting the bytes live and their peak.
struct Heap;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

impl Heap {
    fn grew(by: usize) {
        let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }

    /// Starts a new peak from what is live now, which it returns.
    fn start_peak() -> usize {
        let now = LIVE.load(Ordering::Relaxed);
        PEAK.store(now, Ordering::Relaxed);
        now
    }

    fn peak() -> usize {
        PEAK.load(Ordering::Relaxed)
    }
}

// SAFETY: every call goes to the system allocator with the caller's arguments unchanged;
// the counters only add and subtract the sizes it was asked for.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promised for `layout`.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            Self::grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promised for `layout`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            Self::grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with `layout`, as the caller promised.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as the caller promised for `ptr`, `layout` and `new_size`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            Self::grew(new_size);
        }
        p
    }
}

#[global_allocator]
static HEAP: Heap = Heap;

/// Bodies too big in ways a size limit alone does not catch: one huge string in every
/// field a request has, nesting far past what a parser recurses into, and a flood of keys.
fn big_bodies() -> Vec<Vec<u8>> {
    let long = "字".repeat(200_000);
    let each = "字".repeat(20_000);
    let fields = [
        "title",
        "description",
        "body",
        "comment",
        "note",
        "item",
        "unit",
        "contact_name",
        "contact_phone",
        "credit_code",
        "password",
        "username",
        "refresh_token",
        "address",
    ];
    let strings: serde_json::Map<String, Value> = fields
        .iter()
        .map(|f| (f.to_string(), Value::String(each.clone())))
        .collect();
    let one_string = serde_json::to_vec(&serde_json::json!({"title": long})).unwrap();
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)).into_bytes();
    let deep_objects = "{\"a\":".repeat(100_000).into_bytes();
    let mut keys = String::from("{");
    for i in 0..60_000 {
        keys.push_str(&format!("\"k{i}\":{i},"));
    }
    keys.push_str("\"end\":0}");
    vec![
        one_string,
        serde_json::to_vec(&strings).unwrap(),
        deep,
        deep_objects,
        keys.into_bytes(),
    ]
}

/// Every table's rows as text, but the idempotency records: a refused request's answer is
/// kept there on purpose, so that its retry gets the same answer.
async fn state_of(db: &yiqifu_central::db::Db) -> Vec<(String, String)> {
    let postgres = common::on_postgres();
    let tables_sql = if postgres {
        "SELECT table_name::text FROM information_schema.tables
          WHERE table_schema = 'public' AND table_name NOT IN ('idempotency', '_sqlx_migrations')
          ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT IN ('idempotency') ORDER BY name"
    };
    let tables: Vec<(String,)> = sqlx::query_as(tables_sql).fetch_all(db).await.unwrap();
    let mut out = Vec::new();
    for (table,) in tables {
        let rows_sql = if postgres {
            // A row as text, in the engine's own literal form, one row per line.
            format!(
                "SELECT COALESCE(string_agg(r, chr(10) ORDER BY r), '') FROM
                 (SELECT CAST(t AS TEXT) AS r FROM \"{table}\" AS t) AS rows"
            )
        } else {
            let cols: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_table_info($1)")
                .bind(&table)
                .fetch_all(db)
                .await
                .unwrap();
            let row = cols
                .iter()
                .map(|(c,)| format!("quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(" || ',' || ");
            format!(
                "SELECT COALESCE(group_concat(r, char(10)), '') FROM
                 (SELECT {row} AS r FROM \"{table}\" ORDER BY r)"
            )
        };
        let (rows,): (String,) = sqlx::query_as(&rows_sql).fetch_one(db).await.unwrap();
        out.push((table, rows));
    }
    out
}

/// Holds the answer `status` to the request `what`: never a 5xx, and, when refused, no
/// change to the data since `state`, which then becomes the data as it is now.
async fn answered(
    db: &yiqifu_central::db::Db,
    state: &mut Vec<(String, String)>,
    status: StatusCode,
    what: &str,
) {
    assert!(status.as_u16() < 500, "{what}: {status}");
    let now = state_of(db).await;
    if status.is_client_error() {
        unchanged(state, &now, &format!("{what} was refused ({status})"));
    }
    *state = now;
}

/// Fails naming the tables `what` changed.
fn unchanged(before: &[(String, String)], after: &[(String, String)], what: &str) {
    let changed: Vec<&str> = before
        .iter()
        .zip(after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.0.as_str())
        .collect();
    assert!(
        changed.is_empty() && before.len() == after.len(),
        "{what} yet changed the service's data: tables {changed:?}"
    );
}

/// Sends `req` over a raw socket in eight pieces, 40 ms apart, and reads the status.
async fn slow_request(addr: std::net::SocketAddr, req: &reqwest::Request) -> StatusCode {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut head = format!(
        "{} {} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n",
        req.method(),
        match req.url().query() {
            Some(q) => format!("{}?{q}", req.url().path()),
            None => req.url().path().to_string(),
        }
    );
    for (name, value) in req.headers() {
        head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    let body = req.body().and_then(|b| b.as_bytes()).unwrap_or_default();
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut wire = head.into_bytes();
    wire.extend_from_slice(body);
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let piece = wire.len().div_ceil(8);
    for part in wire.chunks(piece) {
        // The service may answer and close before the rest of a refused body arrives.
        if socket.write_all(part).await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(40)).await;
    }
    let mut answer = Vec::new();
    let _ = socket.read_to_end(&mut answer).await;
    let line = String::from_utf8_lossy(&answer);
    let code = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse::<u16>().ok())
        .unwrap_or_else(|| panic!("no HTTP answer to a slow {}: {line:?}", req.url()));
    StatusCode::from_u16(code).unwrap()
}
