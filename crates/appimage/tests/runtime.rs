//! The runtime as an AppImage uses it: the built runtime program with a squashfs image after
//! it (made here with backhand's writer, as `cargo xtask bundle` makes one with mksquashfs),
//! started as a user starts it.
#![cfg(target_os = "linux")]

use std::io::Cursor;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use backhand::compression::Compressor;
use backhand::{FilesystemCompressor, FilesystemWriter, NodeHeader};

const RUNTIME: &str = env!("CARGO_BIN_EXE_yiqifu-appimage-runtime");

/// What the image's app does: says its arguments and what the runtime told it.
/// With `hold`, it stays (as one process, so the lock the runtime passes it goes with it).
const APP: &str = "#!/bin/sh\necho \"args:$*\"\necho \"appimage:$APPIMAGE\"\necho \"appdir:$APPDIR\"\necho \"owd:$OWD\"\nif [ \"$1\" = hold ]; then exec sleep 60; fi\n";

/// A squashfs image of an app folder: `AppRun` a link to `usr/bin/app` (0755), a read-only
/// note (0444), a read-only folder (0555) with a file, `files` more files of `size` bytes each
/// under `data/`.
fn squashfs(files: usize, size: usize) -> Vec<u8> {
    let mut fs = FilesystemWriter::default();
    fs.set_compressor(FilesystemCompressor::new(Compressor::Gzip, None).expect("gzip"));
    let dir = NodeHeader::new(0o755, 0, 0, 0);
    fs.push_dir_all("usr/bin", dir).expect("dir");
    fs.push_file(
        Cursor::new(APP.as_bytes().to_vec()),
        "usr/bin/app",
        NodeHeader::new(0o755, 0, 0, 0),
    )
    .expect("app");
    fs.push_symlink("usr/bin/app", "AppRun", NodeHeader::new(0o777, 0, 0, 0))
        .expect("link");
    fs.push_file(
        Cursor::new(b"read me".to_vec()),
        "note.txt",
        NodeHeader::new(0o444, 0, 0, 0),
    )
    .expect("note");
    fs.push_dir("shut", NodeHeader::new(0o555, 0, 0, 0))
        .expect("read-only folder");
    fs.push_file(
        Cursor::new(b"inside".to_vec()),
        "shut/file",
        NodeHeader::new(0o644, 0, 0, 0),
    )
    .expect("file in a read-only folder");
    if files > 0 {
        fs.push_dir("data", dir).expect("data");
    }
    for i in 0..files {
        // Different bytes per file, so nothing is stored once for all.
        let body: Vec<u8> = (0..size).map(|n| (n * 31 + i * 7) as u8).collect();
        fs.push_file(
            Cursor::new(body),
            format!("data/{i:05}"),
            NodeHeader::new(0o644, 0, 0, 0),
        )
        .expect("data file");
    }
    let mut out = Cursor::new(Vec::new());
    fs.write(&mut out).expect("write squashfs");
    out.into_inner()
}

/// The runtime with `image` after it, as an executable file in `dir`.
fn appimage(dir: &Path, image: &[u8]) -> PathBuf {
    let mut bytes = std::fs::read(RUNTIME).expect("runtime");
    bytes.extend_from_slice(image);
    let path = dir.join("Test.AppImage");
    std::fs::write(&path, bytes).expect("write AppImage");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

/// Runs `cmd`, again while the file it runs is busy: the tests run in parallel threads, and a
/// fork in another thread while one writes its AppImage holds the file open for writing until
/// that child's exec.
fn spawned(cmd: &mut Command) -> std::process::Child {
    let started = Instant::now();
    loop {
        match cmd.spawn() {
            Ok(child) => return child,
            Err(e)
                if e.kind() == std::io::ErrorKind::ExecutableFileBusy
                    && started.elapsed() < Duration::from_secs(10) =>
            {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(e) => panic!("cannot start the AppImage: {e}"),
        }
    }
}

fn start(image: &Path, cache: &Path, cwd: &Path, args: &[&str]) -> Output {
    spawned(
        Command::new(image)
            .args(args)
            .current_dir(cwd)
            .env("XDG_CACHE_HOME", cache)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped()),
    )
    .wait_with_output()
    .expect("wait for the AppImage")
}

/// A new download of the same app: another modification time.
fn touch(image: &Path, ahead: u64) {
    let file = std::fs::File::open(image).expect("open");
    file.set_modified(std::time::SystemTime::now() + Duration::from_secs(ahead))
        .expect("touch");
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The folders under the runtime's cache (not their lock files).
fn unpacked(cache: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(cache.join("yiqifu-appimage"))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

#[test]
fn an_appimage_starts_its_app_from_one_unpacking() {
    let tmp = tempfile::tempdir().expect("tmp");
    let image = appimage(tmp.path(), &squashfs(0, 0));
    let cache = tmp.path().join("cache");

    let out = start(&image, &cache, tmp.path(), &["one", "two"]);
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    let folders = unpacked(&cache);
    assert_eq!(folders.len(), 1, "one unpacked folder: {folders:?}");
    let dir = &folders[0];
    assert!(said.contains("args:one two"), "{said}");
    assert!(
        said.contains(&format!("appimage:{}", image.display())),
        "{said}"
    );
    assert!(
        said.contains(&format!("appdir:{}", dir.display())),
        "{said}"
    );
    assert!(
        said.contains(&format!("owd:{}", tmp.path().display())),
        "{said}"
    );

    // The second start runs from the same folder, without unpacking it again.
    std::fs::write(dir.join("left-here"), b"").expect("mark");
    let again = start(&image, &cache, tmp.path(), &[]);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(unpacked(&cache), folders);
    assert!(
        dir.join("left-here").exists(),
        "the folder was unpacked again"
    );

    // Files a cache cleaner took: the folder is put aside and the image unpacked once more.
    std::fs::remove_file(dir.join("usr/bin/app")).expect("remove");
    let mended = start(&image, &cache, tmp.path(), &["mended"]);
    assert!(mended.status.success(), "{}", text(&mended));
    assert!(text(&mended).contains("args:mended"), "{}", text(&mended));
    assert!(dir.join("usr/bin/app").exists());
    assert!(
        !dir.join("left-here").exists(),
        "the folder was not unpacked again"
    );

    // A new download of the app (another file's time) is unpacked anew, and the old folder,
    // a half-unpacked one whose start has ended and another version's are cleared away.
    let stale = cache.join("yiqifu-appimage/.0.0.1-feed.4194305");
    let older = cache.join("yiqifu-appimage/0.0.1-feed");
    for d in [&stale, &older] {
        std::fs::create_dir_all(d).expect("stale");
    }
    touch(&image, 60);
    let newer = start(&image, &cache, tmp.path(), &[]);
    assert!(newer.status.success(), "{}", text(&newer));
    let now = unpacked(&cache);
    assert_eq!(now.len(), 1, "only the new folder stays: {now:?}");
    assert_ne!(now, folders);
    let left: Vec<_> = std::fs::read_dir(cache.join("yiqifu-appimage"))
        .expect("cache")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left.len(),
        2,
        "the new folder and its lock file only: {left:?}"
    );
}

/// What a running app uses stays while a new download starts: its folder (the app holds its
/// lock) and another start's staging folder (held while it unpacks); once the app has ended,
/// the next new download clears its folder away.
#[test]
fn what_is_in_use_is_never_cleared_away() {
    let tmp = tempfile::tempdir().expect("tmp");
    let image = appimage(tmp.path(), &squashfs(0, 0));
    let cache = tmp.path().join("cache");
    let runtime_cache = cache.join("yiqifu-appimage");

    let mut running = spawned(
        Command::new(&image)
            .arg("hold")
            .env("XDG_CACHE_HOME", &cache)
            .stdout(std::process::Stdio::piped()),
    );
    // The app itself is running (not its start still on the way to it): it has spoken.
    let out = running.stdout.take().expect("stdout");
    let (said, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            let _ = said.send(line);
        }
    });
    loop {
        let line = heard
            .recv_timeout(Duration::from_secs(30))
            .expect("the app did not start within 30 s");
        if line == "args:hold" {
            break;
        }
    }
    let started = Instant::now();
    // Its folder under its own name (not the staging folder): held from then on.
    let named = |cache: &Path| -> Vec<PathBuf> {
        unpacked(cache)
            .into_iter()
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect()
    };
    while named(&cache).len() != 1 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the app did not start within 30 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let in_use = named(&cache).remove(0);
    // Another start unpacking (its lock held here), and one that ended without a word.
    let unpacking = runtime_cache.join(".0.0.9-beef.1");
    std::fs::create_dir_all(&unpacking).expect("staging");
    let held = std::fs::File::create(runtime_cache.join(".0.0.9-beef.1.lock")).expect("lock");
    held.lock().expect("lock");
    let ended = runtime_cache.join(".0.0.9-dead.2");
    std::fs::create_dir_all(&ended).expect("staging");

    // Files gone from the running app's folder: a start cannot put it aside under the app, so
    // it says it cannot start, and the folder stays.
    std::fs::remove_file(in_use.join("usr/bin/app")).expect("remove");
    let out = start(&image, &cache, tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(127), "{}", text(&out));
    assert!(
        text(&out).contains("APPIMAGE_START_FAILED"),
        "{}",
        text(&out)
    );
    assert!(
        in_use.join("note.txt").exists(),
        "the running app's folder was moved"
    );

    touch(&image, 60);
    let out = start(&image, &cache, tmp.path(), &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        in_use.join("note.txt").exists(),
        "the running app's folder was removed"
    );
    assert!(
        unpacking.exists(),
        "a start's staging folder was removed while it unpacked"
    );
    assert!(!ended.exists(), "an ended start's staging folder stayed");
    assert_eq!(unpacked(&cache).len(), 3, "{:?}", unpacked(&cache));

    running.kill().expect("kill");
    running.wait().expect("reap");
    drop(held);
    touch(&image, 120);
    let out = start(&image, &cache, tmp.path(), &[]);
    assert!(out.status.success(), "{}", text(&out));
    let now = unpacked(&cache);
    assert_eq!(
        now.len(),
        1,
        "the ended app's folder and staging are cleared: {now:?}"
    );
    assert!(!now.contains(&in_use));
}

#[test]
fn extract_writes_the_image_with_its_modes_and_links() {
    let tmp = tempfile::tempdir().expect("tmp");
    let image = appimage(tmp.path(), &squashfs(3, 1000));
    let runtime_len = std::fs::metadata(RUNTIME).expect("runtime").len();

    let out = start(
        &image,
        &tmp.path().join("cache"),
        tmp.path(),
        &["--appimage-offset"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        runtime_len.to_string()
    );

    let out = start(
        &image,
        &tmp.path().join("cache"),
        tmp.path(),
        &["--appimage-extract"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let root = tmp.path().join("squashfs-root");
    let mode = |p: &str| {
        std::fs::metadata(root.join(p))
            .expect("unpacked")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(
        std::fs::read_to_string(root.join("usr/bin/app")).expect("app"),
        APP
    );
    assert_eq!(mode("usr/bin/app"), 0o755);
    assert_eq!(mode("note.txt"), 0o444);
    assert_eq!(
        std::fs::read_link(root.join("AppRun")).expect("link"),
        PathBuf::from("usr/bin/app")
    );
    let third: Vec<u8> = (0..1000).map(|n| (n * 31 + 2 * 7) as u8).collect();
    assert_eq!(std::fs::read(root.join("data/00002")).expect("data"), third);
    assert!(
        !tmp.path().join("cache").exists(),
        "extract leaves the cache alone"
    );

    // Extracting over an earlier extraction would mix two images: it is refused, untouched.
    let out = start(
        &image,
        &tmp.path().join("cache"),
        tmp.path(),
        &["--appimage-extract"],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("squashfs-root is already here"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("APPIMAGE_USAGE"), "{}", text(&out));

    let out = start(
        &image,
        &tmp.path().join("cache"),
        tmp.path(),
        &["--appimage-mount"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("--appimage-mount is not an option"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_damaged_appimage_says_so_and_leaves_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = tmp.path().join("cache");
    let whole = squashfs(20, 4096);

    // Cut short, as by a download that stopped: inside the image, not only its padding.
    let mut used = [0u8; 8];
    used.copy_from_slice(&whole[40..48]);
    let used = usize::try_from(u64::from_le_bytes(used)).expect("length");
    assert!(used <= whole.len());
    let cut = appimage(tmp.path(), &whole[..used - 1]);
    let out = start(&cut, &cache, tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("is not a whole AppImage"), "{said}");
    assert!(said.contains("不是完整的 AppImage"), "{said}");
    assert!(said.contains("APPIMAGE_DAMAGED"), "{said}");
    assert!(said.contains("cut short"), "{said}");
    assert!(unpacked(&cache).is_empty(), "{:?}", unpacked(&cache));

    // The runtime alone: no image at all after it.
    let alone = appimage(tmp.path(), b"");
    let out = start(&alone, &cache, tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("no squashfs image at byte"),
        "{}",
        text(&out)
    );
}

/// A staging name whose lock another holds (a start of the same pid in another namespace, or
/// another start's tidy for a moment) is left alone: the start unpacks under the next name.
#[test]
fn a_staging_folder_held_by_another_is_left_alone() {
    let tmp = tempfile::tempdir().expect("tmp");
    let image = appimage(tmp.path(), &squashfs(0, 0));
    let cache = tmp.path().join("cache");
    let offset = yiqifu_appimage::offset(&image).expect("offset");
    let (dir, held) = yiqifu_appimage::unpacked(&image, offset, &cache).expect("unpack");
    drop(held);
    let name = dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    std::fs::remove_dir_all(&dir).expect("remove");

    let staging = cache.join(format!(".{name}.{}.0", std::process::id()));
    std::fs::create_dir_all(&staging).expect("staging");
    std::fs::write(staging.join("theirs"), b"").expect("theirs");
    let other = std::fs::File::create(cache.join(format!(".{name}.{}.0.lock", std::process::id())))
        .expect("lock");
    other.lock().expect("lock");

    let (again, _held) = yiqifu_appimage::unpacked(&image, offset, &cache).expect("unpack");
    assert_eq!(again, dir);
    assert!(dir.join("usr/bin/app").exists());
    assert!(
        staging.join("theirs").exists(),
        "another's staging folder was used"
    );
}

/// Kills starts while they unpack a larger image: the folder the next start trusts appears
/// only whole, and the next start, uninterrupted, runs the app.
#[test]
fn a_start_killed_while_unpacking_leaves_no_folder_that_is_trusted() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cache = tmp.path().join("cache");
    let image = appimage(tmp.path(), &squashfs(1000, 8192));
    let dir = cache.join("yiqifu-appimage");

    let mut landed = 0;
    let tries = 10;
    for _ in 0..tries {
        let _ = std::fs::remove_dir_all(&cache);
        let mut child = spawned(
            Command::new(&image)
                .env("XDG_CACHE_HOME", &cache)
                .stdout(std::process::Stdio::null()),
        );
        let started = Instant::now();
        // Wait until the start is unpacking (a folder of its has files), then kill it.
        let mid = loop {
            let staging = std::fs::read_dir(&dir)
                .map(|d| {
                    d.flatten().any(|e| {
                        std::fs::read_dir(e.path().join("data"))
                            .map(|f| f.count() > 10)
                            .unwrap_or(false)
                    })
                })
                .unwrap_or(false);
            if staging {
                break true;
            }
            if child.try_wait().expect("wait").is_some() {
                break false;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the start neither unpacked nor ended within 60 s"
            );
            std::thread::sleep(Duration::from_millis(2));
        };
        child.kill().expect("kill");
        child.wait().expect("reap");
        if !mid {
            continue;
        }
        let trusted: Vec<_> = unpacked(&cache)
            .into_iter()
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        if trusted.is_empty() {
            landed += 1;
        } else {
            // The kill came after the rename: the folder must be whole.
            let files = std::fs::read_dir(trusted[0].join("data")).map_or(0, |d| d.count());
            assert_eq!(files, 1000, "{trusted:?}");
            assert!(trusted[0].join("usr/bin/app").exists(), "{trusted:?}");
        }
        let out = start(&image, &cache, tmp.path(), &["after"]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("args:after"), "{}", text(&out));
        let left = unpacked(&cache);
        assert_eq!(
            left.len(),
            1,
            "the killed start's staging folder is cleared: {left:?}"
        );
        // A kill between the rename and the staging lock's removal may leave that lock file,
        // which guards nothing; the folder's own must be there.
        let lock = PathBuf::from(format!("{}.lock", left[0].display()));
        assert!(lock.exists(), "the folder's lock file is missing");
    }
    println!("kills that landed mid-unpacking: {landed} of {tries}");
    assert!(
        landed > 0,
        "no kill landed while the image was being unpacked"
    );
}
