//! Its own test binary, so no other test's allocations move this process's peak memory.
#![cfg(target_os = "linux")]

use std::{
    fs::{self, File},
    io::{BufWriter, Write},
};

use sha2::{Digest, Sha256};
use yiqifu_files::{
    verify_package, write_package, Entry, Manifest, ManifestFile, ManifestSelfCheck,
};

const MIB: usize = 1024 * 1024;

/// Peak resident memory of this process (VmHWM), in bytes.
fn peak_rss() -> u64 {
    let status = fs::read_to_string("/proc/self/status").expect("status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .expect("number");
    kib * 1024
}

/// Writes `mib` MiB of real (not sparse) bytes, different in every MiB, and returns their
/// SHA-256; memory stays at one MiB.
fn write_file(path: &std::path::Path, mib: usize, seed: u64) -> String {
    let mut block = vec![0u8; MIB];
    let mut x = seed | 1;
    for b in block.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    let mut out = BufWriter::new(File::create(path).expect("create"));
    let mut hasher = Sha256::new();
    for i in 0..mib {
        block[..8].copy_from_slice(&(i as u64).to_le_bytes());
        out.write_all(&block).expect("write");
        hasher.update(&block);
    }
    out.flush().expect("flush");
    hex::encode(hasher.finalize())
}

#[test]
fn a_200_mib_package_is_built_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("dir");
    let sizes = [80, 60, 40, 18, 2];
    let mut entries = Vec::new();
    let mut files = Vec::new();
    for (i, mib) in sizes.into_iter().enumerate() {
        let source = dir.path().join(format!("scan{i}.pdf"));
        let sha256 = write_file(&source, mib, i as u64 + 11);
        let path = format!("materials/scans/scan{i}.pdf");
        let size = (mib * MIB) as u64;
        files.push(ManifestFile {
            path: path.clone(),
            material_type: "scans".into(),
            original_name: format!("scan{i}.pdf"),
            size,
            sha256: sha256.clone(),
        });
        // One of them deflated, so the deflate path is measured too.
        entries.push(Entry {
            path,
            source,
            size,
            sha256,
            compress: i == 4,
        });
    }
    let manifest = Manifest {
        format: 1,
        client_version: "0.1.0".into(),
        credit_code: "91310000MA1FL0XX0X".into(),
        enterprise_name: "上海示例精密制造有限公司".into(),
        selfcheck: ManifestSelfCheck {
            run_id: "r".into(),
            template_id: "t".into(),
            template_version: 1,
            answers_sha256: "0".repeat(64),
        },
        files,
    };
    let before = peak_rss();
    let out = dir.path().join("package.zip");
    let packed = write_package(&out, &manifest, &entries, &mut |_, _| {}).expect("pack");
    let grown = peak_rss().saturating_sub(before);
    eprintln!("packing grew peak memory by {} KiB", grown / 1024);
    assert!(packed.size > 200 * MIB as u64);
    // Three 1 MiB buffers, the write buffer, deflate state and a thread stack: a few MiB.
    // Holding one of the large sources whole would add 18 MiB or more.
    assert!(
        grown < 16 * MIB as u64,
        "peak memory grew by {} MiB",
        grown / MIB as u64
    );
    let before = peak_rss();
    verify_package(&out).expect("verifies");
    let grown = peak_rss().saturating_sub(before);
    assert!(
        grown < 16 * MIB as u64,
        "verify grew peak memory by {} MiB",
        grown / MIB as u64
    );
}
