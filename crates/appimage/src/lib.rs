//! The runtime at the head of the Linux AppImage (type 2: this ELF program, then a squashfs
//! image of the app's folder).
//!
//! The usual runtime mounts the image with FUSE, which many desktops no longer ship (Ubuntu
//! 22.04 and later have no libfuse2) and which every AppImage tool downloads from GitHub. This
//! one unpacks the image once into the user's cache, in a folder named after the image, and
//! starts `AppRun` from there: the next start of the same image finds the folder and starts at
//! once. A folder appears under its name only complete (it is unpacked beside it and renamed),
//! so a start that is killed half-way leaves nothing a later start would trust.
//!
//! Each start holds a shared lock on `<folder>.lock` and hands it to the app across the exec, so
//! the lock lasts as long as the app runs; a start unpacking holds its staging folder's lock
//! alone. A start of a new image removes only the folders whose lock it can take alone: those
//! no running app and no other start uses. A folder is renamed out of its name before it is
//! removed, so a removal cut short never leaves a trusted name on part of a folder.
//!
//! Linux only: the module is empty elsewhere (the workspace is checked for Windows and macOS).
#![cfg(target_os = "linux")]

use std::ffi::OsString;
use std::fs::{File, TryLockError};
use std::io::{BufReader, ErrorKind, Read, Seek, SeekFrom};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Component, Path, PathBuf};

use backhand::{FilesystemReader, InnerNode};

/// The bytes an AppImage of type 2 carries at offset 8 of its ELF header ("AI", 2), by which
/// desktops and libappimage know it for one.
pub const MAGIC: [u8; 3] = *b"AI\x02";

/// The squashfs superblock's size and its first bytes.
const SUPERBLOCK: usize = 96;
const SQUASHFS_MAGIC: &[u8; 4] = b"hsqs";
/// Where the superblock keeps the image's length in bytes (little-endian, as squashfs 4 is).
const BYTES_USED: usize = 40;

/// The folder, under the user's cache, that holds the unpacked images.
const CACHE_NAME: &str = "yiqifu-appimage";

/// Why the AppImage could not start. Messages are Chinese, then English.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is not this runtime followed by a squashfs image: damaged in the download, or
    /// cut short.
    #[error(
        "{path} 不是完整的 AppImage（{why}），请重新下载 / {path} is not a whole AppImage ({why}): download it again",
        path = .path.display()
    )]
    NotAnImage { path: PathBuf, why: String },
    /// The image names a file outside its own folder (`..`), or one path twice (which could
    /// lead a later entry through a link out of the folder): no honest image does.
    #[error(
        "AppImage 中的路径越出了它的文件夹或重复出现：{path}，请重新下载 / the AppImage holds a path outside its folder, or twice: {path}; download it again",
        path = .0.display()
    )]
    UnsafePath(PathBuf),
    /// Reading the image, or writing what it holds, failed.
    #[error(
        "无法{what} {path}：{source}（请检查磁盘空间和权限） / cannot {what_en} {path}: {source} (check the disk's free space and permissions)",
        path = .path.display()
    )]
    Io {
        what: &'static str,
        what_en: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The unpacked app could not be started.
    #[error(
        "无法启动 {path}：{source}{zh} / cannot start {path}: {source}{en}",
        path = .path.display(),
        zh = noexec(.source).0,
        en = noexec(.source).1
    )]
    Start {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Neither `XDG_CACHE_HOME` nor `HOME` says where the user's cache is.
    #[error("找不到用户的缓存文件夹：请设置 HOME / no cache folder for this user: set HOME")]
    NoCache,
    /// An option this runtime does not have.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// A stable code, never renamed once released.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAnImage { .. } => "APPIMAGE_DAMAGED",
            Self::UnsafePath(_) => "APPIMAGE_UNSAFE_PATH",
            Self::Io { .. } => "APPIMAGE_IO",
            Self::Start { .. } => "APPIMAGE_START_FAILED",
            Self::NoCache => "APPIMAGE_NO_CACHE",
            Self::Usage(_) => "APPIMAGE_USAGE",
        }
    }

    /// The exit status, as shells read them: 2 for a wrong option, 126 for a program that may
    /// not run, 127 for one that is not there, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Start { source, .. } if source.kind() == ErrorKind::PermissionDenied => 126,
            Self::Start { .. } => 127,
            _ => 1,
        }
    }

    fn io(
        what: &'static str,
        what_en: &'static str,
        path: &Path,
    ) -> impl Fn(std::io::Error) -> Self {
        let path = path.to_path_buf();
        move |source| Self::Io {
            what,
            what_en,
            path: path.clone(),
            source,
        }
    }
}

/// What to do when the system refuses to run the unpacked app: most often a cache on a disk
/// mounted `noexec`.
fn noexec(source: &std::io::Error) -> (&'static str, &'static str) {
    if source.kind() == ErrorKind::PermissionDenied {
        (
            "。如果缓存所在的磁盘禁止运行程序（noexec），请把 XDG_CACHE_HOME 设为其他磁盘上的文件夹，或用 --appimage-extract 解开后运行 squashfs-root/AppRun",
            ". If the cache's disk does not allow programs to run (noexec), set XDG_CACHE_HOME to a folder on another disk, or unpack with --appimage-extract and run squashfs-root/AppRun",
        )
    } else {
        ("", "")
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

const HELP: &str = "\
Yiqifu Desktop AppImage 益企服桌面端

Starts the app, unpacking it into the user's cache the first time.

  --appimage-extract   unpack the whole image into ./squashfs-root
  --appimage-offset    print where the image starts in this file
  --appimage-version   print this runtime's version
  --appimage-help      print this help

Every other argument is passed to the app.";

/// What the runtime was asked for: its own options begin with `--appimage-`, as with every
/// AppImage; anything else is the app's.
pub fn main(image: &Path, mut args: Vec<OsString>) -> Result<()> {
    let own = args
        .first()
        .and_then(|a| a.to_str())
        .filter(|a| a.starts_with("--appimage-"))
        .map(str::to_owned);
    let Some(option) = own else {
        return run(image, args);
    };
    args.remove(0);
    let no_more = |args: &[OsString]| match args.first() {
        Some(extra) => Err(Error::Usage(format!(
            "{option} takes no argument (got {}): this runtime unpacks the whole image",
            extra.to_string_lossy()
        ))),
        None => Ok(()),
    };
    match option.as_str() {
        "--appimage-extract" => {
            no_more(&args)?;
            let dest = PathBuf::from("squashfs-root");
            if dest.exists() {
                return Err(Error::Usage(format!(
                    "squashfs-root is already here: move it away or remove it, then extract again ({})",
                    std::env::current_dir().unwrap_or_default().display()
                )));
            }
            unpack(image, offset(image)?, &dest)?;
            println!("squashfs-root");
            Ok(())
        }
        "--appimage-offset" => {
            no_more(&args)?;
            println!("{}", offset(image)?);
            Ok(())
        }
        "--appimage-version" => {
            println!("yiqifu-appimage-runtime {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        "--appimage-help" => {
            println!("{HELP}");
            Ok(())
        }
        // The usual runtime's fallback without FUSE is what this one always does.
        "--appimage-extract-and-run" => run(image, args),
        other => Err(Error::Usage(format!(
            "{other} is not an option of this runtime (it unpacks rather than mounts)\n\n{HELP}"
        ))),
    }
}

/// Where the image starts in `image`: at the end of the ELF program before it, which is the
/// end of its section header table (the linker puts that last).
pub fn offset(image: &Path) -> Result<u64> {
    let damaged = |why: String| Error::NotAnImage {
        path: image.to_path_buf(),
        why,
    };
    let mut file = File::open(image).map_err(Error::io("打开", "open", image))?;
    let mut head = [0u8; 64];
    file.read_exact(&mut head)
        .map_err(|e| damaged(format!("no ELF header: {e}")))?;
    let end = elf_end(&head).map_err(damaged)?;
    let mut superblock = [0u8; SUPERBLOCK];
    file.seek(SeekFrom::Start(end))
        .and_then(|_| file.read_exact(&mut superblock))
        .map_err(|e| damaged(format!("no squashfs image at byte {end}: {e}")))?;
    if &superblock[..4] != SQUASHFS_MAGIC {
        return Err(damaged(format!("no squashfs image at byte {end}")));
    }
    // A download that stopped leaves the superblock whole and the tables after the data cut:
    // the superblock says how long the image is.
    let mut used = [0u8; 8];
    used.copy_from_slice(&superblock[BYTES_USED..BYTES_USED + 8]);
    let used = u64::from_le_bytes(used);
    let len = file
        .metadata()
        .map_err(Error::io("读取", "read", image))?
        .len();
    let have = len.saturating_sub(end);
    if have < used {
        return Err(damaged(format!("cut short: {have} of its {used} bytes")));
    }
    Ok(end)
}

/// The end of the section header table of the ELF file whose first 64 bytes are `head`.
fn elf_end(head: &[u8; 64]) -> std::result::Result<u64, String> {
    if &head[..4] != b"\x7fELF" {
        return Err("not an ELF program".into());
    }
    let little = match head[5] {
        1 => true,
        2 => false,
        other => return Err(format!("unknown ELF byte order {other}")),
    };
    // An unsigned field of `len` bytes at `at`, in the file's byte order.
    let field = |at: usize, len: usize| {
        let bytes = &head[at..at + len];
        let fold = |n: u64, b: &u8| n << 8 | u64::from(*b);
        if little {
            bytes.iter().rev().fold(0, fold)
        } else {
            bytes.iter().fold(0, fold)
        }
    };
    let (shoff, entsize, count) = match head[4] {
        1 => (field(0x20, 4), field(0x2E, 2), field(0x30, 2)),
        2 => (field(0x28, 8), field(0x3A, 2), field(0x3C, 2)),
        other => return Err(format!("unknown ELF class {other}")),
    };
    if shoff == 0 || count == 0 {
        return Err("the program has no section headers to find its end by".into());
    }
    shoff
        .checked_add(entsize * count)
        .ok_or_else(|| "section headers past any file's end".into())
}

/// The user's cache folder for unpacked images: `$XDG_CACHE_HOME`, else `~/.cache`.
fn cache_root() -> Result<PathBuf> {
    let absolute = |v: Option<OsString>| v.map(PathBuf::from).filter(|p| p.is_absolute());
    absolute(std::env::var_os("XDG_CACHE_HOME"))
        .or_else(|| absolute(std::env::var_os("HOME")).map(|h| h.join(".cache")))
        .map(|c| c.join(CACHE_NAME))
        .ok_or(Error::NoCache)
}

/// The unpacked folder's name: this version, and a digest of what tells one image from
/// another (its superblock, which records when it was made and how long it is, and the
/// file's length and modification time), so a new download is unpacked anew.
fn folder_name(image: &Path, offset: u64) -> Result<String> {
    use std::hash::{Hash, Hasher};
    let read = Error::io("读取", "read", image);
    let mut file = File::open(image).map_err(&read)?;
    let meta = file.metadata().map_err(&read)?;
    let mut superblock = [0u8; SUPERBLOCK];
    file.seek(SeekFrom::Start(offset))
        .and_then(|_| file.read_exact(&mut superblock))
        .map_err(&read)?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    superblock.hash(&mut h);
    meta.len().hash(&mut h);
    meta.modified().ok().hash(&mut h);
    offset.hash(&mut h);
    Ok(format!("{}-{:016x}", env!("CARGO_PKG_VERSION"), h.finish()))
}

/// Unpacks the image (once) and replaces this process with its `AppRun`.
fn run(image: &Path, args: Vec<OsString>) -> Result<()> {
    let at = offset(image)?;
    let cache = cache_root()?;
    let mut tried = false;
    loop {
        let (dir, held) = unpacked(image, at, &cache)?;
        // The app keeps the lock for as long as it runs: no later start removes its folder.
        rustix::io::fcntl_setfd(&held, rustix::io::FdFlags::empty())
            .map_err(|e| Error::io("锁定", "lock", &dir)(e.into()))?;
        let app_run = dir.join("AppRun");
        let mut cmd = std::process::Command::new(&app_run);
        cmd.args(&args)
            .env("APPIMAGE", image)
            .env("APPDIR", &dir)
            .env("ARGV0", std::env::args_os().next().unwrap_or_default());
        if let Ok(here) = std::env::current_dir() {
            cmd.env("OWD", here);
        }
        // exec returns only when it failed.
        let source = cmd.exec();
        // The app's files gone from the folder (a cache cleaner took some), not a library or
        // loader missing: put the folder aside for the next tidy, and unpack once more; only
        // when no running app holds it, as tidy would.
        let gone = std::fs::metadata(&app_run).is_err_and(|e| e.kind() == ErrorKind::NotFound);
        if gone && !tried {
            tried = true;
            drop(held);
            let guard = lock_of(&dir);
            if let Some(alone) = lock(&guard, Hold::Alone)? {
                let aside = cache.join(format!(
                    ".{}.broken.{}",
                    dir.file_name().unwrap_or_default().to_string_lossy(),
                    std::process::id()
                ));
                let moved = std::fs::rename(&dir, &aside).is_ok();
                let _ = std::fs::remove_file(&guard);
                drop(alone);
                if moved {
                    continue;
                }
            }
        }
        return Err(Error::Start {
            path: app_run,
            source,
        });
    }
}

/// How a lock is taken: shared, waiting for a removal under way; or alone, if free now.
#[derive(Clone, Copy)]
enum Hold {
    Shared,
    Alone,
}

/// A lock on the file at `path` (made if missing), or `None` when `Alone` finds it taken.
fn lock(path: &Path, how: Hold) -> Result<Option<File>> {
    let failed = Error::io("锁定", "lock", path);
    loop {
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(&failed)?;
        match how {
            Hold::Shared => file.lock_shared().map_err(&failed)?,
            Hold::Alone => match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(failed(e)),
            },
        }
        // A start that removed the file between this open and this lock leaves a lock on a
        // file no longer at `path`, which guards nothing: take the one there now.
        let ours = file.metadata().map_err(&failed)?;
        match std::fs::metadata(path) {
            Ok(now) if now.ino() == ours.ino() && now.dev() == ours.dev() => return Ok(Some(file)),
            _ => continue,
        }
    }
}

/// The lock file that guards the folder at `dir`.
fn lock_of(dir: &Path) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    dir.with_file_name(name)
}

/// The image unpacked under `cache` (the folder an earlier start left, or a new one) and the
/// shared lock that keeps it there.
pub fn unpacked(image: &Path, offset: u64, cache: &Path) -> Result<(PathBuf, File)> {
    let name = folder_name(image, offset)?;
    let dir = cache.join(&name);
    std::fs::create_dir_all(cache).map_err(Error::io("创建", "create", cache))?;
    let held = lock(&lock_of(&dir), Hold::Shared)?.ok_or_else(|| {
        Error::io("锁定", "lock", &dir)(std::io::Error::other("the lock was not taken"))
    })?;
    if dir.is_dir() {
        return Ok((dir, held));
    }
    tidy(cache, &name);
    // A staging folder is used only under its lock: one taken (another start's tidy holds it
    // for a moment, or a start of the same pid in another namespace) sends this start to the
    // next name.
    let mut n = 0u32;
    let (staging, staging_lock, alone) = loop {
        let staging = cache.join(format!(".{name}.{}.{n}", std::process::id()));
        let staging_lock = lock_of(&staging);
        if let Some(alone) = lock(&staging_lock, Hold::Alone)? {
            break (staging, staging_lock, alone);
        }
        n += 1;
    };
    remove_tree(&staging);
    let unpacking = unpack(image, offset, &staging);
    let placed = match unpacking {
        Ok(()) => match std::fs::rename(&staging, &dir) {
            Ok(()) => Ok(()),
            // Another start of the same image unpacked it first: its folder is as good.
            Err(_) if dir.is_dir() => Ok(()),
            Err(e) => Err(Error::io("放置", "put in place", &dir)(e)),
        },
        Err(e) => Err(e),
    };
    remove_tree(&staging);
    let _ = std::fs::remove_file(&staging_lock);
    drop(alone);
    placed.map(|()| (dir, held))
}

/// Removes what other images and earlier starts left in `cache` that nobody holds: other
/// versions' folders no app runs from, and staging folders whose start has ended. `keep` is the
/// folder this start uses.
fn tidy(cache: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let folder = match name.strip_suffix(".lock") {
            // A lock file goes with its folder; one left alone is removed below with it.
            Some(of) if of == keep || cache.join(of).exists() => continue,
            Some(of) => of.to_string(),
            None if name == keep || !path.is_dir() => continue,
            None => name,
        };
        let dir = cache.join(&folder);
        let guard = lock_of(&dir);
        let Ok(Some(_alone)) = lock(&guard, Hold::Alone) else {
            continue;
        };
        let doomed = if folder.starts_with('.') || !dir.exists() {
            dir
        } else {
            let aside = cache.join(format!(".{folder}.gone.{}", std::process::id()));
            if std::fs::rename(&dir, &aside).is_err() {
                continue;
            }
            aside
        };
        remove_tree(&doomed);
        let _ = std::fs::remove_file(&guard);
    }
}

/// Removes the folder at `path` and what it holds, read-only folders of the image included
/// (which would keep their files otherwise), as far as it can.
fn remove_tree(path: &Path) {
    fn writable(dir: &Path) {
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    writable(&e.path());
                }
            }
        }
    }
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        writable(path);
        let _ = std::fs::remove_dir_all(path);
    }
}

/// Writes every folder, file and link of the image at `offset` in `image` under `dest`, with
/// the image's modes (less set-user and set-group bits).
pub fn unpack(image: &Path, offset: u64, dest: &Path) -> Result<()> {
    let read = Error::io("读取", "read", image);
    let file = File::open(image).map_err(&read)?;
    let fs =
        FilesystemReader::from_reader_with_offset(BufReader::new(file), offset).map_err(|e| {
            Error::NotAnImage {
                path: image.to_path_buf(),
                why: e.to_string(),
            }
        })?;
    std::fs::create_dir(dest).map_err(Error::io("创建", "create", dest))?;
    // Nothing is made where something stands already: an image naming one path twice (a link,
    // then a folder or file of the same name) would otherwise have its later entries follow
    // the link out of `dest`.
    let made = |path: &Path, e: std::io::Error| {
        if e.kind() == ErrorKind::AlreadyExists {
            Error::UnsafePath(path.to_path_buf())
        } else {
            Error::io("写入", "write", path)(e)
        }
    };
    // Folders take their modes last, so one without write permission is still filled.
    let mut folders = Vec::new();
    for node in fs.files() {
        let relative = inside(&node.fullpath)?;
        if relative.as_os_str().is_empty() {
            folders.push((
                dest.to_path_buf(),
                u32::from(node.header.permissions) & 0o777,
            ));
            continue;
        }
        let path = dest.join(&relative);
        let mode = u32::from(node.header.permissions) & 0o777;
        match &node.inner {
            InnerNode::Dir(_) => {
                std::fs::create_dir(&path).map_err(|e| made(&node.fullpath, e))?;
                folders.push((path, mode));
            }
            InnerNode::File(f) => {
                let mut out = File::create_new(&path).map_err(|e| made(&node.fullpath, e))?;
                std::io::copy(&mut fs.file(f).reader(), &mut out)
                    .map_err(Error::io("写入", "write", &path))?;
                out.set_permissions(std::fs::Permissions::from_mode(mode))
                    .map_err(Error::io("写入", "write", &path))?;
            }
            InnerNode::Symlink(link) => {
                std::os::unix::fs::symlink(&link.link, &path)
                    .map_err(|e| made(&node.fullpath, e))?;
            }
            // Devices, pipes and sockets have no place in an app's folder.
            _ => {}
        }
    }
    for (path, mode) in folders.into_iter().rev() {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
            .map_err(Error::io("写入", "write", &path))?;
    }
    Ok(())
}

/// `path` (absolute in the image) as a path under the unpacked folder.
fn inside(path: &Path) -> Result<PathBuf> {
    let mut relative = PathBuf::new();
    for c in path.components() {
        match c {
            Component::RootDir | Component::CurDir => {}
            Component::Normal(part) => relative.push(part),
            Component::ParentDir | Component::Prefix(_) => {
                return Err(Error::UnsafePath(path.to_path_buf()))
            }
        }
    }
    Ok(relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_that_climbs_out_of_the_folder_is_refused() {
        assert_eq!(
            inside(Path::new("/usr/bin/app")).expect("inside"),
            PathBuf::from("usr/bin/app")
        );
        assert_eq!(inside(Path::new("/")).expect("root"), PathBuf::new());
        let e = inside(Path::new("/usr/../../etc/passwd")).expect_err("outside");
        assert_eq!(e.code(), "APPIMAGE_UNSAFE_PATH");
        assert!(e.to_string().contains("outside its folder"), "{e}");
    }

    #[test]
    fn a_refused_start_says_what_to_do_and_exits_as_shells_expect() {
        let refused = Error::Start {
            path: "/c/AppRun".into(),
            source: std::io::Error::from(ErrorKind::PermissionDenied),
        };
        assert_eq!(refused.exit_code(), 126);
        assert!(refused.to_string().contains("XDG_CACHE_HOME"), "{refused}");
        assert!(refused.to_string().contains("noexec"), "{refused}");
        let missing = Error::Start {
            path: "/c/AppRun".into(),
            source: std::io::Error::from(ErrorKind::NotFound),
        };
        assert_eq!(missing.exit_code(), 127);
        assert!(!missing.to_string().contains("noexec"), "{missing}");
        assert_eq!(Error::Usage("--x".into()).exit_code(), 2);
        assert_eq!(Error::NoCache.exit_code(), 1);
    }

    #[test]
    fn the_program_ends_where_its_section_headers_end() {
        let mut head = [0u8; 64];
        head[..4].copy_from_slice(b"\x7fELF");
        head[4] = 2; // 64-bit
        head[5] = 1; // little-endian
        head[0x28..0x30].copy_from_slice(&1000u64.to_le_bytes());
        head[0x3A..0x3C].copy_from_slice(&64u16.to_le_bytes());
        head[0x3C..0x3E].copy_from_slice(&30u16.to_le_bytes());
        assert_eq!(elf_end(&head), Ok(1000 + 64 * 30));
        head[4] = 1; // 32-bit, its fields elsewhere
        head[0x20..0x24].copy_from_slice(&500u32.to_le_bytes());
        head[0x2E..0x30].copy_from_slice(&40u16.to_le_bytes());
        head[0x30..0x32].copy_from_slice(&10u16.to_le_bytes());
        assert_eq!(elf_end(&head), Ok(500 + 40 * 10));
        head[0] = b'M';
        assert!(elf_end(&head).is_err());
    }
}
