use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

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
    modifiers(&BearerAuth),
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
