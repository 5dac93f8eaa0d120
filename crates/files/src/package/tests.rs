use std::{
    fs,
    io::{self, Write},
    path::Path,
};

use sha2::{Digest, Sha256};

use super::*;

/// A disk that fills up after `room` bytes.
struct FillsUp<W> {
    inner: W,
    room: usize,
    error: fn() -> io::Error,
}

impl<W: Write> Write for FillsUp<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err((self.error)());
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        self.inner.write(&buf[..n])
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn enospc() -> io::Error {
    #[cfg(unix)]
    return io::Error::from_raw_os_error(28);
    #[cfg(windows)]
    return io::Error::from_raw_os_error(112);
    #[cfg(not(any(unix, windows)))]
    return io::Error::from(io::ErrorKind::StorageFull);
}

fn inputs(dir: &Path) -> (Manifest, Vec<Entry>) {
    let mut entries = Vec::new();
    let mut files = Vec::new();
    let mut taken = HashSet::new();
    for (i, (name, len)) in [("a.pdf", 3 * CHUNK_USIZE / 2), ("b.csv", 5000)]
        .into_iter()
        .enumerate()
    {
        let bytes: Vec<u8> = (0..len).map(|j| (j * 31 + i) as u8).collect();
        let source = dir.join(format!("src{i}"));
        fs::write(&source, &bytes).expect("write");
        let path = entry_path("m", name, &mut taken);
        let sha256 = hex::encode(Sha256::digest(&bytes));
        files.push(ManifestFile {
            path: path.clone(),
            material_type: "m".into(),
            original_name: name.into(),
            size: len as u64,
            sha256: sha256.clone(),
        });
        entries.push(Entry {
            path,
            source,
            size: len as u64,
            sha256,
            compress: name.ends_with(".csv"),
        });
    }
    let manifest = Manifest {
        format: MANIFEST_FORMAT,
        client_version: "t".into(),
        credit_code: "c".into(),
        enterprise_name: "e".into(),
        selfcheck: ManifestSelfCheck {
            run_id: "r".into(),
            template_id: "t".into(),
            template_version: 1,
            answers_sha256: "0".repeat(64),
        },
        files,
    };
    (manifest, entries)
}

const CHUNK_USIZE: usize = pipe::CHUNK;

#[test]
fn a_full_disk_at_any_point_is_disk_full() {
    let dir = tempfile::tempdir().expect("dir");
    let (manifest, entries) = inputs(dir.path());
    // In the manifest, in the first file's data, in the central directory.
    let full = write_package_to(Vec::new(), &manifest, &entries, &mut |_, _| {}).expect("size");
    for room in [0, 100, CHUNK_USIZE, full.size as usize - 30] {
        for error in [enospc as fn() -> io::Error, || {
            io::ErrorKind::StorageFull.into()
        }] {
            let w = FillsUp {
                inner: Vec::new(),
                room,
                error,
            };
            let err = write_package_to(w, &manifest, &entries, &mut |_, _| {}).expect_err("full");
            assert_eq!(err.code(), "DISK_FULL", "room {room}: {err}");
            assert!(err.message_zh().contains("腾出空间"));
        }
    }
    // Other write failures are not called a full disk.
    let w = FillsUp {
        inner: Vec::new(),
        room: 100,
        error: || io::ErrorKind::PermissionDenied.into(),
    };
    let err = write_package_to(w, &manifest, &entries, &mut |_, _| {}).expect_err("fails");
    assert_eq!(err.code(), "PACKAGE_WRITE_FAILED");
}

#[test]
fn a_full_disk_leaves_no_temp_file_and_no_package() {
    let dir = tempfile::tempdir().expect("dir");
    let sources = dir.path().join("sources");
    fs::create_dir(&sources).expect("mkdir");
    let (manifest, entries) = inputs(&sources);
    let out = dir.path().join("package.zip");
    let err = write_package_via(&out, &manifest, &entries, &mut |_, _| {}, &|file| {
        Box::new(FillsUp {
            inner: file,
            room: CHUNK_USIZE / 2,
            error: enospc,
        })
    })
    .expect_err("full");
    assert_eq!(err.code(), "DISK_FULL");
    let left: Vec<_> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("sources")]);
}
