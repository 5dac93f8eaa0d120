use std::collections::btree_map::Entry;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder, Schema};
use utoipa::Number;
use utoipa::{Modify, OpenApi};
use yiqifu_protocol::limits::MAX_QUANTITY;
use yiqifu_protocol::{DISTRICTS, LIMITS};

#[derive(OpenApi)]
#[openapi(
    info(title = "Yiqifu central service", description = "复工复产服务专窗中央服务 API"),
    paths(
        crate::health, crate::openapi_json,
        crate::auth::login, crate::auth::reviewer_login, crate::auth::refresh, crate::auth::logout,
        crate::catalog::documents, crate::catalog::templates, crate::catalog::material_rules,
        crate::catalog::calendar, crate::catalog::attachment_rules,
        crate::profiles::put, crate::profiles::get,
        crate::uploads::options, crate::uploads::create, crate::uploads::head, crate::uploads::patch,
        crate::uploads::terminate, crate::uploads::info,
        crate::applications::submit, crate::applications::list, crate::applications::get,
        crate::applications::resubmit, crate::applications::review_list, crate::applications::review_action,
        crate::appeals::submit, crate::appeals::list, crate::appeals::get, crate::appeals::message,
        crate::appeals::rate, crate::appeals::review_list, crate::appeals::review_action,
        crate::listings::submit, crate::listings::browse, crate::listings::mine, crate::listings::update,
        crate::listings::withdraw, crate::listings::matches,
        crate::inbox::list, crate::inbox::mark_read,
    ),
    modifiers(&BearerAuth, &CommonAnswers, &TextLengths, &NeverEmpty),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The answers and headers every route of a kind has, added where the route does not say
/// them itself: what the extractors answer before a handler runs.
struct CommonAnswers;

/// tus routes refuse a request without `Tus-Resumable: 1.0.0` (412).
const TUS_ROUTES: [(&str, &str); 4] = [
    ("post", "/api/v1/uploads"),
    ("head", "/api/v1/uploads/{id}"),
    ("patch", "/api/v1/uploads/{id}"),
    ("delete", "/api/v1/uploads/{id}"),
];

/// Documents `status` on `op`; a status the route already documents for its own reason
/// gets this one added to its description.
fn answer(op: &mut Operation, status: &str, description: &str) {
    match op.responses.responses.entry(status.to_string()) {
        Entry::Vacant(e) => {
            e.insert(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ApiError")))
                            .build(),
                    )
                    .build()
                    .into(),
            );
        }
        Entry::Occupied(mut e) => {
            if let RefOr::T(r) = e.get_mut() {
                if !r.description.contains(description) {
                    r.description = format!("{}; or {description}", r.description);
                }
            }
        }
    }
}

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let ops = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("options", &mut item.options),
                ("head", &mut item.head),
                ("patch", &mut item.patch),
            ];
            for (method, op) in ops {
                let Some(op) = op.as_mut() else { continue };
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    answer(
                        op,
                        "401",
                        "UNAUTHORIZED: no bearer token, or one that expired or was revoked",
                    );
                    answer(op, "403", "FORBIDDEN: the token's role (enterprise or reviewer) may not use this route");
                }
                if path.contains('{') {
                    answer(
                        op,
                        "404",
                        "NOT_FOUND: no such record, or not one of this caller's",
                    );
                }
                if op.request_body.is_some() {
                    answer(op, "400", "BAD_REQUEST: the body is not JSON of this shape");
                    answer(op, "413", "PAYLOAD_TOO_LARGE: the body is over 1 MiB");
                    answer(
                        op,
                        "415",
                        "UNSUPPORTED_MEDIA_TYPE: the body is not sent as application/json",
                    );
                }
                let keyed = op
                    .parameters
                    .as_ref()
                    .is_some_and(|ps| ps.iter().any(|p| p.name == "Idempotency-Key"));
                if keyed {
                    answer(
                        op,
                        "400",
                        "IDEMPOTENCY_KEY_MISSING, or a key over 255 characters",
                    );
                    answer(
                        op,
                        "409",
                        "REQUEST_IN_PROGRESS: the first request with this key is still running",
                    );
                    answer(op, "422", "IDEMPOTENCY_KEY_REUSED: the key was used with another body or on another route");
                }
                if TUS_ROUTES.contains(&(method, path.as_str())) {
                    answer(op, "412", "Tus-Resumable is missing or not 1.0.0");
                    op.parameters.get_or_insert_with(Vec::new).push(
                        ParameterBuilder::new()
                            .name("Tus-Resumable")
                            .parameter_in(ParameterIn::Header)
                            .required(Required::True)
                            .description(Some("The tus protocol version: 1.0.0"))
                            .schema(Some(
                                ObjectBuilder::new()
                                    .schema_type(Type::String)
                                    .enum_values(Some(["1.0.0"])),
                            ))
                            .build(),
                    );
                }
            }
        }
    }
}

/// The length limits the service enforces on request fields, as the document states them:
/// (schema, field, required, most characters). The service counts characters of the trimmed
/// text, so a value the document allows can still be refused as empty when it is all spaces.
pub const TEXT_LIMITS: &[(&str, &str, bool, u32)] = &[
    ("NewAppeal", "title", true, LIMITS.appeal_title),
    ("NewAppeal", "description", true, LIMITS.appeal_description),
    ("NewMessage", "body", true, LIMITS.message),
    ("Rating", "comment", false, LIMITS.rating_comment),
    ("NewListing", "item", true, LIMITS.listing_item),
    ("NewListing", "unit", true, LIMITS.listing_unit),
    ("NewListing", "contact_name", true, LIMITS.contact_name),
    ("NewListing", "note", false, LIMITS.listing_note),
    ("AppealContact", "name", true, LIMITS.contact_name),
    (
        "NewApplication",
        "contact_name",
        true,
        LIMITS.application_contact_name,
    ),
    ("NewApplication", "note", false, LIMITS.application_note),
    ("Resubmission", "note", false, LIMITS.application_note),
];

/// An application's contact phone as [`yiqifu_protocol::limits::is_contact_phone`] takes it:
/// after any spaces around it, 5 to 20 of digits, `+`, `-` and spaces, starting and ending
/// with no space.
pub const CONTACT_PHONE_PATTERN: &str = "^ *[0-9+-][0-9+ -]{3,18}[0-9+-] *$";

struct TextLengths;

impl Modify for TextLengths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (schema, field, required, max) in TEXT_LIMITS {
            let Some(RefOr::T(Schema::Object(obj))) = components.schemas.get_mut(*schema) else {
                continue;
            };
            if let Some(RefOr::T(Schema::Object(prop))) = obj.properties.get_mut(*field) {
                prop.max_length = Some(*max as usize);
                if *required {
                    prop.min_length = Some(1);
                }
            }
        }
        // The numbers and choices the service holds to, as they are checked.
        let schemas = &mut components.schemas;
        if let Some(score) = field(schemas, "Rating", "score") {
            score.minimum = Some(Number::UInt(1));
            score.maximum = Some(Number::UInt(5));
        }
        if let Some(quantity) = field(schemas, "NewListing", "quantity") {
            quantity.exclusive_minimum = Some(Number::Float(0.0));
            quantity.exclusive_maximum = Some(Number::Float(MAX_QUANTITY));
        }
        if let Some(staff) = field(schemas, "NewApplication", "returning_staff") {
            staff.minimum = Some(Number::UInt(1));
            staff.maximum = Some(Number::UInt(LIMITS.returning_staff as usize));
        }
        if let Some(phone) = field(schemas, "NewApplication", "contact_phone") {
            phone.pattern = Some(CONTACT_PHONE_PATTERN.into());
        }
        if let Some(district) = field(schemas, "NewListing", "district") {
            district.enum_values = Some(DISTRICTS.iter().map(|d| (*d).into()).collect());
        }
        if let Some(RefOr::T(Schema::Object(obj))) = schemas.get_mut("NewAppeal") {
            if let Some(RefOr::T(Schema::Array(list))) = obj.properties.get_mut("attachments") {
                list.max_items = Some(LIMITS.appeal_attachments as usize);
            }
        }
    }
}

/// The property `name` of the object schema `schema`, when both are written out in place.
fn field<'a>(
    schemas: &'a mut std::collections::BTreeMap<String, RefOr<Schema>>,
    schema: &str,
    name: &str,
) -> Option<&'a mut utoipa::openapi::schema::Object> {
    match schemas.get_mut(schema) {
        Some(RefOr::T(Schema::Object(obj))) => match obj.properties.get_mut(name) {
            Some(RefOr::T(Schema::Object(prop))) => Some(prop),
            _ => None,
        },
        _ => None,
    }
}

/// Required text in a request that may be empty: an assignee left empty means the reviewer
/// who assigns, a self-check answer's text is the template's to judge, and a contact's role
/// is optional.
pub const MAY_BE_EMPTY: &[(&str, &str)] = &[
    ("AppealAction", "to"),
    ("AnswerValue", "value"),
    ("Contact", "role"),
];

/// Every other required text field of a request is refused empty (a name, a phone, an id, a
/// date, a password): the document says so with `minLength: 1` where it says nothing
/// stricter (a length, a pattern, a choice, a format).
struct NeverEmpty;

impl Modify for NeverEmpty {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let mut requests = std::collections::BTreeSet::new();
        let mut todo: Vec<String> = serde_json::to_value(&openapi.paths)
            .map(|paths| request_refs(&paths))
            .unwrap_or_default();
        while let Some(name) = todo.pop() {
            if !requests.insert(name.clone()) {
                continue;
            }
            if let Some(schema) = components.schemas.get(&name) {
                todo.extend(
                    serde_json::to_value(schema)
                        .map(|s| refs(&s))
                        .unwrap_or_default(),
                );
            }
        }
        for name in requests {
            if let Some(RefOr::T(schema)) = components.schemas.get_mut(&name) {
                never_empty(&name, schema);
            }
        }
    }
}

/// The component names request bodies refer to.
fn request_refs(paths: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(paths) = paths.as_object() {
        for ops in paths.values().filter_map(|o| o.as_object()) {
            for op in ops.values() {
                if let Some(body) = op.get("requestBody") {
                    out.extend(refs(body));
                }
            }
        }
    }
    out
}

fn refs(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .flat_map(|(k, v)| match (k.as_str(), v.as_str()) {
                ("$ref", Some(r)) => r.rsplit('/').next().map(String::from).into_iter().collect(),
                _ => refs(v),
            })
            .collect(),
        serde_json::Value::Array(xs) => xs.iter().flat_map(refs).collect(),
        _ => Vec::new(),
    }
}

fn never_empty(name: &str, schema: &mut Schema) {
    match schema {
        Schema::OneOf(one) => {
            for item in &mut one.items {
                if let RefOr::T(s) = item {
                    never_empty(name, s);
                }
            }
        }
        Schema::Object(obj) => {
            let required = obj.required.clone();
            for (field, prop) in obj.properties.iter_mut() {
                let RefOr::T(Schema::Object(p)) = prop else {
                    continue;
                };
                let text = match &p.schema_type {
                    SchemaType::Type(Type::String) => true,
                    SchemaType::Array(types) => types.contains(&Type::String),
                    _ => false,
                };
                if text
                    && required.contains(field)
                    && !MAY_BE_EMPTY.contains(&(name, field.as_str()))
                    && p.min_length.is_none()
                    && p.pattern.is_none()
                    && p.enum_values.is_none()
                    && p.format.is_none()
                {
                    p.min_length = Some(1);
                }
            }
        }
        _ => {}
    }
}
