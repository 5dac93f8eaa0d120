/// Every command the UI may call. With an app manifest, a command is denied unless a
/// capability grants it, so the webview gets exactly these and nothing more.
const COMMANDS: &[&str] = &[
    "app_status",
    "choose_server",
    "demo_accounts",
    "sign_in",
    "sign_out",
    "sync_now",
    "list_documents",
    "get_document",
    "parked_items",
    "retry_item",
    "discard_item",
    "revise_item",
];

fn main() {
    // The app's config lives at the top of the repository, beside Cargo.toml.
    let attrs = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        println!("cargo:warning=tauri build failed: {e:#}");
        std::process::exit(1);
    }
}
