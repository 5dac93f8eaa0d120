//! The application's package and its upload, for `cargo xtask bench`:
//!
//! - packaging 1 GiB of mixed materials (PDFs, JPEGs, spreadsheets) against
//!   `openssl dgst -sha256` over the same files, in the same run;
//! - peak memory while packaging, for a quarter of the files and for all of them, each in a
//!   process of its own (it must not grow with the package);
//! - an upload whose client is stopped half-way and started again: the bytes sent twice,
//!   against the chunk size.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use yiqifu_core::secrets::Keychain;
use yiqifu_core::{App, ServerChoice, SyncConfig};
use yiqifu_files::{Entry, Format, Manifest, ManifestSelfCheck};
use yiqifu_tests::faultproxy::FaultProxy;

use super::{median, peak_rss_mib, Res, MIB};

/// (count, bytes each, format) making up the 1 GiB set.
const SET: [(usize, usize, Format); 3] = [
    (8, 64 * MIB, Format::Pdf),
    (64, 4 * MIB, Format::Jpg),
    (32, 8 * MIB, Format::Xlsx),
];
const RUNS: usize = 3;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Writes the set into `dir` (untimed); returns the files in order.
fn make_set(dir: &Path) -> Res<Vec<PathBuf>> {
    use std::io::Write;
    let mut out = Vec::new();
    let mut seed = 1u64;
    for (count, size, format) in SET {
        for i in 0..count {
            seed += 1;
            let path = dir.join(format!("{}-{i:03}.{}", format.as_str(), format.as_str()));
            let mut w = std::io::BufWriter::new(std::fs::File::create(&path).map_err(err)?);
            match format {
                Format::Pdf => {
                    yiqifu_files::samples::write_pdf_sized(&mut w, size, seed).map_err(err)?
                }
                Format::Jpg => w
                    .write_all(&yiqifu_files::samples::jpeg_sized(size, seed))
                    .map_err(err)?,
                _ => w
                    .write_all(&yiqifu_files::samples::xlsx_sized(size, seed))
                    .map_err(err)?,
            }
            w.flush().map_err(err)?;
            out.push(path);
        }
    }
    Ok(out)
}

fn sha256_of(path: &Path) -> Res<(String, u64)> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(err)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; MIB];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(err)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex::encode(h.finalize()), n))
}

fn entries(files: &[PathBuf]) -> Res<(Manifest, Vec<Entry>)> {
    let mut taken = std::collections::HashSet::new();
    let mut entries = Vec::new();
    let mut listed = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let format = Format::parse(name.rsplit('.').next().unwrap_or_default()).ok_or("format")?;
        let (sha256, size) = sha256_of(f)?;
        let path = yiqifu_files::entry_path("bench", &name, &mut taken);
        listed.push(yiqifu_files::ManifestFile {
            path: path.clone(),
            material_type: "bench".into(),
            original_name: name,
            size,
            sha256: sha256.clone(),
        });
        entries.push(Entry {
            path,
            source: f.clone(),
            size,
            sha256,
            compress: !format.compressed(),
        });
    }
    let manifest = Manifest {
        format: 1,
        client_version: env!("CARGO_PKG_VERSION").into(),
        credit_code: "91310115MA1K4C7P2E".into(),
        enterprise_name: "基准测试".into(),
        selfcheck: ManifestSelfCheck {
            run_id: "run-bench".into(),
            template_id: "tpl-industrial".into(),
            template_version: 2,
            answers_sha256: "0".repeat(64),
        },
        files: listed,
    };
    Ok((manifest, entries))
}

/// `yiqifu-bench pack OUT FILES…`: packs in this process and prints how much its peak
/// memory grew while packing, in MiB.
pub fn pack_child(out: &Path, files: &[PathBuf]) -> Res<()> {
    let (manifest, entries) = entries(files)?;
    let before = peak_rss_mib().ok_or("no /proc/self/status")?;
    yiqifu_files::write_package(out, &manifest, &entries, &mut |_, _| {}).map_err(err)?;
    let after = peak_rss_mib().ok_or("no /proc/self/status")?;
    println!("grew {:.1}", after - before);
    Ok(())
}

fn pack_in_child(out: &Path, files: &[PathBuf]) -> Res<f64> {
    let exe = std::env::current_exe().map_err(err)?;
    let o = Command::new(exe)
        .arg("pack")
        .arg(out)
        .args(files)
        .output()
        .map_err(err)?;
    if !o.status.success() {
        return Err(format!(
            "pack child failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    String::from_utf8_lossy(&o.stdout)
        .trim()
        .strip_prefix("grew ")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| "the pack child printed no figure".into())
}

fn openssl(files: &[PathBuf]) -> Res<Duration> {
    let start = Instant::now();
    let o = Command::new("openssl")
        .args(["dgst", "-sha256"])
        .args(files)
        .output()
        .map_err(|e| format!("openssl: {e}"))?;
    if !o.status.success() {
        return Err(format!(
            "openssl failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    Ok(start.elapsed())
}

/// The write the package cannot avoid: the same bytes copied into one file and flushed to
/// disk, as the package is before it is renamed into place.
fn cat_and_sync(files: &[PathBuf], out: &Path) -> Res<Duration> {
    let start = Instant::now();
    let o = Command::new("sh")
        .arg("-c")
        .arg(r#"out="$1"; shift; cat "$@" > "$out" && sync "$out""#)
        .arg("sh")
        .arg(out)
        .args(files)
        .output()
        .map_err(|e| format!("cat: {e}"))?;
    if !o.status.success() {
        return Err(format!(
            "cat failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    Ok(start.elapsed())
}

/// The packaging rows of the report.
pub fn packaging() -> Res<String> {
    let dir = tempfile::tempdir().map_err(err)?;
    let files = make_set(dir.path())?;
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    let (manifest, entries) = entries(&files)?;
    let out = dir.path().join("package.zip");
    // Once each before timing, so both read from a warm page cache.
    openssl(&files)?;
    let mut packed =
        yiqifu_files::write_package(&out, &manifest, &entries, &mut |_, _| {}).map_err(err)?;
    let copy = dir.path().join("copy.bin");
    let (mut ours, mut theirs, mut copies) = (vec![], vec![], vec![]);
    for _ in 0..RUNS {
        theirs.push(openssl(&files)?);
        copies.push(cat_and_sync(&files, &copy)?);
        let start = Instant::now();
        let again =
            yiqifu_files::write_package(&out, &manifest, &entries, &mut |_, _| {}).map_err(err)?;
        ours.push(start.elapsed());
        if again.sha256 != packed.sha256 {
            return Err("the same files gave another package".into());
        }
        packed = again;
    }
    let quarter = pack_in_child(&dir.path().join("quarter.zip"), &files[..files.len() / 4])?;
    let whole = pack_in_child(&dir.path().join("whole.zip"), &files)?;
    std::fs::remove_file(&copy).map_err(err)?;
    let (ours, theirs, copied) = (median(ours), median(theirs), median(copies));
    let gib = total as f64 / (1024.0 * MIB as f64);
    let ratio = ours.as_secs_f64() / theirs.as_secs_f64();
    Ok(format!(
        "{} files, {gib:.2} GiB ({} PDFs of 64 MiB, {} JPEGs of about 4 MiB, {} spreadsheets of \
         8 MiB); median of {RUNS} runs after one warm-up each (page cache warm for both):\n\n\
         | work | yiqifu-files | baseline | ratio | target |\n|---|---|---|---|---|\n\
         | package: read each file once, SHA-256 it, zip it (stored: all are compressed \
         formats) with its manifest, SHA-256 the package, write it | {:.2} s | `openssl dgst \
         -sha256` over the same files: {:.2} s | {ratio:.2}× | ≤ 1.3× {} |\n\
         | the same, next to the write it cannot avoid | {:.2} s | `cat` of the same files into \
         one file, then `sync` of it: {:.2} s | {:.2}× | |\n\n\
         Writing the package is most of its cost where writing to disk is slower than hashing: \
         the copy alone takes {:.1}× openssl's time here.\n\n\
         The package is {:.2} GiB and the same bytes every run. Peak memory while packing, each \
         in a process of its own: {quarter:.1} MiB more for a quarter of the files, {whole:.1} \
         MiB more for all of them ({}).\n",
        files.len(),
        SET[0].0,
        SET[1].0,
        SET[2].0,
        ours.as_secs_f64(),
        theirs.as_secs_f64(),
        if ratio <= 1.3 { "(met)" } else { "(NOT met)" },
        ours.as_secs_f64(),
        copied.as_secs_f64(),
        ours.as_secs_f64() / copied.as_secs_f64(),
        copied.as_secs_f64() / theirs.as_secs_f64(),
        packed.size as f64 / (1024.0 * MIB as f64),
        if whole < quarter + 16.0 {
            "it does not grow with the package"
        } else {
            "it GROWS with the package"
        },
    ))
}

/// An upload stopped half-way (its task aborted mid-chunk, the app closed) and resumed by a
/// new app on the same data: how many bytes crossed the wire twice.
pub async fn resume(central: &yiqifu_central::Running) -> Res<String> {
    // Under the service's 20 MiB cap for appeal attachments.
    const SIZE: usize = 16 * MIB;
    const CHUNK: usize = MIB;
    let proxy = FaultProxy::start(central.addr, 1).await;
    let url = proxy.url();
    let dir = tempfile::tempdir().map_err(err)?;
    let data = dir.path().join("data");
    let file = dir.path().join("应急预案.pdf");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&file).map_err(err)?);
        yiqifu_files::samples::write_pdf_sized(&mut w, SIZE, 99).map_err(err)?;
        std::io::Write::flush(&mut w).map_err(err)?;
    }
    let config = SyncConfig {
        chunk_bytes: CHUNK,
        ..SyncConfig::default()
    };
    let kc = Keychain::new(&format!("yiqifu-bench-resume-{}", std::process::id()));
    let code = yiqifu_central::seed::DEMO_ENTERPRISES[0].credit_code();
    let stopped_at = {
        let app = App::open(&data, kc.clone()).await.map_err(err)?;
        app.set_sync_config(config);
        app.choose_server(ServerChoice::Url { url: url.clone() }, &url)
            .await
            .map_err(err)?;
        app.sign_in(&code, yiqifu_central::seed::DEMO_PASSWORD)
            .await
            .map_err(err)?;
        let ws = app.active().ok_or("no enterprise on screen")?;
        ws.add_material(&file, "appeal_attachment")
            .await
            .map_err(err)?;
        let mut progress = app.progress();
        let worker = ws.clone();
        let task = tokio::spawn(async move { worker.drain().await });
        let mut acked = 0;
        while acked < SIZE as u64 / 2 {
            match tokio::time::timeout(Duration::from_secs(60), progress.recv()).await {
                Ok(Ok(p)) => acked = p.sent,
                _ => return Err("the upload made no progress".into()),
            }
        }
        // Half a chunk into the next one: the stop lands mid-chunk.
        tokio::time::sleep(Duration::from_millis(5)).await;
        task.abort();
        let _ = task.await;
        app.close().await;
        acked
    };
    let before = proxy.counts.bytes_up.load(Ordering::Relaxed);
    let app = App::open(&data, kc).await.map_err(err)?;
    app.set_sync_config(config);
    app.resume(&url).await.map_err(err)?;
    let ws = app
        .active()
        .ok_or("no enterprise on screen after the restart")?;
    ws.drain().await.map_err(err)?;
    let status = app.status();
    if status.outbox_queued != 0 || status.outbox_parked != 0 {
        return Err(format!(
            "the upload did not finish after the restart: {status:?}"
        ));
    }
    let after = proxy.counts.bytes_up.load(Ordering::Relaxed);
    let total = after; // everything the client ever sent through the proxy
    let resent = total.saturating_sub(SIZE as u64);
    app.sign_out().await.map_err(err)?;
    Ok(format!(
        "An upload of {} MiB in {} MiB chunks, stopped mid-chunk once at least {:.1} MiB were \
         acknowledged (its task aborted, the app closed; {:.2} MiB had crossed the wire by then) \
         and resumed by a new app on the same data, which sent {:.2} MiB more: {:.2} MiB crossed \
         the wire beyond the file itself, headers and sign-in included: {}.\n",
        SIZE / MIB,
        CHUNK / MIB,
        stopped_at as f64 / MIB as f64,
        before as f64 / MIB as f64,
        (after - before) as f64 / MIB as f64,
        resent as f64 / MIB as f64,
        if resent <= CHUNK as u64 + 64 * 1024 {
            "at most one chunk sent twice (target met)"
        } else {
            "MORE than one chunk sent twice (target NOT met)"
        }
    ))
}
