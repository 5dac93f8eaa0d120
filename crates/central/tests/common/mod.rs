//! A client for the service's tests: sign-in, a small tus uploader, and answers that pass.

#![allow(dead_code)]

pub mod answers;
pub mod postgres;
pub mod process;
pub mod s3;

use base64::Engine;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use yiqifu_central::seed::{
    DEMO_ENTERPRISES, DEMO_PASSWORD, DEMO_REVIEWER, DEMO_REVIEWER_PASSWORD,
};
use yiqifu_protocol::{Answer, AnswerValue, CompanyProfile, MaterialRule, SelfCheckTemplate};

pub struct Svc {
    pub running: yiqifu_central::Running,
    pub base: String,
    pub http: Client,
    _dir: Option<tempfile::TempDir>,
}

/// Every answer a route gave during the test must be one the OpenAPI document names for
/// that route: the document is what other clients are generated from.
impl Drop for Svc {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let undocumented = undocumented(&self.running.answered.seen());
        assert!(
            undocumented.is_empty(),
            "answers the OpenAPI document does not name for their route \
             (method, route, status): {undocumented:?}"
        );
    }
}

/// The answers in `seen` that the document does not name for their operation. A method the
/// document has no operation for (405, or HEAD on a GET route) is not an operation's answer.
pub fn undocumented(seen: &[(String, String, u16)]) -> Vec<(String, String, u16)> {
    use utoipa::OpenApi;
    // Built once per test binary, not at each of its services' ends.
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let doc = DOC
        .get_or_init(|| serde_json::to_value(yiqifu_central::openapi::ApiDoc::openapi()).unwrap());
    seen.iter()
        .filter(|(method, route, status)| {
            let op = &doc["paths"][route][method];
            !op.is_null() && op["responses"].get(status.to_string()).is_none()
        })
        .cloned()
        .collect()
}

/// Whether this run's services keep their data in PostgreSQL: `cargo xtask test` runs the
/// service's tests once on SQLite and once more with `YIQIFU_CENTRAL_DB=postgres`. A city
/// runs PostgreSQL with its uploads in object storage, so that run keeps them in S3 (moto).
pub fn on_postgres() -> bool {
    std::env::var("YIQIFU_CENTRAL_DB").is_ok_and(|v| v == "postgres")
}

/// A new database for a test's service, and the store for its uploads: a SQLite file and a
/// folder in `dir`, or a new database on the test binary's PostgreSQL server and a new
/// bucket on its S3 server.
pub async fn a_database(
    dir: &std::path::Path,
) -> (yiqifu_central::Database, yiqifu_central::Uploads) {
    if on_postgres() {
        (
            yiqifu_central::Database::Postgres(postgres::fresh_database().await),
            s3::fresh_bucket().await,
        )
    } else {
        (
            yiqifu_central::Database::Sqlite(dir.join("central.sqlite")),
            yiqifu_central::Uploads::Disk(dir.join("uploads")),
        )
    }
}

/// The demo service on `database`, as the binary serves it.
pub async fn start_on(
    database: &yiqifu_central::Database,
    uploads: &yiqifu_central::Uploads,
) -> yiqifu_central::Running {
    start_with(
        database,
        uploads,
        yiqifu_central::BODY_IDLE,
        yiqifu_central::HEADER_READ,
    )
    .await
}

async fn start_with(
    database: &yiqifu_central::Database,
    uploads: &yiqifu_central::Uploads,
    body_idle: std::time::Duration,
    header_read: std::time::Duration,
) -> yiqifu_central::Running {
    yiqifu_central::start(yiqifu_central::Config {
        addr: (std::net::Ipv4Addr::LOCALHOST, 0).into(),
        database: database.clone(),
        uploads: Some(uploads.clone()),
        demo: true,
        scale: 0,
        durability: Default::default(),
        body_idle,
        header_read,
    })
    .await
    .unwrap()
}

impl Svc {
    pub async fn start() -> Self {
        Self::start_with_timeouts(yiqifu_central::BODY_IDLE, yiqifu_central::HEADER_READ).await
    }

    /// A client of a service already running.
    pub fn on(running: yiqifu_central::Running) -> Self {
        Self {
            base: running.url(),
            running,
            http: Client::new(),
            _dir: None,
        }
    }

    /// The demo service giving up on a silent request body after `body_idle`, and on a
    /// request whose headers have not all come after `header_read`.
    pub async fn start_with_timeouts(
        body_idle: std::time::Duration,
        header_read: std::time::Duration,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (database, uploads) = a_database(dir.path()).await;
        let running = start_with(&database, &uploads, body_idle, header_read).await;
        let base = running.url();
        Self {
            running,
            base,
            http: Client::new(),
            _dir: Some(dir),
        }
    }

    pub fn req(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
    }

    /// An unauthenticated POST of JSON, answered with JSON.
    pub async fn post_json(&self, path: &str, body: Value) -> Value {
        self.http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The whole sign-in answer of demo enterprise `i`.
    pub async fn login_body(&self, i: usize) -> Value {
        self.post_json(
            "/api/v1/auth/login",
            json!({"credit_code": DEMO_ENTERPRISES[i].credit_code(), "password": DEMO_PASSWORD}),
        )
        .await
    }

    pub async fn login(&self, i: usize) -> String {
        let r = self.login_body(i).await;
        r["access_token"].as_str().unwrap().to_string()
    }

    pub async fn reviewer(&self) -> String {
        let r = self
            .post_json(
                "/api/v1/auth/reviewer-login",
                json!({"username": DEMO_REVIEWER, "password": DEMO_REVIEWER_PASSWORD}),
            )
            .await;
        r["access_token"].as_str().unwrap().to_string()
    }

    /// An authenticated GET, answered with JSON.
    pub async fn get<T: serde::de::DeserializeOwned>(&self, path: &str, token: &str) -> T {
        self.get_with(path, token, &[]).await
    }

    pub async fn get_with<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        token: &str,
        query: &[(&str, &str)],
    ) -> T {
        self.req(Method::GET, path, token)
            .query(query)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// A tus request on one upload.
    pub fn tus(&self, method: Method, token: &str, id: &str) -> RequestBuilder {
        self.req(method, &format!("/api/v1/uploads/{id}"), token)
            .header("Tus-Resumable", "1.0.0")
    }

    /// A tus upload in chunks of `chunk` bytes, each with its sha256; returns the id.
    pub async fn upload(
        &self,
        token: &str,
        material_type: &str,
        filename: &str,
        data: &[u8],
        chunk: usize,
    ) -> String {
        let resp = self
            .tus_create(token, material_type, filename, data.len())
            .await;
        assert_eq!(resp.status(), StatusCode::CREATED);
        let id = upload_id(&resp);
        let mut offset = 0;
        while offset < data.len() {
            let end = (offset + chunk).min(data.len());
            let r = self
                .patch(token, &id, offset, &data[offset..end], true)
                .await;
            assert_eq!(r.status(), StatusCode::NO_CONTENT, "{:?}", r.text().await);
            offset = end;
        }
        id
    }

    pub async fn tus_create(
        &self,
        token: &str,
        material_type: &str,
        filename: &str,
        len: usize,
    ) -> Response {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        self.req(Method::POST, "/api/v1/uploads", token)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", len.to_string())
            .header(
                "Upload-Metadata",
                format!(
                    "material_type {},filename {}",
                    b64(material_type),
                    b64(filename)
                ),
            )
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(
        &self,
        token: &str,
        id: &str,
        offset: usize,
        bytes: &[u8],
        checksum: bool,
    ) -> Response {
        let mut r = self
            .tus(Method::PATCH, token, id)
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string());
        if checksum {
            let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes));
            r = r.header("Upload-Checksum", format!("sha256 {digest}"));
        }
        r.body(bytes.to_vec()).send().await.unwrap()
    }

    /// Every item of a paged list (`ListPage`), page after page, `limit` at a time.
    pub async fn list_by<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        token: &str,
        limit: usize,
    ) -> Vec<T> {
        let limit = limit.to_string();
        let mut items = Vec::new();
        let mut after = String::new();
        for _ in 0..1000 {
            let mut query = vec![("limit", limit.as_str())];
            if !after.is_empty() {
                query.push(("after", after.as_str()));
            }
            let page: yiqifu_protocol::ListPage<T> = self.get_with(path, token, &query).await;
            items.extend(page.items);
            match page.next {
                Some(next) => after = next,
                None => return items,
            }
        }
        panic!("{path}: still more after 1000 pages");
    }

    /// Every item of a paged list, in pages of the largest size.
    pub async fn list<T: serde::de::DeserializeOwned>(&self, path: &str, token: &str) -> Vec<T> {
        self.list_by(path, token, 500).await
    }

    pub async fn feed<T: serde::de::DeserializeOwned>(&self, token: &str, path: &str) -> Vec<T> {
        let page: Value = self.get_with(path, token, &[("limit", "500")]).await;
        serde_json::from_value(page["items"].clone()).unwrap()
    }
}

/// The id of the upload a tus creation answer points at.
pub fn upload_id(created: &Response) -> String {
    let location = created.headers()["location"].to_str().unwrap();
    location.rsplit('/').next().unwrap().to_string()
}

/// A valid file of about `size` bytes in the first of `formats` the samples can make: the
/// service checks every upload by its content when it completes.
pub fn sample_file(formats: &[String], size: usize) -> (Vec<u8>, &'static str) {
    yiqifu_files::samples::for_formats(formats, size, 12345).expect("a format the samples make")
}

/// A valid company profile for demo enterprise `i`: its district and industry from the
/// seed, a site in a precaution area with dormitories.
pub fn company_profile(i: usize) -> CompanyProfile {
    let e = &DEMO_ENTERPRISES[i];
    answers::profile(e.district, e.industry, i)
}

impl Svc {
    pub async fn put_profile(&self, token: &str, p: &CompanyProfile) -> Response {
        self.req(Method::PUT, "/api/v1/profile", token)
            .json(p)
            .send()
            .await
            .unwrap()
    }
}

/// Answers that pass every visible item (see [`answers::passing`]); evidence items get
/// uploads of their material.
pub async fn passing_answers(
    svc: &Svc,
    token: &str,
    t: &SelfCheckTemplate,
    rules: &[MaterialRule],
    who: &CompanyProfile,
) -> Vec<Answer> {
    let mut answers = answers::passing(t, who);
    for a in &mut answers {
        if let AnswerValue::Evidence(material_type) = &a.value {
            let rule = rules
                .iter()
                .find(|r| &r.material_type == material_type)
                .unwrap();
            let (bytes, ext) = sample_file(&rule.formats, 2048);
            let name = format!("{}.{ext}", a.item_id);
            a.value =
                AnswerValue::Evidence(svc.upload(token, material_type, &name, &bytes, 1024).await);
        }
    }
    answers
}

pub async fn latest_template(svc: &Svc, token: &str) -> SelfCheckTemplate {
    let mut ts: Vec<SelfCheckTemplate> = svc.feed(token, "/api/v1/catalog/templates").await;
    ts.sort_by_key(|t| t.version);
    ts.pop().unwrap()
}

/// A complete application body whose self-check passes for `who` (which this does not
/// send: the caller decides what the service holds).
pub async fn application_body_for(svc: &Svc, token: &str, who: &CompanyProfile) -> Value {
    let rules: Vec<MaterialRule> = svc.feed(token, "/api/v1/catalog/material-rules").await;
    let t = latest_template(svc, token).await;
    let answers = passing_answers(svc, token, &t, &rules, who).await;
    let mut materials = Vec::new();
    for r in rules.iter().filter(|r| r.required) {
        let (bytes, ext) = sample_file(&r.formats, 5000);
        let id = svc
            .upload(
                token,
                &r.material_type,
                &format!("{}.{ext}", r.name),
                &bytes,
                2000,
            )
            .await;
        materials.push(json!({"material_type": r.material_type, "upload_id": id}));
    }
    json!({
        "contact_name": "王敏",
        "contact_phone": "021-5888 1234",
        "returning_staff": 126,
        "selfcheck": {"template_id": t.id, "template_version": t.version, "answers": answers},
        "materials": materials,
        "note": "第一批返岗人员均已完成核酸检测。"
    })
}

/// A complete, passing application body for enterprise `i`, after sending its profile.
pub async fn application_body(svc: &Svc, token: &str, i: usize) -> Value {
    let p = company_profile(i);
    let sent = svc.put_profile(token, &p).await;
    assert_eq!(sent.status(), StatusCode::OK, "{:?}", sent.text().await);
    application_body_for(svc, token, &p).await
}

pub async fn submit(svc: &Svc, token: &str, key: &str, body: &Value) -> Response {
    svc.req(Method::POST, "/api/v1/applications", token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

pub async fn error_code(resp: Response) -> (StatusCode, String) {
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    (
        status,
        body["code"].as_str().unwrap_or_default().to_string(),
    )
}

impl Svc {
    /// A keyed POST of JSON (appeals, messages, ratings, listings).
    pub async fn post_keyed(&self, path: &str, token: &str, key: &str, body: &Value) -> Response {
        self.req(Method::POST, path, token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Every entry of an enterprise's inbox.
    pub async fn inbox(&self, token: &str) -> Vec<yiqifu_protocol::InboxEntry> {
        self.feed(token, "/api/v1/inbox").await
    }

    /// One page of a feed: the answer's status, ETag and body.
    pub async fn page(
        &self,
        path: &str,
        token: &str,
        cursor: Option<&str>,
        limit: u32,
        etag: Option<&str>,
    ) -> (StatusCode, String, Value) {
        let mut query = vec![("limit", limit.to_string())];
        if let Some(c) = cursor {
            query.push(("cursor", c.to_string()));
        }
        let mut req = self.req(Method::GET, path, token).query(&query);
        if let Some(t) = etag {
            req = req.header("If-None-Match", t);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let tag = r
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = if status == StatusCode::NOT_MODIFIED {
            Value::Null
        } else {
            r.json().await.unwrap()
        };
        (status, tag, body)
    }
}

/// A 422 INVALID_FIELD answer: the fields its message names, in order ("field: zh / en"
/// joined with "；").
pub async fn invalid_fields(resp: Response) -> Vec<String> {
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert_eq!(
        (status, body["code"].as_str().unwrap_or_default()),
        (StatusCode::UNPROCESSABLE_ENTITY, "INVALID_FIELD"),
        "{body}"
    );
    body["message"]
        .as_str()
        .unwrap()
        .split('；')
        .map(|p| p.split(':').next().unwrap().trim().to_string())
        .collect()
}

/// The working-day calendar the service publishes.
pub async fn published_calendar(svc: &Svc, token: &str) -> yiqifu_protocol::WorkCalendar {
    let years: Vec<yiqifu_protocol::CalendarYear> =
        svc.feed(token, "/api/v1/catalog/calendar").await;
    yiqifu_protocol::WorkCalendar::new(years)
}
