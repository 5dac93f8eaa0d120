//! Times packaging: `cargo run --release -p yiqifu-files --example pack -- out.zip files...`
//! Compare the "packing" line with `openssl dgst -sha256 files...` on the same files.
//! Files with a pdf/jpg/png/docx/xlsx/zip extension are stored, the rest deflated.

use std::{collections::HashSet, fs::File, io::Read, path::PathBuf, time::Instant};

use sha2::{Digest, Sha256};
use yiqifu_files::{
    entry_path, write_package, Entry, Format, Manifest, ManifestFile, ManifestSelfCheck,
};

/// This process's user + system CPU seconds so far (Linux only): on a busy machine the
/// CPU time compares more fairly than the wall time.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: pack OUT.zip FILE...");
        std::process::exit(2);
    };
    let sources: Vec<PathBuf> = args.map(PathBuf::from).collect();

    // What the client recorded when each file was accepted; not part of packing.
    let started = Instant::now();
    let mut taken = HashSet::new();
    let mut entries = Vec::new();
    let mut files = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    for source in sources {
        let mut file = File::open(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        loop {
            let n = file.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            size += n as u64;
        }
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = name.rsplit('.').next().unwrap_or("");
        let compress = Format::parse(ext).is_none_or(|f| !f.compressed());
        let path = entry_path("bench", &name, &mut taken);
        let sha256 = hex::encode(hasher.finalize());
        files.push(ManifestFile {
            path: path.clone(),
            material_type: "bench".into(),
            original_name: name,
            size,
            sha256: sha256.clone(),
        });
        entries.push(Entry {
            path,
            source,
            size,
            sha256,
            compress,
        });
    }
    let total: u64 = entries.iter().map(|e| e.size).sum();
    eprintln!(
        "hashing the sources first (not packing): {:.3} s",
        started.elapsed().as_secs_f64()
    );

    let manifest = Manifest {
        format: 1,
        client_version: env!("CARGO_PKG_VERSION").into(),
        credit_code: "91310000MA1FL0XX0X".into(),
        enterprise_name: "示例企业".into(),
        selfcheck: ManifestSelfCheck {
            run_id: "bench".into(),
            template_id: "bench".into(),
            template_version: 1,
            answers_sha256: "0".repeat(64),
        },
        files,
    };
    let started = Instant::now();
    let cpu_before = cpu_seconds();
    match write_package(&out, &manifest, &entries, &mut |_, _| {}) {
        Ok(packed) => {
            let cpu = cpu_seconds()
                .zip(cpu_before)
                .map(|(after, before)| after - before);
            println!(
                "packing: {:.3} s wall, {} CPU, for {} MB of sources; package {} bytes, sha256 {}",
                started.elapsed().as_secs_f64(),
                cpu.map_or("?".to_owned(), |c| format!("{c:.2} s")),
                total / 1_000_000,
                packed.size,
                packed.sha256
            )
        }
        Err(e) => {
            eprintln!("{} {e}", e.code());
            std::process::exit(1);
        }
    }
}
