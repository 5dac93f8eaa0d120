//! The OpenAPI document against the service: it describes exactly the routes served, the
//! lengths and bounds the service enforces, and the answers a generated client gets. The
//! generated mix of bad requests is in bad_requests.rs.

mod common;

use std::collections::BTreeSet;

use common::Svc;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use yiqifu_central::ROUTES;

/// The document the service serves.
async fn openapi(svc: &Svc) -> Value {
    svc.http
        .get(format!("{}/api/v1/openapi.json", svc.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// docs/openapi.json is the document the service serves, committed so that other clients and
/// reviewers read it without running anything; the UI's test run validates that file against
/// the OpenAPI 3.1 meta-schema (ui/src/contract/openapi.test.ts). `UPDATE_OPENAPI=1 cargo test
/// -p yiqifu-central --test bad_input published` rewrites it.
#[tokio::test]
async fn the_published_openapi_document_is_the_one_served() {
    let svc = Svc::start().await;
    let served = serde_json::to_string_pretty(&openapi(&svc).await).unwrap() + "\n";
    let committed =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&committed, &served).unwrap();
        return;
    }
    let old = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        old == served,
        "docs/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p yiqifu-central --test bad_input published` and commit it"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_routes_served() {
    let svc = Svc::start().await;
    let doc = openapi(&svc).await;
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete", "head", "options"]
                .contains(&method.as_str())
            {
                documented.insert((method.clone(), path.clone()));
            }
        }
    }
    let declared: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(documented, declared);
    // Path parameters are exactly the template's placeholders; the rest are in the query.
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let placeholders: BTreeSet<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        for (method, op) in ops.as_object().unwrap() {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let in_path: BTreeSet<&str> = params
                .iter()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            assert_eq!(in_path, placeholders, "{method} {path}: path parameters");
            for p in &params {
                if p["name"] == "limit" {
                    assert_eq!(p["in"], "query", "{method} {path}");
                    assert_eq!(p["schema"]["minimum"], 1, "{method} {path}: {p}");
                    assert_eq!(p["schema"]["maximum"], 500, "{method} {path}: {p}");
                }
            }
        }
    }
    // What the extractors answer before any handler runs is documented on every route.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let has = |status: &str| op["responses"].get(status).is_some();
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            if secured {
                assert!(has("401") && has("403"), "{method} {path}: 401 and 403");
            }
            if op.get("requestBody").is_some() {
                assert!(has("400") && has("415"), "{method} {path}: 400 and 415");
            }
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            if params.iter().any(|p| p["name"] == "Idempotency-Key") {
                assert!(
                    has("400") && has("409") && has("422"),
                    "{method} {path}: key answers"
                );
            }
            let tus = path.starts_with("/api/v1/uploads")
                && ["post", "head", "patch", "delete"].contains(&method.as_str());
            assert_eq!(
                params.iter().any(|p| p["name"] == "Tus-Resumable"
                    && p["in"] == "header"
                    && p["required"] == true),
                tus,
                "{method} {path}: the Tus-Resumable header"
            );
            for (status, answer) in op["responses"].as_object().unwrap() {
                if let Some(r) = answer.pointer("/content/application~1json/schema/$ref") {
                    let name = r
                        .as_str()
                        .unwrap()
                        .trim_start_matches("#/components/schemas/");
                    assert!(
                        schemas.contains_key(name),
                        "{method} {path} {status}: {name}"
                    );
                }
            }
        }
    }
    // And every declared route is really served (the fallback answers "no such endpoint").
    for (method, path) in ROUTES {
        let url = format!("{}{}", svc.base, path.replace("{id}", "probe"));
        let resp = svc
            .http
            .request(
                Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                url,
            )
            .send()
            .await
            .unwrap();
        if resp.status() == StatusCode::NOT_FOUND && *method != "head" {
            let v: Value = resp.json().await.unwrap_or(Value::Null);
            assert!(
                !v["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("no such endpoint"),
                "{method} {path} is not served"
            );
        }
    }
}

/// A value of `schema` with its required fields only, each the plainest of its type: what a
/// client generated from the document would send when it fills in nothing optional.
fn minimal(doc: &Value, schema: &Value) -> Value {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return minimal(doc, &doc["components"]["schemas"][name]);
    }
    for alt in ["oneOf", "anyOf", "allOf"] {
        if let Some(first) = schema[alt].as_array().and_then(|a| a.first()) {
            return minimal(doc, first);
        }
    }
    if let Some(v) = schema["enum"].as_array().and_then(|a| a.first()) {
        return v.clone();
    }
    let kind = match &schema["type"] {
        Value::String(t) => t.clone(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null")
            .to_string(),
        _ if schema.get("properties").is_some() => "object".into(),
        _ => "null".into(),
    };
    match kind.as_str() {
        "object" => {
            let mut out = serde_json::Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap();
                out.insert(name.into(), minimal(doc, &schema["properties"][name]));
            }
            Value::Object(out)
        }
        "array" => Value::Array(vec![]),
        "string" => Value::String("x".into()),
        "integer" | "number" => schema["minimum"].as_f64().map_or(json_one(), |m| {
            serde_json::Number::from_f64(m.max(1.0)).map_or(json_one(), Value::Number)
        }),
        "boolean" => Value::Bool(false),
        _ => Value::Null,
    }
}

fn json_one() -> Value {
    Value::from(1)
}

/// Every route with a request body, sent a body of its schema's required fields only (by a
/// caller of the right role, with a retry key), is accepted or refused with a status its
/// document names: a generated client never meets an answer it was not told of.
#[tokio::test]
async fn a_request_of_required_fields_only_gets_a_documented_answer() {
    let svc = Svc::start().await;
    let doc = openapi(&svc).await;
    let enterprise = svc.login(3).await;
    let reviewer = svc.reviewer().await;
    let mut tried = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else {
                continue;
            };
            let body = minimal(&doc, schema);
            let token = if path.starts_with("/api/v1/review/") {
                &reviewer
            } else {
                &enterprise
            };
            let url = format!("{}{}", svc.base, path.replace("{id}", "probe"));
            let resp = svc
                .http
                .request(
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    url,
                )
                .bearer_auth(token)
                .header("Idempotency-Key", format!("minimal-{method}-{path}"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let text = resp.text().await.unwrap_or_default();
            assert!(
                op["responses"].get(status.as_str()).is_some(),
                "{method} {path} with {body} answered {status}, which it does not document: {text}"
            );
            assert!(
                status.is_success() || status.is_client_error(),
                "{method} {path} with {body} answered {status}: {text}"
            );
            tried += 1;
        }
    }
    assert!(tried >= 10, "only {tried} routes take a body");
}

/// The value of each request field the document limits, checked the way the service checks
/// it (the protocol's `problems`, which every creating route runs).
fn problems_of(schema: &str, body: Value) -> Vec<yiqifu_protocol::FieldProblem> {
    let today = yiqifu_protocol::calendar::china_today(time::OffsetDateTime::now_utc());
    match schema {
        "NewAppeal" => serde_json::from_value::<yiqifu_protocol::NewAppeal>(body)
            .unwrap()
            .problems(),
        "NewMessage" => serde_json::from_value::<yiqifu_protocol::NewMessage>(body)
            .unwrap()
            .problems(),
        "Rating" => serde_json::from_value::<yiqifu_protocol::Rating>(body)
            .unwrap()
            .problems(),
        "NewListing" => serde_json::from_value::<yiqifu_protocol::NewListing>(body)
            .unwrap()
            .problems(today),
        "NewApplication" => serde_json::from_value::<yiqifu_protocol::NewApplication>(body)
            .unwrap()
            .problems(),
        "Resubmission" => serde_json::from_value::<yiqifu_protocol::Resubmission>(body)
            .unwrap()
            .problems(),
        "CompanyProfile" => serde_json::from_value::<yiqifu_protocol::CompanyProfile>(body)
            .unwrap()
            .problems(),
        other => panic!("no check for {other}"),
    }
}

/// A whole number's documented `minimum` and `maximum` are the ones its check holds: each
/// bound passes, one past it is refused naming the field.
fn whole_number_bounds(doc: &Value, schema: &'static str, field: &str) {
    let prop = &doc["components"]["schemas"][schema]["properties"][field];
    let (low, high) = (
        prop["minimum"].as_u64().unwrap(),
        prop["maximum"].as_u64().unwrap(),
    );
    for (n, refused) in [
        (low - 1, true),
        (low, false),
        (high, false),
        (high + 1, true),
    ] {
        let mut body = valid(schema);
        body[field] = n.into();
        let problems = problems_of(schema, body);
        assert_eq!(
            problems.iter().any(|p| p.field == field),
            refused,
            "{schema}.{field} {n}"
        );
    }
}

/// The value `field` has in a valid body of `schema`.
fn prop_default(schema: &'static str, field: &str) -> Value {
    let (request, path) = carried_in(schema);
    let body = valid(request);
    match path {
        Some(_) => Value::String("李强".into()),
        None => body[field].clone(),
    }
}

/// A body of `schema` with no problem.
fn valid(schema: &str) -> Value {
    let in_two_weeks = (yiqifu_protocol::calendar::china_today(time::OffsetDateTime::now_utc())
        + time::Duration::days(14))
    .to_string();
    match schema {
        "NewAppeal" => serde_json::json!({
            "category": "supply_chain", "title": "通行证", "description": "原料运不进来。",
            "attachments": []
        }),
        "NewMessage" => serde_json::json!({"body": "补充一句"}),
        "Rating" => serde_json::json!({"score": 5, "comment": null}),
        "NewListing" => serde_json::json!({
            "kind": "supply", "category": "supplies", "item": "口罩", "quantity": 10.0,
            "unit": "只", "district": "闵行区", "valid_until": in_two_weeks,
            "contact_name": "李强", "contact_phone": "13800000000", "note": null
        }),
        "NewApplication" => serde_json::json!({
            "contact_name": "王磊", "contact_phone": "021-6234 5678", "returning_staff": 40,
            "selfcheck": {"template_id": "tpl", "template_version": 1, "answers": []},
            "materials": [], "note": null
        }),
        "Resubmission" => serde_json::json!({"materials": [], "note": null}),
        "CompanyProfile" => serde_json::to_value(common::company_profile(0)).unwrap(),
        other => panic!("no body for {other}"),
    }
}

/// Where a schema's fields sit in a request: a nested schema is checked inside the request
/// that carries it, and its problems name the field with the path to it.
fn carried_in(schema: &'static str) -> (&'static str, Option<&'static str>) {
    match schema {
        "AppealContact" => ("NewAppeal", Some("contact")),
        "Contact" => ("CompanyProfile", Some("contacts.0")),
        other => (other, None),
    }
}

/// A valid request carrying `schema`, with `field` set to `value`; and the name its problems
/// give the field.
fn with_field(schema: &'static str, field: &str, value: Value) -> (&'static str, Value, String) {
    let (request, path) = carried_in(schema);
    let mut body = valid(request);
    match path {
        Some("contacts.0") => {
            body["contacts"][0][field] = value;
            (request, body, format!("contacts.0.{field}"))
        }
        Some(key) => {
            body[key] = serde_json::json!({"name": "李强", "phone": "13800000000"});
            body[key][field] = value;
            (request, body, format!("{key}.{field}"))
        }
        None => {
            body[field] = value;
            (request, body, field.to_string())
        }
    }
}

/// Every length the document states is the one the service holds to: the most characters
/// pass, one more is refused naming the field, and a required field may not be empty.
#[tokio::test]
async fn the_documented_lengths_are_the_ones_the_service_enforces() {
    let svc = Svc::start().await;
    let doc = openapi(&svc).await;
    for (schema, field, required, max) in yiqifu_central::openapi::TEXT_LIMITS {
        let prop = &doc["components"]["schemas"][schema]["properties"][field];
        assert_eq!(prop["maxLength"], *max, "{schema}.{field}: {prop}");
        assert_eq!(
            prop.get("minLength").is_some(),
            *required,
            "{schema}.{field}"
        );
        let (request, body, _) = with_field(schema, field, prop_default(schema, field));
        assert!(problems_of(request, body).is_empty(), "{schema}");
        let mut cases = vec![(*max as usize, false), (*max as usize + 1, true)];
        if *required {
            cases.push((0, true));
        }
        for (n, refused) in cases {
            let (request, body, named) = with_field(schema, field, Value::String("字".repeat(n)));
            let problems = problems_of(request, body);
            assert_eq!(
                problems.iter().any(|p| p.field == named),
                refused,
                "{schema}.{field} of {n} characters: {problems:?}"
            );
        }
    }
    // The numbers and choices.
    let props = |schema: &str, field: &str| {
        doc["components"]["schemas"][schema]["properties"][field].clone()
    };
    whole_number_bounds(&doc, "Rating", "score");
    let quantity = props("NewListing", "quantity");
    let above = quantity["exclusiveMinimum"].as_f64().unwrap();
    let below = quantity["exclusiveMaximum"].as_f64().unwrap();
    for (q, refused) in [
        (above, true),
        (above + 0.01, false),
        (below - 1.0, false),
        (below, true),
    ] {
        let mut body = valid("NewListing");
        body["quantity"] = q.into();
        let problems = problems_of("NewListing", body);
        assert_eq!(
            problems.iter().any(|p| p.field == "quantity"),
            refused,
            "quantity {q}"
        );
    }
    whole_number_bounds(&doc, "NewApplication", "returning_staff");
    let pattern = props("NewApplication", "contact_phone")["pattern"]
        .as_str()
        .unwrap()
        .to_string();
    let pattern = regex::Regex::new(&pattern).unwrap();
    for phone in [
        "021-62345678",
        "+86 138 0000 0000",
        "12345",
        "  12345  ",
        "1234",
        "  1234 ",
        "12345678901234567890",
        "123456789012345678901",
        "   12345678901234567890 ",
        "",
        "     ",
        "021-6234x",
        "(021)62345678",
        "1 2 3",
        "1   5",
    ] {
        let mut body = valid("NewApplication");
        body["contact_phone"] = phone.into();
        let problems = problems_of("NewApplication", body);
        assert_eq!(
            pattern.is_match(phone),
            !problems.iter().any(|p| p.field == "contact_phone"),
            "phone {phone:?}: the document and the service disagree"
        );
    }
    let districts = props("NewListing", "district")["enum"]
        .as_array()
        .unwrap()
        .clone();
    assert!(districts.len() >= 16, "{districts:?}");
    for d in districts.iter().chain([&Value::from("浦东")]) {
        let mut body = valid("NewListing");
        body["district"] = d.clone();
        let problems = problems_of("NewListing", body);
        let refused = problems.iter().any(|p| p.field == "district");
        assert_eq!(refused, d == "浦东", "district {d}");
    }

    let attachments = &doc["components"]["schemas"]["NewAppeal"]["properties"]["attachments"];
    let most = attachments["maxItems"].as_u64().unwrap() as usize;
    for (n, refused) in [(most, false), (most + 1, true)] {
        let mut body = valid("NewAppeal");
        body["attachments"] = (0..n).map(|i| format!("up_{i}")).collect();
        let problems = problems_of("NewAppeal", body);
        assert_eq!(
            problems.iter().any(|p| p.field == "attachments"),
            refused,
            "{n}"
        );
    }
}

/// Text the document says may not be empty (`minLength: 1`), the service's checks refuse
/// empty, naming the field: for every request whose checks the protocol holds.
#[tokio::test]
async fn text_the_document_says_is_never_empty_is_refused_empty() {
    let svc = Svc::start().await;
    let doc = openapi(&svc).await;
    let mut checked = Vec::new();
    for schema in [
        "NewAppeal",
        "AppealContact",
        "NewListing",
        "NewApplication",
        "NewMessage",
        "CompanyProfile",
        "Contact",
    ] {
        let props = doc["components"]["schemas"][schema]["properties"]
            .as_object()
            .unwrap();
        for (field, p) in props {
            if p["minLength"] != 1 {
                continue;
            }
            let (request, body, named) = with_field(schema, field, Value::String(String::new()));
            let problems = problems_of(request, body);
            assert!(
                problems.iter().any(|p| p.field == named),
                "{schema}.{field} empty: {problems:?}"
            );
            checked.push(format!("{schema}.{field}"));
        }
    }
    for field in [
        "NewListing.contact_phone",
        "NewListing.valid_until",
        "AppealContact.phone",
        "CompanyProfile.address",
        "Contact.phone",
    ] {
        assert!(
            checked.iter().any(|c| c == field),
            "{field} not stated: {checked:?}"
        );
    }
}
