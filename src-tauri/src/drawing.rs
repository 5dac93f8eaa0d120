//! How the Linux webview draws on a computer without a graphics processor.
//!
//! WebKitGTK composites the page's layers with OpenGL. Where no GPU driver is there (virtual
//! machines, remote desktops, thin clients, machines whose GPU has no Mesa driver), Mesa
//! answers with its software renderer, llvmpipe: the layers' textures, each painting thread's
//! GL context and the compiled shaders then become ordinary memory of the web process, and
//! the CPU does the GPU's work on top of painting. On the main page that is ~100 MiB (measured
//! in docs/benchmarks.md: the web process 300 MiB composited, 193 MiB not), for a page that
//! composites nothing a GPU would have made smoother. So on such a computer the app asks
//! WebKit to paint without compositing, as many Tauri apps do on every Linux computer to work
//! around GPU drivers. Windows and macOS (WebView2, WKWebView) are not touched, and neither is
//! a Linux computer with a GPU.

/// WebKitGTK's own switch, read by the app's process as WebKit starts: any value but "0"
/// turns compositing off.
#[cfg(target_os = "linux")]
const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// What the start decided, for its log (the log starts later than the decision).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawing {
    /// Not Linux, or a GPU's render node is there: WebKit's defaults.
    Default,
    /// The officer (or whoever started the app) set WebKit's switch: left as it is.
    AsSet,
    /// Software GL only: compositing is turned off.
    WithoutCompositing,
}

impl Drawing {
    pub fn describe(self) -> &'static str {
        match self {
            Drawing::Default => "webview draws as WebKit chooses",
            Drawing::AsSet => "webview compositing as WEBKIT_DISABLE_COMPOSITING_MODE sets it",
            Drawing::WithoutCompositing => {
                "no GPU render node: the webview paints without compositing"
            }
        }
    }
}

/// Decides, and sets WebKit's switch when it is to be off. Called first thing in `run`,
/// before any thread starts: the process's environment is changed only then.
pub fn choose() -> Drawing {
    #[cfg(target_os = "linux")]
    {
        let drawing = decide(
            std::env::var_os(SWITCH).is_some(),
            std::env::var_os("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| !v.is_empty() && v != "0"),
            has_render_node(std::path::Path::new("/dev/dri")),
        );
        if drawing == Drawing::WithoutCompositing {
            std::env::set_var(SWITCH, "1");
        }
        drawing
    }
    #[cfg(not(target_os = "linux"))]
    {
        Drawing::Default
    }
}

/// The choice, apart from the system it is read from.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn decide(switch_set: bool, software_asked: bool, render_node: bool) -> Drawing {
    if switch_set {
        Drawing::AsSet
    } else if software_asked || !render_node {
        Drawing::WithoutCompositing
    } else {
        Drawing::Default
    }
}

/// Whether a GPU driver offers a render node (`renderD128`…): Mesa renders in hardware
/// through one; without any, only its software renderer is left. A folder that cannot be
/// read counts as none.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn has_render_node(dri: &std::path::Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compositing_goes_off_only_where_rendering_is_software_and_nobody_chose() {
        assert_eq!(decide(false, false, true), Drawing::Default);
        assert_eq!(decide(false, false, false), Drawing::WithoutCompositing);
        assert_eq!(decide(false, true, true), Drawing::WithoutCompositing);
        // WebKit's own switch, set either way, is the officer's choice.
        assert_eq!(decide(true, false, false), Drawing::AsSet);
        assert_eq!(decide(true, true, true), Drawing::AsSet);
    }

    #[test]
    fn a_render_node_is_what_counts_as_a_gpu() {
        let dri = tempfile::tempdir().unwrap();
        assert!(!has_render_node(&dri.path().join("missing")));
        assert!(!has_render_node(dri.path()));
        // A display-only node (a VM's virtual screen) renders nothing.
        std::fs::write(dri.path().join("card0"), b"").unwrap();
        assert!(!has_render_node(dri.path()));
        std::fs::write(dri.path().join("renderD128"), b"").unwrap();
        assert!(has_render_node(dri.path()));
    }
}
