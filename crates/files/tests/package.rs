mod common;

use std::{
    collections::HashSet,
    fs::{self, File},
    io::Read,
    path::{Path, PathBuf},
};

use sha2::{Digest, Sha256};
use tempfile::TempDir;
use yiqifu_files::{
    entry_path, verify_package, write_package, write_package_to, Entry, Error, Manifest,
    ManifestFile, ManifestSelfCheck, Packed,
};
use zip::{CompressionMethod, ZipArchive};

/// Bytes that do not compress and do not repeat: a stand-in for a scan.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

struct Fixture {
    dir: TempDir,
    entries: Vec<Entry>,
    manifest: Manifest,
}

impl Fixture {
    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn entry(&self, original: &str) -> &Entry {
        let file = self
            .manifest
            .files
            .iter()
            .find(|f| f.original_name == original)
            .expect("listed");
        self.entries
            .iter()
            .find(|e| e.path == file.path)
            .expect("entry")
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("dir");
    fs::create_dir(dir.path().join("store")).expect("store");
    let csv = "姓名,身份证号,岗位\n张三,310101199001011234,操作工\n".repeat(4000);
    let materials: Vec<(&str, &str, Vec<u8>, bool)> = vec![
        ("staff_list", "员工名单.csv", csv.into_bytes(), true),
        ("commitment_letter", "承诺书.pdf", common::pdf(), false),
        ("site_photos", "现场照片.jpg", common::jpeg(120, 90), false),
        ("site_photos", "现场照片.jpg", common::jpeg(90, 120), false),
        (
            "floor_plan",
            "厂区平面图.png",
            noise(3 * 1024 * 1024 + 12_345, 7),
            false,
        ),
    ];
    let mut taken = HashSet::new();
    let mut entries = Vec::new();
    let mut files = Vec::new();
    for (i, (kind, name, bytes, compress)) in materials.into_iter().enumerate() {
        let source = common::write(&dir.path().join("store"), &format!("{i}.bin"), &bytes);
        let path = entry_path(kind, name, &mut taken);
        let sha256 = sha256_hex(&bytes);
        files.push(ManifestFile {
            path: path.clone(),
            material_type: kind.to_owned(),
            original_name: name.to_owned(),
            size: bytes.len() as u64,
            sha256: sha256.clone(),
        });
        entries.push(Entry {
            path,
            source,
            size: bytes.len() as u64,
            sha256,
            compress,
        });
    }
    let manifest = Manifest {
        format: 1,
        client_version: "0.1.0".to_owned(),
        credit_code: "91310000MA1FL0XX0X".to_owned(),
        enterprise_name: "上海示例精密制造有限公司".to_owned(),
        selfcheck: ManifestSelfCheck {
            run_id: "run-1".to_owned(),
            template_id: "resume-2022".to_owned(),
            template_version: 3,
            answers_sha256: "ab".repeat(32),
        },
        files,
    };
    Fixture {
        dir,
        entries,
        manifest,
    }
}

fn pack(f: &Fixture, out: &Path) -> Result<Packed, Error> {
    write_package(out, &f.manifest, &f.entries, &mut |_, _| {})
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "store")
        .collect()
}

#[test]
fn rebuilding_gives_identical_bytes_whatever_the_input_order() {
    let mut f = fixture();
    let first = pack(&f, &f.out("a.zip")).expect("pack");
    f.entries.reverse();
    f.manifest.files.reverse();
    let second = pack(&f, &f.out("b.zip")).expect("pack again");
    let a = fs::read(f.out("a.zip")).expect("read");
    let b = fs::read(f.out("b.zip")).expect("read");
    assert!(a == b, "the two packages differ");
    assert_eq!(first, second);
    assert_eq!(first.sha256, sha256_hex(&a));
    assert_eq!(first.size, a.len() as u64);
    // The same bytes through any writer, without Seek.
    let mut buffer = Vec::new();
    let to_vec =
        write_package_to(&mut buffer, &f.manifest, &f.entries, &mut |_, _| {}).expect("to vec");
    assert!(buffer == a);
    assert_eq!(to_vec, first);
}

#[test]
fn the_zip_reads_back_manifest_first_sorted_with_the_right_methods() {
    let f = fixture();
    let out = f.out("p.zip");
    pack(&f, &out).expect("pack");
    let mut zip = ZipArchive::new(File::open(&out).expect("open")).expect("zip");
    let names: Vec<String> = (0..zip.len())
        .map(|i| {
            zip.by_index(i)
                .expect("entry")
                .name()
                .expect("name")
                .into_owned()
        })
        .collect();
    let mut paths: Vec<String> = f.entries.iter().map(|e| e.path.clone()).collect();
    paths.sort();
    assert_eq!(names[0], "manifest.json");
    assert_eq!(names[1..], paths[..]);
    assert!(
        names.contains(&"materials/site_photos/现场照片 (2).jpg".to_owned()),
        "{names:?}"
    );

    let mut manifest_json = String::new();
    let mut first = zip.by_index(0).expect("manifest");
    assert_eq!(first.compression(), CompressionMethod::Deflated);
    first.read_to_string(&mut manifest_json).expect("read");
    drop(first);
    let read: Manifest = serde_json::from_str(&manifest_json).expect("json");
    let mut expected = f.manifest.clone();
    expected.files.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(read, expected);
    assert!(
        manifest_json.starts_with("{\n  \"format\": 1,\n  \"client_version\""),
        "{manifest_json}"
    );

    for entry in &f.entries {
        let mut file = zip.by_name(&entry.path).expect("entry");
        let method = if entry.compress {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        assert_eq!(file.compression(), method, "{}", entry.path);
        let time = file.last_modified().expect("time");
        assert_eq!(
            (time.year(), time.month(), time.day(), time.hour()),
            (2022, 1, 1, 0)
        );
        assert_eq!(file.unix_mode(), Some(0o100644));
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("content");
        assert!(
            content == fs::read(&entry.source).expect("source"),
            "{}",
            entry.path
        );
    }
    // The CSV really was deflated: it is highly repetitive.
    let csv = zip.by_name(&f.entry("员工名单.csv").path).expect("csv");
    assert!(csv.compressed_size() * 10 < csv.size());
}

#[test]
fn verify_reads_the_manifest_and_catches_a_flipped_byte() {
    let f = fixture();
    let out = f.out("p.zip");
    pack(&f, &out).expect("pack");
    let mut expected = f.manifest.clone();
    expected.files.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(verify_package(&out).expect("verifies"), expected);

    let mut bytes = fs::read(&out).expect("read");
    let scan = fs::read(&f.entry("厂区平面图.png").source).expect("source");
    let at = bytes
        .windows(64)
        .position(|w| w == &scan[1_000_000..1_000_064])
        .expect("stored data");
    bytes[at + 10] ^= 0x01;
    let damaged = f.out("damaged.zip");
    fs::write(&damaged, &bytes).expect("write");
    let err = verify_package(&damaged).expect_err("damaged");
    assert_eq!(err.code(), "PACKAGE_DAMAGED");
    assert!(
        err.message_zh().contains("厂区平面图.png"),
        "{}",
        err.message_zh()
    );

    let not_zip = f.out("not.zip");
    fs::write(&not_zip, b"hello").expect("write");
    assert_eq!(
        verify_package(&not_zip).map_err(|e| e.code()).err(),
        Some("PACKAGE_DAMAGED")
    );
}

#[test]
fn a_changed_stored_copy_is_refused_by_name_and_leaves_nothing_behind() {
    let f = fixture();
    let out = f.out("p.zip");
    // Same size, one byte different: only the SHA-256 can tell.
    let source = &f.entry("承诺书.pdf").source;
    let mut bytes = fs::read(source).expect("read");
    bytes[20] ^= 0x20;
    fs::write(source, &bytes).expect("write");
    let err = pack(&f, &out).expect_err("refused");
    assert_eq!(err.code(), "SOURCE_CHANGED");
    assert!(
        err.message_zh().contains("承诺书.pdf"),
        "{}",
        err.message_zh()
    );
    assert!(
        leftovers(f.dir.path()).is_empty(),
        "{:?}",
        leftovers(f.dir.path())
    );

    // Grown by one byte.
    bytes[20] ^= 0x20;
    bytes.push(b'\n');
    fs::write(source, &bytes).expect("write");
    assert_eq!(
        pack(&f, &out).map_err(|e| e.code()).err(),
        Some("SOURCE_CHANGED")
    );
    // Gone.
    fs::remove_file(source).expect("remove");
    assert_eq!(
        pack(&f, &out).map_err(|e| e.code()).err(),
        Some("SOURCE_UNREADABLE")
    );
    assert!(
        leftovers(f.dir.path()).is_empty(),
        "{:?}",
        leftovers(f.dir.path())
    );
}

#[test]
fn a_failed_rebuild_keeps_the_previous_package() {
    let f = fixture();
    let out = f.out("p.zip");
    pack(&f, &out).expect("pack");
    let before = fs::read(&out).expect("read");
    fs::write(&f.entry("员工名单.csv").source, b"changed").expect("write");
    assert!(pack(&f, &out).is_err());
    assert!(fs::read(&out).expect("read") == before);
}

#[test]
fn progress_is_monotonic_throttled_and_reaches_the_total() {
    let f = fixture();
    let total: u64 = f.entries.iter().map(|e| e.size).sum();
    let mut calls = Vec::new();
    write_package(
        &f.out("p.zip"),
        &f.manifest,
        &f.entries,
        &mut |done, all| calls.push((done, all)),
    )
    .expect("pack");
    assert_eq!(calls.first(), Some(&(0, total)));
    assert_eq!(calls.last(), Some(&(total, total)));
    assert!(calls
        .windows(2)
        .all(|w| w[0].0 <= w[1].0 && w[1].1 == total));
    // About one call per MiB, not one per file or per read.
    assert!(
        calls.len() as u64 <= total / (1024 * 1024) + 2,
        "{} calls",
        calls.len()
    );
    assert!(calls.len() >= 4, "{calls:?}");
}

#[test]
fn entries_and_manifest_must_agree_and_paths_must_be_safe() {
    let f = fixture();
    let out = f.out("p.zip");
    let mut manifest = f.manifest.clone();
    manifest.files.pop();
    let err = write_package(&out, &manifest, &f.entries, &mut |_, _| {}).expect_err("mismatch");
    assert_eq!(err.code(), "PACKAGE_INVALID");

    let mut manifest = f.manifest.clone();
    let mut entries = f.entries.clone();
    manifest.files[0].path = "../escape.csv".to_owned();
    entries[0].path = "../escape.csv".to_owned();
    let err = write_package(&out, &manifest, &entries, &mut |_, _| {}).expect_err("unsafe");
    assert_eq!(err.code(), "PACKAGE_INVALID");
    // Which path it was is for the log, not for the officer, who cannot act on it.
    assert!(err
        .detail()
        .is_some_and(|d| d.contains("unsafe path: ../escape.csv")));
    assert!(!err.message_zh().contains("escape") && !err.message_en().contains("escape"));
    assert!(!out.exists());
}
