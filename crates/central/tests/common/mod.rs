//! A client for the service's tests: sign-in, a small tus uploader, and answers that pass.

#![allow(dead_code)]

use std::collections::HashMap;

use base64::Engine;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use yiqifu_central::seed::{
    DEMO_ENTERPRISES, DEMO_PASSWORD, DEMO_REVIEWER, DEMO_REVIEWER_PASSWORD,
};
use yiqifu_protocol::{
    evaluate, Answer, AnswerValue, EnterpriseProfile, ItemKind, MaterialRule, SelfCheckTemplate,
};

pub struct Svc {
    pub running: yiqifu_central::Running,
    pub base: String,
    pub http: Client,
}

impl Svc {
    pub async fn start() -> Self {
        let running = yiqifu_central::start_demo(None).await.unwrap();
        let base = running.url();
        Self {
            running,
            base,
            http: Client::new(),
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

/// Bytes of a file that sniffs as one of `formats`.
pub fn sample_file(formats: &[String], size: usize) -> (Vec<u8>, &'static str) {
    let (head, ext): (&[u8], &str) = if formats.iter().any(|f| f == "pdf") {
        (b"%PDF-1.7\n", "pdf")
    } else if formats.iter().any(|f| f == "png") {
        (b"\x89PNG\r\n\x1a\n", "png")
    } else if formats.iter().any(|f| f == "jpg") {
        (b"\xff\xd8\xff\xe0", "jpg")
    } else {
        (b"PK\x03\x04", "zip")
    };
    let mut v = head.to_vec();
    let mut x: u32 = 12345;
    while v.len() < size {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        v.push((x >> 16) as u8);
    }
    (v, ext)
}

pub fn profile(i: usize) -> EnterpriseProfile {
    let e = &DEMO_ENTERPRISES[i];
    EnterpriseProfile {
        credit_code: e.credit_code(),
        name: e.name.into(),
        district: e.district.into(),
        industry: e.industry.into(),
    }
}

/// Answers that pass every visible item; evidence items get uploads of their material.
pub async fn passing_answers(
    svc: &Svc,
    token: &str,
    t: &SelfCheckTemplate,
    rules: &[MaterialRule],
    who: &EnterpriseProfile,
) -> Vec<Answer> {
    let mut answers: Vec<Answer> = Vec::new();
    for item in t.items() {
        let by_id: HashMap<&str, &AnswerValue> = answers
            .iter()
            .map(|a| (a.item_id.as_str(), &a.value))
            .collect();
        if !yiqifu_protocol::selfcheck::visible(item, who, &by_id) {
            continue;
        }
        let pass = item.pass.clone().unwrap_or(yiqifu_protocol::PassRule {
            equals: None,
            min: None,
            max: None,
            any_of: None,
            not_after: None,
        });
        let value = match item.kind {
            ItemKind::YesNo => AnswerValue::YesNo(pass.equals.unwrap_or(true)),
            ItemKind::Number => AnswerValue::Number(pass.min.or(pass.max).unwrap_or(1.0)),
            ItemKind::Date => {
                AnswerValue::Date(pass.not_after.unwrap_or_else(|| "2022-05-20".into()))
            }
            ItemKind::Choice => AnswerValue::Choice(
                pass.any_of
                    .and_then(|v| v.first().cloned())
                    .or_else(|| {
                        item.choices
                            .as_ref()
                            .and_then(|c| c.first())
                            .map(|c| c.id.clone())
                    })
                    .unwrap(),
            ),
            ItemKind::Text => AnswerValue::Text("已按要求落实，相关记录留存备查。".into()),
            ItemKind::Evidence => {
                let mt = item.material_type.clone().unwrap();
                let rule = rules.iter().find(|r| r.material_type == mt).unwrap();
                let (bytes, ext) = sample_file(&rule.formats, 2048);
                AnswerValue::Evidence(
                    svc.upload(token, &mt, &format!("{}.{ext}", item.id), &bytes, 1024)
                        .await,
                )
            }
        };
        answers.push(Answer {
            item_id: item.id.clone(),
            value,
        });
    }
    assert!(
        evaluate(t, who, &answers).passed,
        "the generated answers must pass"
    );
    answers
}

pub async fn error_code(resp: Response) -> (StatusCode, String) {
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    (
        status,
        body["code"].as_str().unwrap_or_default().to_string(),
    )
}
