//! Every command the UI may call is a `#[tauri::command]` function in `src/commands/`, one
//! file per feature. This script finds them there, so that adding a command is writing it:
//! it generates the list the shell registers (`handler.rs` in OUT_DIR) and the one the
//! bindings are exported from (`commands.rs`), both included by `commands/mod.rs`, and the
//! main window's capability, which grants exactly those commands plus event listen and
//! unlisten: no file system, shell or HTTP access from the webview.

use std::path::{Path, PathBuf};

/// `(feature module, function)` of every command, in file and source order.
fn find_commands(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/commands")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let module = f
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = std::fs::read_to_string(&f).expect("a command file");
        let mut marked = false;
        for line in text.lines() {
            let l = line.trim();
            if l.starts_with("#[tauri::command") && l != "#[tauri::command]" {
                panic!(
                    "{}: write commands as a plain #[tauri::command] (found {l})",
                    f.display()
                );
            }
            if l == "#[tauri::command]" {
                marked = true;
            } else if marked && l.contains("fn ") && !l.starts_with("pub ") {
                panic!("{}: a command must be `pub` (found {l})", f.display());
            } else if marked && l.starts_with("pub ") && l.contains("fn ") {
                let name = l
                    .split("fn ")
                    .nth(1)
                    .and_then(|r| r.split(['(', '<']).next())
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                out.push((module.clone(), name));
                marked = false;
            }
        }
    }
    out
}

fn main() {
    let commands = find_commands(Path::new("src/commands"));
    println!("cargo:rerun-if-changed=src/commands");
    // `generate_context!` embeds ui/dist, but tauri-build does not ask cargo to watch it: a
    // UI built again with no Rust change would leave a binary serving the old pages.
    println!("cargo:rerun-if-changed=../ui/dist");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));

    let paths: Vec<String> = commands
        .iter()
        .map(|(m, f)| format!("crate::commands::{m}::{f}"))
        .collect();
    std::fs::write(
        out.join("commands.rs"),
        format!("tauri_specta::collect_commands![{}]\n", paths.join(",\n")),
    )
    .expect("write commands.rs");
    // The same list for the running app, without the types: only the bindings' export reads
    // those, and building them at every start cost code in the binary and time in the start.
    std::fs::write(
        out.join("handler.rs"),
        format!("tauri::generate_handler![{}]\n", paths.join(",\n")),
    )
    .expect("write handler.rs");

    let cap_dir = out.join("capabilities");
    std::fs::create_dir_all(&cap_dir).expect("capabilities dir");
    let mut permissions = vec![
        "core:event:allow-listen".to_string(),
        "core:event:allow-unlisten".to_string(),
    ];
    permissions.extend(
        commands
            .iter()
            .map(|(_, f)| format!("allow-{}", f.replace('_', "-"))),
    );
    let capability = serde_json::json!({
        "identifier": "main-window",
        "description": "The main window may call the app's own commands and listen to its events, nothing else: no file system, shell or HTTP access from the webview.",
        "windows": ["main"],
        "permissions": permissions,
    });
    std::fs::write(
        cap_dir.join("main-window.json"),
        serde_json::to_string_pretty(&capability).expect("json"),
    )
    .expect("write the capability");

    let names: &'static [&'static str] = Box::leak(
        commands
            .into_iter()
            .map(|(_, f)| &*Box::leak(f.into_boxed_str()))
            .collect::<Vec<&'static str>>()
            .into_boxed_slice(),
    );
    let pattern: &'static str = Box::leak(format!("{}/*.json", cap_dir.display()).into_boxed_str());
    // The app's config lives at the top of the repository, beside Cargo.toml.
    let attrs = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .capabilities_path_pattern(pattern)
        .app_manifest(tauri_build::AppManifest::new().commands(names));
    if let Err(e) = tauri_build::try_build(attrs) {
        println!("cargo:warning=tauri build failed: {e:#}");
        std::process::exit(1);
    }
}
