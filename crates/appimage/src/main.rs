//! `yiqifu-appimage-runtime`: the program at the head of the AppImage (see the library).

fn main() -> std::process::ExitCode {
    #[cfg(target_os = "linux")]
    {
        // The AppImage is this very file: the runtime with the image after it.
        let outcome = std::env::current_exe()
            .map_err(|e| yiqifu_appimage::Error::Io {
                what: "找到",
                what_en: "find",
                path: "/proc/self/exe".into(),
                source: e,
            })
            .and_then(|image| yiqifu_appimage::main(&image, std::env::args_os().skip(1).collect()));
        match outcome {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e} [{}]", e.code());
                std::process::ExitCode::from(e.exit_code())
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        eprintln!("an AppImage runs on Linux only");
        std::process::ExitCode::FAILURE
    }
}
