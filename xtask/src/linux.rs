//! The Linux package: a .deb built with Debian's own `dpkg-deb` from the app binary, its
//! desktop entry and icons, its dependencies read off the binary as `dpkg-shlibdeps` would
//! (each shared library it needs, and the package that ships it).
//!
//! The AppImage: the same files in an AppDir, packed with Debian's `mksquashfs` behind our
//! own runtime (`crates/appimage`). Every usual AppImage tool (linuxdeploy, appimagetool, the
//! type-2 runtime, the Tauri bundler's) is fetched from GitHub, which this machine's closed
//! network does not reach, and none is packaged in Debian 12.

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
    install_tree(root, binary, &stage)?;
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

/// The files the app installs, under `stage` as under `/`: the binary in `usr/bin`, the
/// desktop entry and the icons; modes as a package needs them, whatever the umask this runs
/// under (027 would make DEBIAN/ unacceptable to dpkg-deb and the files unreadable to users).
fn install_tree(root: &Path, binary: &Path, stage: &Path) -> Result {
    let bin_dir = stage.join("usr/bin");
    std::fs::create_dir_all(&bin_dir).map_err(io(&bin_dir))?;
    let installed = bin_dir.join(NAME);
    std::fs::copy(binary, &installed).map_err(io(binary))?;
    let apps = stage.join("usr/share/applications");
    std::fs::create_dir_all(&apps).map_err(io(&apps))?;
    std::fs::write(apps.join(format!("{NAME}.desktop")), DESKTOP).map_err(io(&apps))?;
    for (file, size) in ICONS {
        let dir = stage.join(format!("usr/share/icons/hicolor/{size}/apps"));
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let from = root.join("icons").join(file);
        std::fs::copy(&from, dir.join(format!("{NAME}.png"))).map_err(io(&from))?;
    }
    normalize_modes(stage)?;
    set_mode(&installed, 0o755)
}

const ICONS: [(&str, &str); 3] = [
    ("32x32.png", "32x32"),
    ("128x128.png", "128x128"),
    ("128x128@2x.png", "256x256"),
];

/// The AppImage's file name, as AppImage tools name them: `Yiqifu_Desktop-<version>-<arch>`.
pub fn appimage_name() -> String {
    format!(
        "Yiqifu_Desktop-{}-{}.AppImage",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH
    )
}

/// The bytes at offset 8 of an AppImage's ELF header: "AI", type 2 (`yiqifu_appimage::MAGIC`).
const APPIMAGE_MAGIC: [u8; 3] = *b"AI\x02";

/// Builds `<out>/Yiqifu_Desktop-<version>-<arch>.AppImage`: `runtime` (`crates/appimage`) with
/// an AppDir after it, packed by `mksquashfs`: the files the .deb installs, and at the top
/// `AppRun` (a link to the binary), the desktop entry and the icon, as AppImage tools and
/// desktops look for them. `compress` false stores the data as it is (the test's debug
/// binary, which gzip would take long over).
pub fn appimage(
    root: &Path,
    binary: &Path,
    runtime: &Path,
    out: &Path,
    compress: bool,
) -> Result<PathBuf> {
    if !have("mksquashfs") {
        return fail("mksquashfs is needed for the AppImage (Debian's squashfs-tools package)");
    }
    let version = env!("CARGO_PKG_VERSION");
    let stage = out.join(format!("{NAME}.AppDir"));
    let _ = std::fs::remove_dir_all(&stage);
    install_tree(root, binary, &stage)?;
    let entry = stage.join(format!("{NAME}.desktop"));
    std::fs::write(&entry, format!("{DESKTOP}X-AppImage-Version={version}\n"))
        .map_err(io(&entry))?;
    set_mode(&entry, 0o644)?;
    let icon = stage.join(format!("{NAME}.png"));
    let from = root.join("icons/128x128@2x.png");
    std::fs::copy(&from, &icon).map_err(io(&from))?;
    set_mode(&icon, 0o644)?;
    for (link, to) in [
        ("AppRun", format!("usr/bin/{NAME}")),
        (".DirIcon", format!("{NAME}.png")),
    ] {
        let at = stage.join(link);
        std::os::unix::fs::symlink(&to, &at).map_err(io(&at))?;
    }
    let image = out.join(format!("{NAME}.squashfs"));
    let _ = std::fs::remove_file(&image);
    let mut mksquashfs = Command::new("mksquashfs");
    mksquashfs
        .arg(&stage)
        .arg(&image)
        .args([
            "-root-owned",
            "-noappend",
            "-no-xattrs",
            "-no-progress",
            "-quiet",
        ])
        .args(["-comp", "gzip"]);
    if !compress {
        mksquashfs.args(["-noD", "-noF"]);
    }
    run("mksquashfs", &mut mksquashfs)?;
    let mut head = std::fs::read(runtime).map_err(io(runtime))?;
    if head.len() < 64 || head[..4] != *b"\x7fELF" {
        return fail(format!("{} is not an ELF program", runtime.display()));
    }
    head[8..11].copy_from_slice(&APPIMAGE_MAGIC);
    let appimage = out.join(appimage_name());
    let mut file = std::fs::File::create(&appimage).map_err(io(&appimage))?;
    std::io::Write::write_all(&mut file, &head).map_err(io(&appimage))?;
    let mut squashfs = std::fs::File::open(&image).map_err(io(&image))?;
    std::io::copy(&mut squashfs, &mut file).map_err(io(&appimage))?;
    drop(file);
    set_mode(&appimage, 0o755)?;
    let _ = std::fs::remove_file(&image);
    let _ = std::fs::remove_dir_all(&stage);
    Ok(appimage)
}

/// The AppImage as desktops and users take it: libappimage (what desktop integration tools
/// read AppImages with) knows it for type 2 and lists its files; `--appimage-extract` gives
/// back the binary it was made from, and a desktop entry that validates; and started under
/// Xvfb, on a session bus of its own, with a home of its own, it opens the app's window.
pub fn check_appimage(appimage: &Path, binary: &Path, work: &Path) -> Result {
    let mut head = [0u8; 11];
    std::io::Read::read_exact(
        &mut std::fs::File::open(appimage).map_err(io(appimage))?,
        &mut head,
    )
    .map_err(io(appimage))?;
    if head[8..11] != APPIMAGE_MAGIC {
        return fail("the AppImage lacks its magic bytes (\"AI\", 2) at offset 8");
    }
    // libappimage, through Python's ctypes: Debian ships the library, not a tool on it.
    let probe = output(
        Command::new("python3")
            .args([
                "-c",
                "import ctypes, sys\n\
             lib = ctypes.CDLL('libappimage.so.1.0abi1')\n\
             lib.appimage_list_files.restype = ctypes.POINTER(ctypes.c_char_p)\n\
             path = sys.argv[1].encode()\n\
             print('type', lib.appimage_get_type(path, False))\n\
             files = lib.appimage_list_files(path)\n\
             i = 0\n\
             while files[i]:\n\
             \x20   print('file', files[i].decode())\n\
             \x20   i += 1\n",
            ])
            .arg(appimage),
        "libappimage",
    )?;
    if !probe.lines().any(|l| l == "type 2") {
        return fail(format!(
            "libappimage does not take it for an AppImage of type 2:\n{probe}"
        ));
    }
    for file in [
        "AppRun".to_string(),
        format!("{NAME}.desktop"),
        format!("{NAME}.png"),
        format!("usr/bin/{NAME}"),
    ] {
        if !probe.lines().any(|l| l == format!("file {file}")) {
            return fail(format!(
                "libappimage finds no {file} in the AppImage:\n{probe}"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).map_err(io(work))?;
    run(
        "--appimage-extract",
        Command::new(appimage)
            .arg("--appimage-extract")
            .current_dir(work)
            .stdout(std::process::Stdio::null()),
    )?;
    let extracted = work.join("squashfs-root");
    let inside = extracted.join(format!("usr/bin/{NAME}"));
    if !same_bytes(&inside, binary)? {
        return fail(format!(
            "{} is not the binary the AppImage was made from",
            inside.display()
        ));
    }
    let validated = output(
        Command::new("desktop-file-validate").arg(extracted.join(format!("{NAME}.desktop"))),
        "desktop-file-validate",
    )?;
    if !validated.trim().is_empty() {
        return fail(format!(
            "the AppImage's desktop entry has problems: {validated}"
        ));
    }
    let _ = std::fs::remove_dir_all(&extracted);
    started(appimage, work)
}

/// The AppImage started as a user starts it, until the app's window shows (a picture of it in
/// `work/window.png`).
fn started(appimage: &Path, work: &Path) -> Result {
    use std::os::unix::process::CommandExt;
    const TITLE: &str = "益企服桌面端";
    let xvfb = crate::platforms::Xvfb::start()?;
    let home = work.join("home");
    std::fs::create_dir_all(&home).map_err(io(&home))?;
    let log = work.join("stderr.txt");
    let err = std::fs::File::create(&log).map_err(io(&log))?;
    let mut child = Command::new("dbus-run-session")
        .arg("--")
        .arg(appimage)
        .env("DISPLAY", &xvfb.display)
        .env("HOME", &home)
        .env_remove("XDG_CACHE_HOME")
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env("YIQIFU_DATA_DIR", work.join("data"))
        .stdout(std::process::Stdio::null())
        .stderr(err)
        // Its own process group, so the app goes with the bus when the check ends.
        .process_group(0)
        .spawn()
        .map_err(|e| Failure(format!("cannot start the AppImage: {e}")))?;
    let begun = std::time::Instant::now();
    let shown = crate::platforms::window_shown(&xvfb.display, TITLE, &mut child, &log);
    if shown.is_ok() {
        // Let the page paint before the picture (best effort: imagemagick).
        std::thread::sleep(std::time::Duration::from_secs(3));
        let _ = Command::new("import")
            .args(["-window", "root", "-display", &xvfb.display])
            .arg(work.join("window.png"))
            .status();
    }
    // The whole group the child leads: the bus, the runtime and the app it became.
    if let Ok(group) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a process group id and a signal number reads no memory.
        unsafe { libc::kill(-group, libc::SIGKILL) };
    }
    let _ = child.kill();
    let _ = child.wait();
    shown?;
    let unpacked = home.join(".cache/yiqifu-appimage");
    let folders = std::fs::read_dir(&unpacked)
        .map(|d| d.flatten().filter(|e| e.path().is_dir()).count())
        .unwrap_or(0);
    if folders != 1 {
        return fail(format!(
            "the AppImage should have left one unpacked folder in {}, not {folders}",
            unpacked.display()
        ));
    }
    println!(
        "    the AppImage opened its window after {:.1}s (picture: {})",
        begun.elapsed().as_secs_f64(),
        work.join("window.png").display()
    );
    Ok(())
}

/// Whether the files at `a` and `b` hold the same bytes, read a piece at a time.
fn same_bytes(a: &Path, b: &Path) -> Result<bool> {
    use std::io::Read;
    let open = |p: &Path| {
        std::fs::File::open(p)
            .map(std::io::BufReader::new)
            .map_err(io(p))
    };
    let (mut ra, mut rb) = (open(a)?, open(b)?);
    let (mut xa, mut xb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = ra.read(&mut xa).map_err(io(a))?;
        if n == 0 {
            // At a's end: equal if b ends here too.
            return Ok(rb.read(&mut xb[..1]).map_err(io(b))? == 0);
        }
        let mut got = 0;
        while got < n {
            let m = rb.read(&mut xb[got..n]).map_err(io(b))?;
            if m == 0 {
                return Ok(false);
            }
            got += m;
        }
        if xa[..n] != xb[..n] {
            return Ok(false);
        }
    }
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
