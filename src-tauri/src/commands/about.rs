//! About the app: the versions of the app, the core and the service, and the folders where
//! the officer's data and the log are, each one click from the file manager.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::AppHandle;

use super::{CmdResult, Shared};

#[derive(Debug, Clone, Serialize, Type)]
pub struct ServiceAbout {
    pub version: String,
    pub demo: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct About {
    /// The app's version, as the installers carry it.
    pub app_version: String,
    pub core_version: String,
    /// What the service says of itself; `None` offline or before one is chosen.
    pub service: Option<ServiceAbout>,
    pub data_dir: String,
    pub log_dir: String,
    /// "windows", "macos" or "linux", and the processor.
    pub platform: String,
}

#[derive(Debug, Clone, Copy, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    Data,
    Logs,
    /// The automatic backups.
    Backups,
}

#[tauri::command]
#[specta::specta]
pub async fn about(shell: Shared<'_>, handle: AppHandle) -> CmdResult<About> {
    let service = shell.app.service_health().await.map(|h| ServiceAbout {
        version: h.version,
        demo: h.demo,
    });
    Ok(About {
        app_version: handle.package_info().version.to_string(),
        core_version: yiqifu_core::VERSION.into(),
        service,
        data_dir: shell.data_dir.display().to_string(),
        log_dir: shell.log_dir.display().to_string(),
        platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    })
}

/// Opens the data or the log folder in the file manager.
#[tauri::command]
#[specta::specta]
pub async fn open_folder(shell: Shared<'_>, folder: Folder) -> CmdResult<()> {
    let path = match folder {
        Folder::Data => shell.data_dir.clone(),
        Folder::Logs => shell.log_dir.clone(),
        Folder::Backups => shell.app.backups_dir(),
    };
    Ok(crate::dialogs::open_in_file_manager(&path)?)
}

/// A moment of the page's start, in the webview's `performance.now()` time.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct PageMark {
    pub name: String,
    pub at: f64,
}

/// The page's moments on the process's clock, "navigation=380 html=412 modules=690 …
/// page=1020": the page's own
/// "sent" mark is the moment of the call, which is `now_ms` here (the call's way across takes
/// a millisecond or two), and "navigation" is where the page's clock starts.
fn on_process_clock(now_ms: u128, timeline: &[PageMark]) -> String {
    let Some(sent) = timeline.iter().find(|m| m.name == "sent") else {
        return String::new();
    };
    let origin = now_ms as f64 - sent.at;
    let mut out = format!("navigation={origin:.0}");
    for m in timeline.iter().filter(|m| m.name != "sent") {
        // Names come from the page: keep them to one word so the log line stays parseable.
        let name: String = m.name.chars().filter(char::is_ascii_alphanumeric).collect();
        out.push_str(&format!(" {name}={:.0}", origin + m.at));
    }
    out.push_str(&format!(" page={now_ms}"));
    out
}

/// The UI's first page is on screen: logged with the time since the process started and the
/// page's own moments on the same clock, and written to the file `YIQIFU_BENCH_RENDERED`
/// names when the start-up benchmark asks. The start's connection to the service (the demo
/// service's own start) waits for it.
#[tauri::command]
#[specta::specta]
pub async fn first_rendered(
    shell: Shared<'_>,
    page: String,
    timeline: Vec<PageMark>,
) -> CmdResult<()> {
    let ms = crate::started().elapsed().as_millis();
    let timeline = on_process_clock(ms, &timeline);
    tracing::info!(page, ms, timeline, "first page on screen");
    // The main page's frame is followed by the page itself, whose antd and first render the
    // demo service's start (its password hash, its seed) would slow: it waits for the page.
    if page != MAIN_FRAME {
        shell.first_page.notify_one();
    }
    if let Some(file) = std::env::var_os("YIQIFU_BENCH_RENDERED") {
        std::fs::write(file, format!("{page} {ms}")).map_err(yiqifu_core::Error::from)?;
    }
    Ok(())
}

/// The main page has taken the place of the frame that was the first page (the UI's
/// MainFrame) and is on screen with what it shows (the library: its first results): logged
/// with the time since the process started and the page's moments, so the start-up benchmark
/// can say how long the whole page takes as well.
#[tauri::command]
#[specta::specta]
pub async fn page_complete(shell: Shared<'_>, timeline: Vec<PageMark>) -> CmdResult<()> {
    let ms = crate::started().elapsed().as_millis();
    let timeline = on_process_clock(ms, &timeline);
    tracing::info!(ms, timeline, "main page complete");
    shell.first_page.notify_one();
    Ok(())
}

/// The first page the UI names when it is the main page's frame (MainFrame.tsx).
const MAIN_FRAME: &str = "main_frame";

#[cfg(test)]
mod tests {
    use super::*;

    fn m(name: &str, at: f64) -> PageMark {
        PageMark {
            name: name.into(),
            at,
        }
    }

    #[test]
    fn the_page_moments_land_on_the_process_clock() {
        let page = [m("html", 40.2), m("modu les!", 300.0), m("sent", 500.0)];
        assert_eq!(
            on_process_clock(900, &page),
            "navigation=400 html=440 modules=700 page=900"
        );
        // Without its "sent" mark the page's clock cannot be placed: nothing is claimed.
        assert_eq!(on_process_clock(900, &page[..2]), "");
    }
}
