//! A hello-world Tauri 2 app: one window, one static page. `cargo xtask bench` starts it beside
//! the app to tell what the app itself adds to Tauri's start-up time and memory.

// As the app: no console window on Windows.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The page is on screen: written to the file `YIQIFU_BENCH_RENDERED` names, as the app does.
#[tauri::command]
fn first_rendered() {
    if let Some(file) = std::env::var_os("YIQIFU_BENCH_RENDERED") {
        if let Err(e) = std::fs::write(file, "hello") {
            eprintln!("cannot write the rendered mark: {e}");
        }
    }
}

fn main() {
    if let Err(e) = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![first_rendered])
        .run(tauri::generate_context!())
    {
        eprintln!("hello could not start: {e}");
        std::process::exit(1);
    }
}
