//! HTTP client for the central service. Only https, except to this computer.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use url::Url;
use yiqifu_protocol::{
    ApiError, ErrorCode, FeedPage, Health, ListPage, LoginRequest, LoginResponse, RefreshRequest,
    TokenPair, API_VERSION, IDEMPOTENCY_KEY_HEADER, SERVICE_NAME,
};

use crate::error::{Error, Result};

/// Page size of the lists the client reads whole: the service's largest.
const LIST_PAGE: u32 = 500;
/// 500 pages of 500: far past any enterprise's own records.
const MAX_LIST_PAGES: usize = 500;

#[derive(Debug, Clone)]
pub struct CentralClient {
    base: Url,
    http: reqwest::Client,
    /// Set once the service has said it checks each chunk's SHA-256; shared by the clones
    /// of one client, so a service is asked once. A refusal is not kept: the service may
    /// be upgraded, and a retry asks again.
    verifies_chunks: Arc<tokio::sync::OnceCell<()>>,
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Parses what an officer typed into a service base URL.
pub fn parse_base_url(input: &str) -> Result<Url> {
    let trimmed = input.trim();
    let mut url = Url::parse(trimmed).map_err(|_| Error::InvalidServerUrl(trimmed.into()))?;
    if url.host().is_none() || url.cannot_be_a_base() {
        return Err(Error::InvalidServerUrl(trimmed.into()));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => return Err(Error::InsecureServerUrl(trimmed.into())),
        _ => return Err(Error::InvalidServerUrl(trimmed.into())),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::InvalidServerUrl(trimmed.into()));
    }
    url.set_query(None);
    url.set_fragment(None);
    if !url.path().ends_with('/') {
        let p = format!("{}/", url.path());
        url.set_path(&p);
    }
    Ok(url)
}

/// How the app reaches the service: through the system's proxy (the default), directly,
/// or through a proxy the officer names.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Proxy {
    #[default]
    System,
    Direct,
    Manual {
        url: String,
    },
}

impl Proxy {
    /// Refuses an address that cannot be used, with why.
    pub fn check(&self) -> Result<()> {
        match self {
            Self::Manual { url } => proxy_url(url).map(|_| ()),
            Self::System | Self::Direct => Ok(()),
        }
    }
}

/// A proxy the officer typed: `http://` or `https://`, a host, and a port if it has one.
fn proxy_url(url: &str) -> Result<reqwest::Proxy> {
    // The officer is told what a proxy address must be; what was wrong with this one goes
    // to the log (a parser's words are English only).
    let bad = |why: &str| {
        tracing::warn!(proxy = %url, why, "proxy address refused");
        Error::InvalidProxy(url.trim().to_string())
    };
    let parsed = Url::parse(url.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("only http:// and https:// proxies"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    reqwest::Proxy::all(parsed.as_str()).map_err(|e| bad(&e.to_string()))
}

/// Which redirects the client follows: within the service's own origin only (scheme, host
/// and port), so a bearer token never goes in clear or to another host, and none of a
/// sign-in or refresh, whose body holds a password or a refresh token. A redirect not
/// followed comes back as the 3xx answer, which the caller reports.
fn redirects(base: &Url) -> reqwest::redirect::Policy {
    let origin = base.origin();
    reqwest::redirect::Policy::custom(move |attempt| {
        let from_auth = attempt
            .previous()
            .first()
            .is_some_and(|u| u.path().contains("/auth/"));
        if from_auth || attempt.url().origin() != origin || attempt.previous().len() > 5 {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

impl CentralClient {
    pub fn new(base: &str) -> Result<Self> {
        Self::with_keep_alive(base, true)
    }

    /// Without keep-alive every request opens its own connection: slower, but some
    /// proxies mishandle reused connections (and the fault tests need one fault roll per
    /// request).
    pub fn with_keep_alive(base: &str, keep_alive: bool) -> Result<Self> {
        Self::with_options(base, keep_alive, &Proxy::System)
    }

    /// As [`Self::with_keep_alive`], through `proxy`.
    pub fn with_options(base: &str, keep_alive: bool, proxy: &Proxy) -> Result<Self> {
        let base = parse_base_url(base)?;
        let mut builder = reqwest::Client::builder();
        if !keep_alive {
            builder = builder.pool_max_idle_per_host(0);
        }
        builder = match proxy {
            // reqwest reads the system's proxy (and HTTP(S)_PROXY) by default.
            Proxy::System => builder,
            Proxy::Direct => builder.no_proxy(),
            Proxy::Manual { url } => builder.proxy(proxy_url(url)?),
        };
        let http = builder
            .redirect(redirects(&base))
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("yiqifu-desktop/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Unreachable {
                url: base.to_string(),
                detail: e.to_string(),
            })?;
        Ok(Self {
            base,
            http,
            verifies_chunks: Arc::default(),
        })
    }

    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    fn url(&self, path: &str) -> Result<Url> {
        self.base
            .join(path)
            .map_err(|_| Error::InvalidServerUrl(self.base.to_string()))
    }

    async fn send(&self, req: RequestBuilder) -> Result<Response> {
        req.send().await.map_err(|e| Error::Unreachable {
            url: self.base.to_string(),
            detail: without_url(&e),
        })
    }

    /// Asks the service who it is; refuses anything that is not a compatible Yiqifu service.
    pub async fn health(&self) -> Result<Health> {
        let not_yiqifu = || Error::NotYiqifu {
            url: self.base.to_string(),
        };
        let resp = self.send(self.http.get(self.url("api/v1/health")?)).await?;
        if !resp.status().is_success() {
            return Err(not_yiqifu());
        }
        let bytes = resp.bytes().await.map_err(|e| Error::Unreachable {
            url: self.base.to_string(),
            detail: without_url(&e),
        })?;
        let health: Health = serde_json::from_slice(&bytes).map_err(|_| not_yiqifu())?;
        if health.service != SERVICE_NAME {
            return Err(not_yiqifu());
        }
        if health.api_version != API_VERSION {
            return Err(Error::IncompatibleApi(health.api_version));
        }
        Ok(health)
    }

    pub async fn login(&self, credit_code: &str, password: &str) -> Result<LoginResponse> {
        let req = self
            .http
            .post(self.url("api/v1/auth/login")?)
            .json(&LoginRequest {
                credit_code: credit_code.into(),
                password: password.into(),
            });
        decode(self.send(req).await?).await
    }

    /// One page of a change feed. With `etag`, a page that did not change answers `None`
    /// (304, nothing transferred); otherwise the page and its ETag.
    pub async fn feed(
        &self,
        path: &str,
        access_token: &str,
        cursor: Option<&str>,
        limit: u32,
        etag: Option<&str>,
    ) -> Result<Option<(FeedPage<serde_json::Value>, Option<String>)>> {
        let mut url = self.url(path)?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(c) = cursor {
                q.append_pair("cursor", c);
            }
            q.append_pair("limit", &limit.to_string());
        }
        let mut req = self.http.get(url).bearer_auth(access_token);
        if let Some(e) = etag {
            req = req.header("If-None-Match", e);
        }
        let resp = self.send(req).await?;
        if resp.status() == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        let tag = resp
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Ok(Some((decode(resp).await?, tag)))
    }
}

impl CentralClient {
    /// Trades a refresh token for a new pair.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair> {
        let req = self
            .http
            .post(self.url("api/v1/auth/refresh")?)
            .json(&RefreshRequest {
                refresh_token: refresh_token.into(),
            });
        decode(self.send(req).await?).await
    }

    /// Ends the session on the service: its refresh token stops working too.
    pub async fn logout(&self, access_token: &str) -> Result<()> {
        self.call(Method::POST, "api/v1/auth/logout", access_token, None, None)
            .await
            .map(|_| ())
    }

    /// A JSON request on the caller's behalf; creating requests carry their retry key.
    /// Every item of a paged list (`ListPage`), reading page after page. A service that
    /// keeps answering with more after [`MAX_LIST_PAGES`] pages is not believed: the answer
    /// is malformed, instead of a read that never ends.
    pub async fn list_pages(&self, path: &str, token: &str) -> Result<Vec<serde_json::Value>> {
        let mut items = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_LIST_PAGES {
            // Built before the request: the serializer is not `Send`.
            let query = {
                let mut q = url::form_urlencoded::Serializer::new(String::new());
                q.append_pair("limit", &LIST_PAGE.to_string());
                if let Some(a) = &after {
                    q.append_pair("after", a);
                }
                q.finish()
            };
            let body = self
                .call(Method::GET, &format!("{path}?{query}"), token, None, None)
                .await?;
            let page: ListPage<serde_json::Value> = serde_json::from_value(body)
                .map_err(|e| Error::MalformedResponse(format!("{path}: {e}")))?;
            items.extend(page.items);
            match page.next {
                Some(next) if after.as_ref() != Some(&next) => after = Some(next),
                Some(_) => {
                    return Err(Error::MalformedResponse(format!(
                        "{path}: the next page is the same page again"
                    )))
                }
                None => return Ok(items),
            }
        }
        Err(Error::MalformedResponse(format!(
            "{path}: more than {MAX_LIST_PAGES} pages"
        )))
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        idempotency_key: Option<&str>,
        body: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value> {
        let mut req = self
            .http
            .request(method, self.url(path)?)
            .bearer_auth(token);
        if let Some(k) = idempotency_key {
            req = req.header(IDEMPOTENCY_KEY_HEADER, k);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = self.send(req).await?;
        if resp.status() == StatusCode::NO_CONTENT {
            return Ok(serde_json::Value::Null);
        }
        decode(resp).await
    }

    /// Whether the service checks the SHA-256 of every chunk (tus's checksum extension with
    /// sha256), asked once per service with tus's OPTIONS. Without it nothing would notice
    /// bytes damaged on the way, and a reviewer would judge a broken file: such a service
    /// is refused with [`Error::UploadsUnverified`] before any byte goes out.
    pub async fn require_chunk_checksums(&self) -> Result<()> {
        self.verifies_chunks
            .get_or_try_init(|| async {
                let req = self
                    .http
                    .request(Method::OPTIONS, self.url("api/v1/uploads")?)
                    .header("Tus-Resumable", "1.0.0");
                let resp = self.send(req).await?;
                if !resp.status().is_success() {
                    return Err(decode::<serde_json::Value>(resp)
                        .await
                        .err()
                        .unwrap_or_else(|| {
                            Error::MalformedResponse("tus OPTIONS without success".into())
                        }));
                }
                let listed = |header: &str, want: &str| {
                    resp.headers()
                        .get_all(header)
                        .iter()
                        .filter_map(|v| v.to_str().ok())
                        .flat_map(|v| v.split(','))
                        .any(|x| x.trim().eq_ignore_ascii_case(want))
                };
                if listed("tus-extension", "checksum") && listed("tus-checksum-algorithm", "sha256")
                {
                    Ok(())
                } else {
                    Err(Error::UploadsUnverified {
                        url: self.base.to_string(),
                    })
                }
            })
            .await
            .map(|_| ())
    }

    /// tus creation: returns the upload's URL.
    pub async fn tus_create(
        &self,
        token: &str,
        size: u64,
        material_type: &str,
        filename: &str,
    ) -> Result<String> {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let req = self
            .http
            .post(self.url("api/v1/uploads")?)
            .bearer_auth(token)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", size.to_string())
            .header(
                "Upload-Metadata",
                format!(
                    "material_type {},filename {}",
                    b64(material_type),
                    b64(filename)
                ),
            );
        let resp = self.send(req).await?;
        if resp.status() != StatusCode::CREATED {
            return Err(decode::<serde_json::Value>(resp)
                .await
                .err()
                .unwrap_or_else(|| Error::MalformedResponse("tus creation without 201".into())));
        }
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| Error::MalformedResponse("tus creation without Location".into()))?;
        let url = self
            .base
            .join(location)
            .map_err(|_| Error::MalformedResponse(format!("bad Location {location}")))?;
        if url.origin() != self.base.origin() {
            return Err(Error::MalformedResponse(format!(
                "upload URL {location} is on another origin"
            )));
        }
        // Kept relative to the service: the built-in demo service takes a new port at each
        // start, and a service may move, yet an upload begun there must still finish.
        Ok(self
            .base
            .make_relative(&url)
            .unwrap_or_else(|| url.path().to_string()))
    }

    /// Where an upload saved by [`Self::tus_create`] is now, on the current service. An
    /// absolute URL saved by an older version names a service that may have moved: only
    /// its path is kept, so the token still goes nowhere but the current service.
    pub fn upload_url(&self, location: &str) -> Result<Url> {
        let bad = || Error::MalformedResponse(format!("bad upload URL {location}"));
        match Url::parse(location) {
            Ok(url) if url.origin() == self.base.origin() => Ok(url),
            Ok(url) => self.base.join(url.path()).map_err(|_| bad()),
            Err(_) => self.base.join(location).map_err(|_| bad()),
        }
    }

    /// tus HEAD: how many bytes the service has. `Ok(None)` when the upload is gone (expired).
    pub async fn tus_offset(&self, token: &str, location: &str) -> Result<Option<u64>> {
        let req = self
            .http
            .head(self.upload_url(location)?)
            .bearer_auth(token)
            .header("Tus-Resumable", "1.0.0");
        let resp = self.send(req).await?;
        match resp.status() {
            StatusCode::OK => upload_offset(&resp, "HEAD").map(Some),
            StatusCode::NOT_FOUND | StatusCode::GONE => Ok(None),
            StatusCode::UNAUTHORIZED => Err(Error::SessionExpired),
            s => Err(Error::Server {
                status: s.as_u16(),
                code: ErrorCode::Internal,
                message: format!("HEAD answered {s}"),
            }),
        }
    }

    /// tus PATCH of one chunk with its sha256; returns the new offset.
    pub async fn tus_patch(
        &self,
        token: &str,
        location: &str,
        offset: u64,
        chunk: Vec<u8>,
    ) -> Result<u64> {
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&chunk));
        let req = self
            .http
            .patch(self.upload_url(location)?)
            .bearer_auth(token)
            .header("Tus-Resumable", "1.0.0")
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .header("Upload-Checksum", format!("sha256 {digest}"))
            .body(chunk);
        let resp = self.send(req).await?;
        if resp.status() == StatusCode::NO_CONTENT {
            return upload_offset(&resp, "PATCH");
        }
        Err(decode::<serde_json::Value>(resp)
            .await
            .err()
            .unwrap_or_else(|| Error::MalformedResponse("PATCH without 204".into())))
    }
}

/// reqwest's messages repeat the URL, query included; the caller already knows the server.
/// The tus `Upload-Offset` of an answer to `method`.
fn upload_offset(resp: &Response, method: &str) -> Result<u64> {
    resp.headers()
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Error::MalformedResponse(format!("{method} without Upload-Offset")))
}

fn without_url(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    if let Some(u) = e.url() {
        s = s.replace(u.as_str(), "<url>");
    }
    s
}

async fn decode<T: DeserializeOwned>(resp: Response) -> Result<T> {
    let status = resp.status();
    // A connection that drops mid-answer is the network's doing, not the service's: it is
    // retried like any unreachable moment and never counts towards parking the request.
    let origin = resp.url().origin().ascii_serialization();
    let cut_short = |detail: String| Error::Unreachable {
        url: origin.clone(),
        detail: format!("answer cut short: {detail}"),
    };
    // Without a length the body ends where the connection ended, so an answer that stops
    // mid-JSON may have been cut; with one, hyper has already checked that it came whole.
    let delimited = resp.content_length().is_some();
    let bytes = resp.bytes().await.map_err(|e| cut_short(without_url(&e)))?;
    if status.is_success() {
        return serde_json::from_slice(&bytes).map_err(|e| {
            if e.is_eof() && !delimited {
                cut_short(e.to_string())
            } else {
                Error::MalformedResponse(format!("{status}: {e}"))
            }
        });
    }
    let Ok(api) = serde_json::from_slice::<ApiError>(&bytes) else {
        // A gateway, or a tus server answering an offset conflict, may answer in plain text:
        // the status still says what happened, so the paths that branch on it still run.
        return Err(match status {
            StatusCode::UNAUTHORIZED => Error::SessionExpired,
            _ => Error::Server {
                status: status.as_u16(),
                code: ErrorCode::Internal,
                message: format!(
                    "{status}: {}",
                    String::from_utf8_lossy(&bytes)
                        .chars()
                        .take(200)
                        .collect::<String>()
                ),
            },
        });
    };
    Err(match (status, api.code) {
        (_, ErrorCode::InvalidCredentials) => Error::InvalidCredentials,
        (StatusCode::UNAUTHORIZED, _) => Error::SessionExpired,
        _ => Error::Server {
            status: status.as_u16(),
            code: api.code,
            message: api.message,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &'static str) -> Response {
        Response::from(
            axum::http::Response::builder()
                .status(status)
                .body(body)
                .unwrap(),
        )
    }

    /// Serves `router` on a loopback port; counts nothing itself.
    async fn serve(router: axum::Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{addr}")
    }

    /// A list is read page after page until a page has no `next`; a service that hands back
    /// the same page again, or pages without end, is an unreadable answer, not a hang.
    #[tokio::test]
    async fn a_paged_list_is_read_whole_and_an_endless_one_is_refused() {
        use axum::extract::Query;
        use axum::routing::get;
        use std::collections::HashMap;

        let service = serve(
            axum::Router::new()
                .route(
                    "/api/v1/three",
                    get(|Query(q): Query<HashMap<String, String>>| async move {
                        assert_eq!(q.get("limit").map(String::as_str), Some("500"));
                        let page = match q.get("after").map(String::as_str) {
                            None => r#"{"items":[1,2],"next":"p1.9.a b&c"}"#,
                            Some("p1.9.a b&c") => r#"{"items":[3],"next":"p1.8.d"}"#,
                            Some("p1.8.d") => r#"{"items":[4]}"#,
                            Some(other) => panic!("asked after {other:?}"),
                        };
                        ([("content-type", "application/json")], page)
                    }),
                )
                .route(
                    "/api/v1/stuck",
                    get(|| async {
                        (
                            [("content-type", "application/json")],
                            r#"{"items":[1],"next":"p1.1.x"}"#,
                        )
                    }),
                )
                .route(
                    "/api/v1/endless",
                    get(|Query(q): Query<HashMap<String, String>>| async move {
                        let n: u64 = q
                            .get("after")
                            .and_then(|a| a.parse().ok())
                            .unwrap_or_default();
                        axum::Json(serde_json::json!({"items": [], "next": (n + 1).to_string()}))
                    }),
                ),
        )
        .await;
        let client = CentralClient::new(&service).unwrap();
        let items = client.list_pages("api/v1/three", "token").await.unwrap();
        assert_eq!(items, [1, 2, 3, 4].map(serde_json::Value::from));
        for path in ["api/v1/stuck", "api/v1/endless"] {
            let e = client.list_pages(path, "token").await.unwrap_err();
            assert!(matches!(e, Error::MalformedResponse(_)), "{path}: {e:?}");
        }
    }

    #[tokio::test]
    async fn redirects_stay_on_the_service_and_never_follow_a_sign_in() {
        use axum::response::Redirect;
        use axum::routing::{any, get};
        use std::sync::atomic::{AtomicU32, Ordering};
        use std::sync::Arc;

        // Another origin (another port of the same host, as http beside https would be),
        // counting what reaches it and whether a token came along.
        let elsewhere = Arc::new(AtomicU32::new(0));
        let seen = elsewhere.clone();
        let other = serve(axum::Router::new().fallback(any(
            move |headers: axum::http::HeaderMap| {
                let seen = seen.clone();
                async move {
                    seen.fetch_add(
                        1 + u32::from(headers.contains_key("authorization")),
                        Ordering::SeqCst,
                    );
                    "{}"
                }
            },
        )))
        .await;
        let moved_here = Arc::new(AtomicU32::new(0));
        let here = moved_here.clone();
        let target = other.clone();
        let service = serve(
            axum::Router::new()
                .route(
                    "/api/v1/away",
                    get(move || {
                        let to = format!("{target}/api/v1/away");
                        async move { Redirect::temporary(&to) }
                    }),
                )
                .route(
                    "/api/v1/moved",
                    get(|| async { Redirect::permanent("/api/v1/here") }),
                )
                .route(
                    "/api/v1/auth/refresh",
                    any(|| async { Redirect::permanent("/api/v1/here") }),
                )
                .route(
                    "/api/v1/here",
                    any(move || {
                        let here = here.clone();
                        async move {
                            here.fetch_add(1, Ordering::SeqCst);
                            "{}"
                        }
                    }),
                ),
        )
        .await;
        let client = CentralClient::new(&service).unwrap();

        // Within the service: followed.
        client
            .call(Method::GET, "api/v1/moved", "token", None, None)
            .await
            .unwrap();
        assert_eq!(moved_here.load(Ordering::SeqCst), 1);
        // To another origin: not followed, and reported.
        let err = client
            .call(Method::GET, "api/v1/away", "token", None, None)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Server { status: 307, .. }), "{err:?}");
        assert_eq!(
            elsewhere.load(Ordering::SeqCst),
            0,
            "the request left the service"
        );
        // A refresh is never sent on, not even within the service.
        let err = client.refresh("refresh-token").await.unwrap_err();
        assert!(matches!(err, Error::Server { status: 308, .. }), "{err:?}");
        assert_eq!(
            moved_here.load(Ordering::SeqCst),
            1,
            "the refresh body was sent on"
        );
    }

    #[test]
    fn an_upload_location_follows_the_service_and_its_path_prefix() {
        let client = CentralClient::new("http://127.0.0.1:9/gw/").unwrap();
        let want = "http://127.0.0.1:9/gw/api/v1/uploads/u1";
        assert_eq!(
            client.upload_url("api/v1/uploads/u1").unwrap().as_str(),
            want
        );
        // Saved absolute by an older version, on the port the service had then.
        let old = "http://127.0.0.1:4711/gw/api/v1/uploads/u1";
        assert_eq!(client.upload_url(old).unwrap().as_str(), want);
        // What the service's Location becomes when saved.
        let base = Url::parse("http://127.0.0.1:9/gw/").unwrap();
        let at = base.join("/gw/api/v1/uploads/u1").unwrap();
        assert_eq!(
            base.make_relative(&at).as_deref(),
            Some("api/v1/uploads/u1")
        );
    }

    /// Serves one raw HTTP answer per connection, then closes it.
    async fn answer_raw(raw: &'static str) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = conn.read(&mut buf).await;
                let _ = conn.write_all(raw.as_bytes()).await;
                let _ = conn.shutdown().await;
            }
        });
        format!("http://{addr}")
    }

    #[tokio::test]
    async fn an_answer_cut_short_is_the_networks_fault_and_a_whole_bad_one_the_services() {
        let get = |base: String| async move {
            let resp = reqwest::get(format!("{base}/x")).await.unwrap();
            decode::<serde_json::Value>(resp).await.unwrap_err()
        };
        // Shorter than its length.
        let short = answer_raw("HTTP/1.1 201 Created\r\ncontent-length: 100\r\n\r\n{\"id\":").await;
        let e = get(short).await;
        assert!(e.is_offline(), "{e:?}");
        // No length: ends with the connection, mid-JSON.
        let open = answer_raw("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n{\"id\":").await;
        let e = get(open).await;
        assert!(e.is_offline(), "{e:?}");
        // Whole, and still not what was asked for: the service's answer, which parks in time.
        let whole = answer_raw("HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\n{\"id\":").await;
        let e = get(whole).await;
        assert!(matches!(e, Error::MalformedResponse(_)), "{e:?}");
        let garbage = answer_raw("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n<html>").await;
        let e = get(garbage).await;
        assert!(matches!(e, Error::MalformedResponse(_)), "{e:?}");
    }

    /// A tus service is asked once whether it checks each chunk's SHA-256; one that lists no
    /// checksum extension (the official tus server's default), or no sha256, is refused and
    /// asked again next time, and one that does is not asked again.
    #[tokio::test]
    async fn a_service_that_does_not_verify_chunks_is_refused_and_asked_once_when_it_does() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let asked = Arc::new(AtomicU32::new(0));
        let answers = |extensions: &'static str, algorithms: &'static str| {
            let asked = asked.clone();
            axum::Router::new().route(
                "/api/v1/uploads",
                axum::routing::options(move || {
                    asked.fetch_add(1, Ordering::SeqCst);
                    async move {
                        (
                            axum::http::StatusCode::NO_CONTENT,
                            [
                                ("tus-resumable", "1.0.0"),
                                ("tus-extension", extensions),
                                ("tus-checksum-algorithm", algorithms),
                            ],
                        )
                    }
                }),
            )
        };
        // What @tus/server answers out of the box: no checksum extension.
        let plain = serve(answers(
            "creation,creation-with-upload,termination,expiration",
            "",
        ))
        .await;
        let client = CentralClient::new(&plain).unwrap();
        for _ in 0..2 {
            let e = client.require_chunk_checksums().await.unwrap_err();
            assert!(matches!(e, Error::UploadsUnverified { .. }), "{e:?}");
        }
        assert_eq!(
            asked.swap(0, Ordering::SeqCst),
            2,
            "a refusal is asked again"
        );
        let md5_only = serve(answers("creation, checksum", "md5, sha1")).await;
        let e = CentralClient::new(&md5_only)
            .unwrap()
            .require_chunk_checksums()
            .await
            .unwrap_err();
        assert!(matches!(e, Error::UploadsUnverified { .. }), "{e:?}");
        asked.store(0, Ordering::SeqCst);
        let verifying = serve(answers("creation,Checksum,termination", "md5, SHA256")).await;
        let client = CentralClient::new(&verifying).unwrap();
        let copy = client.clone();
        client.require_chunk_checksums().await.unwrap();
        copy.require_chunk_checksums().await.unwrap();
        assert_eq!(asked.load(Ordering::SeqCst), 1, "asked once per service");
    }

    #[tokio::test]
    async fn a_plain_text_error_is_read_by_its_status() {
        let conflict = decode::<serde_json::Value>(answer(409, "Upload-Offset conflict"))
            .await
            .unwrap_err();
        assert!(
            matches!(conflict, Error::Server { status: 409, ref message, .. } if message.contains("conflict")),
            "{conflict:?}"
        );
        let expired = decode::<serde_json::Value>(answer(401, "Unauthorized"))
            .await
            .unwrap_err();
        assert!(matches!(expired, Error::SessionExpired), "{expired:?}");
        let api = decode::<serde_json::Value>(answer(
            401,
            r#"{"code":"INVALID_CREDENTIALS","message":"x"}"#,
        ))
        .await
        .unwrap_err();
        assert!(matches!(api, Error::InvalidCredentials), "{api:?}");
    }

    #[test]
    fn accepts_https_and_loopback_http_only() {
        assert!(parse_base_url("https://fuwu.example.cn").is_ok());
        assert!(parse_base_url(" http://127.0.0.1:8650 ").is_ok());
        assert!(parse_base_url("http://localhost:8650/").is_ok());
        assert!(parse_base_url("http://[::1]:8650").is_ok());
        assert!(matches!(
            parse_base_url("http://fuwu.example.cn"),
            Err(Error::InsecureServerUrl(_))
        ));
        assert!(matches!(
            parse_base_url("ftp://fuwu.example.cn"),
            Err(Error::InvalidServerUrl(_))
        ));
        assert!(matches!(
            parse_base_url("fuwu.example.cn"),
            Err(Error::InvalidServerUrl(_))
        ));
        assert!(matches!(
            parse_base_url("https://user:pw@fuwu.example.cn"),
            Err(Error::InvalidServerUrl(_))
        ));
    }

    #[test]
    fn keeps_a_path_prefix_and_joins_under_it() {
        let c = CentralClient::new("https://gw.example.cn/yiqifu").unwrap();
        assert_eq!(
            c.url("api/v1/health").unwrap().as_str(),
            "https://gw.example.cn/yiqifu/api/v1/health"
        );
    }
}
