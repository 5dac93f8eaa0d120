//! The Linux package: a .deb built with Debian's own `dpkg-deb` from the app binary, its
//! desktop entry and icons, its dependencies read off the binary as `dpkg-shlibdeps` would
//! (each shared library it needs, and the package that ships it).
//!
//! The AppImage is not built here: every AppImage tool (linuxdeploy, appimagetool, the
//! Tauri bundler's) is fetched from GitHub, which this machine's closed network does not
//! reach, and none is packaged in Debian 12.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{fail, have, run, Failure, Result};

const NAME: &str = "yiqifu-desktop";

fn io(what: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure(format!("{}: {e}", what.display()))
}

fn output(cmd: &mut Command, what: &str) -> Result<String> {
    let out = cmd.output().map_err(|e| Failure(format!("{what}: {e}")))?;
    if !out.status.success() {
        return fail(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The packages that ship the shared libraries `binary` needs, sorted.
/// The package whose fonts the report prints with on Linux.
const FONTS_PACKAGE: &str = "fonts-noto-cjk";

fn depends(binary: &Path) -> Result<Vec<String>> {
    let dynamic = output(Command::new("objdump").arg("-p").arg(binary), "objdump -p")?;
    let mut packages = std::collections::BTreeSet::new();
    for lib in dynamic
        .lines()
        .filter_map(|l| l.trim().strip_prefix("NEEDED"))
        .map(str::trim)
    {
        let found = output(
            Command::new("dpkg").args(["-S", &format!("*/{lib}")]),
            &format!("dpkg -S {lib}"),
        )?;
        // "libgtk-3-0:amd64: /usr/lib/x86_64-linux-gnu/libgtk-3.so.0": the package, without
        // its architecture; a library in two packages names the first.
        let package = found
            .lines()
            .next()
            .and_then(|l| l.split(':').next())
            .map(|p| p.split(',').next().unwrap_or(p).trim().to_string())
            .ok_or_else(|| Failure(format!("no package ships {lib}")))?;
        packages.insert(package);
    }
    // Not a linked library: the report prints with the system's Noto Sans CJK collections
    // (crates/report/src/world.rs) instead of carrying its own copy.
    packages.insert(FONTS_PACKAGE.to_string());
    Ok(packages.into_iter().collect())
}

const DESKTOP: &str = "[Desktop Entry]
Type=Application
Name=Yiqifu Desktop
Name[zh_CN]=益企服桌面端
GenericName=Work resumption applications
GenericName[zh_CN]=复工复产申报
Comment=Prepare, send and track an enterprise's resumption of work, offline first
Comment[zh_CN]=离线准备、提交和跟踪企业复工复产申请
Exec=yiqifu-desktop
Icon=yiqifu-desktop
Terminal=false
Categories=Office;
StartupWMClass=yiqifu-desktop
";

/// Builds `<out>/yiqifu-desktop_<version>_<arch>.deb` from `binary`; `compress` is dpkg-deb's
/// `-Z` (xz for a release, none for the test's debug binary).
pub fn deb(root: &Path, binary: &Path, out: &Path, compress: &str) -> Result<PathBuf> {
    if !have("dpkg-deb") {
        return fail("dpkg-deb is needed for the .deb (Debian's dpkg package)");
    }
    let version = env!("CARGO_PKG_VERSION");
    let arch = output(
        Command::new("dpkg").arg("--print-architecture"),
        "dpkg --print-architecture",
    )?
    .trim()
    .to_string();
    let stage = out.join(format!("{NAME}_{version}_{arch}"));
    let _ = std::fs::remove_dir_all(&stage);
    let bin_dir = stage.join("usr/bin");
    std::fs::create_dir_all(&bin_dir).map_err(io(&bin_dir))?;
    let installed = bin_dir.join(NAME);
    std::fs::copy(binary, &installed).map_err(io(binary))?;
    let apps = stage.join("usr/share/applications");
    std::fs::create_dir_all(&apps).map_err(io(&apps))?;
    std::fs::write(apps.join(format!("{NAME}.desktop")), DESKTOP).map_err(io(&apps))?;
    for (file, size) in [
        ("32x32.png", "32x32"),
        ("128x128.png", "128x128"),
        ("128x128@2x.png", "256x256"),
    ] {
        let dir = stage.join(format!("usr/share/icons/hicolor/{size}/apps"));
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let from = root.join("icons").join(file);
        std::fs::copy(&from, dir.join(format!("{NAME}.png"))).map_err(io(&from))?;
    }
    // Modes as a package needs them, whatever the umask this runs under (027 would make
    // DEBIAN/ unacceptable to dpkg-deb and the files unreadable to users).
    normalize_modes(&stage)?;
    set_mode(&installed, 0o755)?;
    let size_kb = dir_size(&stage.join("usr"))?.div_ceil(1024);
    let control_dir = stage.join("DEBIAN");
    std::fs::create_dir_all(&control_dir).map_err(io(&control_dir))?;
    let control = format!(
        "Package: {NAME}\n\
         Version: {version}\n\
         Architecture: {arch}\n\
         Maintainer: Yiqifu Desktop team <desktop@yiqifu.example>\n\
         Installed-Size: {size_kb}\n\
         Depends: {}\n\
         Section: misc\n\
         Priority: optional\n\
         Description: Yiqifu Desktop (益企服桌面端)\n \
         The desktop client with which enterprises prepare, send and track their\n \
         application to resume work and production, offline first.\n",
        depends(binary)?.join(", ")
    );
    std::fs::write(control_dir.join("control"), control).map_err(io(&control_dir))?;
    set_mode(&control_dir, 0o755)?;
    set_mode(&control_dir.join("control"), 0o644)?;
    let deb = out.join(format!("{NAME}_{version}_{arch}.deb"));
    run(
        "dpkg-deb --build",
        Command::new("dpkg-deb")
            .args(["--root-owner-group", &format!("-Z{compress}")])
            // The smallest download: xz's highest level costs seconds, once per release.
            .args(if compress == "xz" {
                &["-z9", "-Sextreme"][..]
            } else {
                &[][..]
            })
            .arg("--build")
            .arg(&stage)
            .arg(&deb),
    )?;
    let _ = std::fs::remove_dir_all(&stage);
    Ok(deb)
}

fn set_mode(path: &Path, mode: u32) -> Result {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io(path))
}

/// Folders 0755, files 0644, under `dir` and `dir` itself.
fn normalize_modes(dir: &Path) -> Result {
    set_mode(dir, 0o755)?;
    for e in std::fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let path = e.path();
        if e.file_type().map_err(io(&path))?.is_dir() {
            normalize_modes(&path)?;
        } else {
            set_mode(&path, 0o644)?;
        }
    }
    Ok(())
}

fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for e in std::fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let meta = e.metadata().map_err(io(&e.path()))?;
        total += if meta.is_dir() {
            dir_size(&e.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

/// The package as a machine would take it: its fields, its files, a desktop entry that
/// validates, and dependencies this Debian can satisfy (`dpkg --dry-run`).
pub fn check_deb(deb: &Path) -> Result {
    let info = output(
        Command::new("dpkg-deb").arg("--info").arg(deb),
        "dpkg-deb --info",
    )?;
    for field in [
        format!("Package: {NAME}"),
        format!("Version: {}", env!("CARGO_PKG_VERSION")),
        "Depends: ".to_string(),
    ] {
        if !info.contains(&field) {
            return fail(format!("the .deb has no `{field}`:\n{info}"));
        }
    }
    for needed in ["libwebkit2gtk-4.1-0", FONTS_PACKAGE] {
        if !info.contains(needed) {
            return fail(format!("the .deb does not depend on {needed}:\n{info}"));
        }
    }
    let contents = output(
        Command::new("dpkg-deb").arg("--contents").arg(deb),
        "dpkg-deb --contents",
    )?;
    for path in [
        format!("./usr/bin/{NAME}"),
        format!("./usr/share/applications/{NAME}.desktop"),
        format!("./usr/share/icons/hicolor/128x128/apps/{NAME}.png"),
    ] {
        if !contents.lines().any(|l| l.ends_with(&path)) {
            return fail(format!("the .deb lacks {path}:\n{contents}"));
        }
    }
    if !contents
        .lines()
        .any(|l| l.starts_with("-rwxr-xr-x root/root") && l.ends_with(&format!("/usr/bin/{NAME}")))
    {
        return fail(format!(
            "the binary is not an executable of root's:\n{contents}"
        ));
    }
    // Whatever the umask of the machine that packed it: readable by everyone, the binary
    // runnable, nothing writable but by root.
    for line in contents.lines() {
        let mode = line.split_whitespace().next().unwrap_or("");
        let want = if mode.starts_with('d') {
            "drwxr-xr-x"
        } else if line.ends_with(&format!("/usr/bin/{NAME}")) {
            "-rwxr-xr-x"
        } else {
            "-rw-r--r--"
        };
        if mode != want {
            return fail(format!("the .deb has {mode} where {want} belongs: {line}"));
        }
    }
    let unpacked = deb.with_extension("unpacked");
    let _ = std::fs::remove_dir_all(&unpacked);
    run(
        "dpkg-deb -x",
        Command::new("dpkg-deb").arg("-x").arg(deb).arg(&unpacked),
    )?;
    let entry = unpacked.join(format!("usr/share/applications/{NAME}.desktop"));
    let validated = output(
        Command::new("desktop-file-validate").arg(&entry),
        "desktop-file-validate",
    )?;
    let _ = std::fs::remove_dir_all(&unpacked);
    if !validated.trim().is_empty() {
        return fail(format!("the desktop entry has problems: {validated}"));
    }
    if crate::is_root() {
        run(
            "dpkg --dry-run --install",
            Command::new("dpkg")
                .args(["--dry-run", "--install"])
                .arg(deb),
        )?;
    }
    Ok(())
}
