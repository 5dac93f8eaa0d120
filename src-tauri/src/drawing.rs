//! How the Linux webview draws on a computer without a graphics processor.
//!
//! WebKitGTK composites the page's layers with OpenGL. Where no GPU driver is there (virtual
//! machines, remote desktops, thin clients, machines whose GPU has no Mesa driver), Mesa
//! answers with its software renderer, llvmpipe: the layers' textures, each painting thread's
//! GL context and the compiled shaders then become ordinary memory of the web process, and
//! the CPU does the GPU's work on top of painting. On the main page that is ~100 MiB
//! (docs/benchmarks.md, "Start-up, memory and size"). Without a GPU both ways are the CPU's
//! work (scrolling repaints what compositing would have moved), and the first page comes
//! sooner without compositing's set-up. So on such a computer the app asks WebKit to paint
//! without compositing, as many Tauri apps do on every Linux computer to work around GPU
//! drivers.
//! Windows and macOS (WebView2, WKWebView) are not touched, and neither is a Linux computer
//! with a GPU.

// Off Linux only `choose` is used: the rest is Linux's.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

/// WebKitGTK's own switch, read by the app's process as WebKit starts: any value but "0"
/// turns compositing off.
const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// Set beside the switch when the app set it: a process the app starts again (a data folder
/// moved) inherits both, and decides afresh rather than take the switch for the officer's.
const SET_BY_APP: &str = "YIQIFU_COMPOSITING_OFF";

/// What the start decided, for its log (the log starts later than the decision).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawing {
    /// Not Linux, or a GPU's render node is there: WebKit's defaults.
    Default,
    /// Whoever started the app set WebKit's switch: left as it is.
    AsSet,
    /// Rendering would be software (no usable render node): compositing is turned off.
    WithoutRenderNode,
    /// `LIBGL_ALWAYS_SOFTWARE` asks Mesa for software rendering: compositing is turned off.
    SoftwareAsked,
}

impl Drawing {
    /// The log's words; "the webview paints without compositing" is what the start-up bench
    /// looks for, and "as WEBKIT_DISABLE_COMPOSITING_MODE sets it" too.
    pub fn describe(self) -> &'static str {
        match self {
            Drawing::Default => "the webview draws as WebKit chooses",
            Drawing::AsSet => "the webview composites as WEBKIT_DISABLE_COMPOSITING_MODE sets it",
            Drawing::WithoutRenderNode => {
                "no GPU render node to open: the webview paints without compositing"
            }
            Drawing::SoftwareAsked => {
                "LIBGL_ALWAYS_SOFTWARE is set: the webview paints without compositing"
            }
        }
    }
}

/// Decides, and sets WebKit's switch when it is to be off. Called in `run` before any thread
/// starts: the process's environment is changed only then.
pub fn choose() -> Drawing {
    #[cfg(target_os = "linux")]
    {
        let drawing = decide(
            std::env::var_os(SWITCH).is_some() && std::env::var_os(SET_BY_APP).is_none(),
            std::env::var("LIBGL_ALWAYS_SOFTWARE").is_ok_and(|v| mesa_true(&v)),
            has_render_node(std::path::Path::new("/dev/dri")),
        );
        if matches!(drawing, Drawing::WithoutRenderNode | Drawing::SoftwareAsked) {
            std::env::set_var(SWITCH, "1");
            std::env::set_var(SET_BY_APP, "1");
        }
        drawing
    }
    #[cfg(not(target_os = "linux"))]
    {
        Drawing::Default
    }
}

/// The choice, apart from the system it is read from.
fn decide(switch_set: bool, software_asked: bool, render_node: bool) -> Drawing {
    if switch_set {
        Drawing::AsSet
    } else if software_asked {
        Drawing::SoftwareAsked
    } else if !render_node {
        Drawing::WithoutRenderNode
    } else {
        Drawing::Default
    }
}

/// A boolean as Mesa reads its variables: empty, "0", "n", "no", "f" and "false" are false.
fn mesa_true(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    !matches!(v.as_str(), "" | "0" | "n" | "no" | "f" | "false")
}

/// Whether a GPU driver offers a render node (`renderD128`…) this user may open as Mesa does,
/// for reading and writing: Mesa renders in hardware through one; without any (none there,
/// or not in the `render` group), only its software renderer is left. A folder that cannot
/// be read counts as none.
fn has_render_node(dri: &std::path::Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name().to_string_lossy().starts_with("renderD")
                && std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(e.path())
                    .is_ok()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compositing_goes_off_only_where_rendering_is_software_and_nobody_chose() {
        assert_eq!(decide(false, false, true), Drawing::Default);
        assert_eq!(decide(false, false, false), Drawing::WithoutRenderNode);
        assert_eq!(decide(false, true, true), Drawing::SoftwareAsked);
        // WebKit's own switch, set either way, is the officer's choice.
        assert_eq!(decide(true, false, false), Drawing::AsSet);
        assert_eq!(decide(true, true, true), Drawing::AsSet);
        // What the bench reads in the log (tests/support/bench_startup.rs): it measures a
        // composited start only where the app says it paints without, and checks that a start
        // given the switch says it left it as set.
        for off in [Drawing::WithoutRenderNode, Drawing::SoftwareAsked] {
            assert!(off
                .describe()
                .contains("the webview paints without compositing"));
        }
        for on in [Drawing::Default, Drawing::AsSet] {
            assert!(!on
                .describe()
                .contains("the webview paints without compositing"));
        }
        assert!(Drawing::AsSet
            .describe()
            .contains("as WEBKIT_DISABLE_COMPOSITING_MODE sets it"));
    }

    #[test]
    fn mesa_s_false_words_ask_for_no_software_rendering() {
        for no in ["", "0", "n", "No", "f", "FALSE", " false "] {
            assert!(!mesa_true(no), "{no:?}");
        }
        for yes in ["1", "true", "yes", "y"] {
            assert!(mesa_true(yes), "{yes:?}");
        }
    }

    #[test]
    fn a_render_node_is_what_counts_as_a_gpu() {
        let dri = tempfile::tempdir().unwrap();
        assert!(!has_render_node(&dri.path().join("missing")));
        assert!(!has_render_node(dri.path()));
        // A display-only node (a VM's virtual screen) renders nothing.
        std::fs::write(dri.path().join("card0"), b"").unwrap();
        assert!(!has_render_node(dri.path()));
        // A render node this user cannot open is none either (a folder stands in: it cannot
        // be opened for writing, even by root).
        std::fs::create_dir(dri.path().join("renderD129")).unwrap();
        assert!(!has_render_node(dri.path()));
        std::fs::write(dri.path().join("renderD128"), b"").unwrap();
        assert!(has_render_node(dri.path()));
    }
}
