//! The application package: a deterministic zip of `manifest.json` and the materials.
//!
//! The same inputs always give the same bytes: entries sorted by path after the manifest,
//! a fixed timestamp (2022-01-01 00:00:00), fixed permissions (0644, Unix), and a fixed
//! compression level. Already-compressed formats are stored, the rest deflated.

mod pipe;
mod verify;

use std::{
    collections::{HashMap, HashSet},
    fs::File,
    io::{self, BufWriter, Write},
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use zip::{
    result::ZipError,
    write::{SimpleFileOptions, ZipWriter},
    CompressionMethod, DateTime, System,
};

pub use verify::verify_package;

use crate::{
    check::{check_name, fit, sanitize, split_ext},
    Error,
};
use pipe::{HashingWriter, Read1};

pub const MANIFEST_NAME: &str = "manifest.json";
pub const MANIFEST_FORMAT: u32 = 1;
/// Level 1 (zlib-rs's quick strategy) deflates a CSV at about 150 MB/s where level 6 does
/// 35 MB/s, for output about half as large again (5.7 against 3.8 MB from 15 MB of CSV).
/// What gets deflated is tables and the manifest, small beside the scans, so speed wins.
/// The level is part of what makes rebuilt packages byte-identical: never change it
/// casually.
const DEFLATE_LEVEL: i64 = 1;
/// Entries this large get Zip64 sizes from the start: a streamed entry's header is written
/// before its size is known for sure, and deflate can grow data slightly.
const ZIP64_FROM: u64 = 0xFFFF_0000;
/// Small headers and deflate output are gathered before they reach the file; whole 1 MiB
/// chunks of stored data pass straight through.
const WRITE_BUFFER: usize = 256 * 1024;

/// `manifest.json`, the package's first entry. Field order is the JSON order.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`].
    pub format: u32,
    pub client_version: String,
    pub credit_code: String,
    pub enterprise_name: String,
    pub selfcheck: ManifestSelfCheck,
    /// Written sorted by path, whatever the order given.
    pub files: Vec<ManifestFile>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ManifestSelfCheck {
    pub run_id: String,
    pub template_id: String,
    pub template_version: u32,
    pub answers_sha256: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ManifestFile {
    /// The path in the zip, e.g. "materials/commitment_letter/承诺书.pdf" (see [`entry_path`]).
    pub path: String,
    pub material_type: String,
    pub original_name: String,
    pub size: u64,
    pub sha256: String,
}

/// One material to pack: where its stored copy is and what it must still be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub source: PathBuf,
    pub size: u64,
    /// Lowercase hex, as recorded when the file was accepted.
    pub sha256: String,
    /// Deflate it; false for formats that are already compressed ([`crate::Format::compressed`]).
    pub compress: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packed {
    pub sha256: String,
    pub size: u64,
}

/// Safe in-zip path for a material: "materials/<material_type>/<name>". The name is made
/// safe to extract on Windows, macOS and Linux, and unique within the package ("承诺书.pdf",
/// "承诺书 (2).pdf"). `taken` holds the lowercased paths given so far: Windows and macOS
/// extract case-insensitively, so "A.pdf" and "a.pdf" would collide there.
pub fn entry_path(material_type: &str, name: &str, taken: &mut HashSet<String>) -> String {
    let kind: String = material_type
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let kind = if kind.is_empty() || sanitize(&kind) != kind {
        "other".to_owned()
    } else {
        kind
    };
    let name = sanitize(name);
    let (stem, ext) = split_ext(&name);
    let mut candidate = name.clone();
    let mut n = 1u64;
    loop {
        let path = format!("materials/{kind}/{candidate}");
        if taken.insert(path.to_lowercase()) {
            return path;
        }
        n += 1;
        candidate = fit(stem, &format!(" ({n}){ext}"));
    }
}

/// Writes the package to `out` atomically: into a temp file beside it, renamed at the end,
/// removed on any error. See [`write_package_to`].
///
/// The package is on disk (synced) before it is renamed: the client records its hash as what
/// was sent, so a crash must not leave a torn file under that name.
pub fn write_package(
    out: &Path,
    manifest: &Manifest,
    entries: &[Entry],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Packed, Error> {
    write_package_via(out, manifest, entries, progress, &|file| Box::new(file))
}

/// The temp file as the package is written to it; a test wraps it to make it fail.
type Wrap = dyn for<'f> Fn(&'f File) -> Box<dyn Write + 'f>;

fn write_package_via(
    out: &Path,
    manifest: &Manifest,
    entries: &[Entry],
    progress: &mut dyn FnMut(u64, u64),
    wrap: &Wrap,
) -> Result<Packed, Error> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Dropping it on any error below removes it.
    let temp = tempfile::Builder::new()
        .prefix(".yiqifu-package-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(Error::from_write)?;
    let packed = write_package_to(wrap(temp.as_file()), manifest, entries, progress)?;
    temp.as_file().sync_all().map_err(Error::from_write)?;
    temp.persist(out).map_err(|e| Error::from_write(e.error))?;
    Ok(packed)
}

/// Writes the package into any writer, which needs no `Seek`: entries carry data
/// descriptors. Each source is read exactly once, streamed into the zip while its SHA-256
/// is computed and compared with the entry's size and SHA-256; the package's own SHA-256 is
/// computed as it is written. `progress(done, total)` counts source bytes, at most every
/// MiB or so, and ends with `(total, total)`. Memory is a few fixed buffers whatever the
/// package size.
pub fn write_package_to<W: Write>(
    w: W,
    manifest: &Manifest,
    entries: &[Entry],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Packed, Error> {
    let (manifest_json, order) = plan(manifest, entries)?;
    let ordered: Vec<&Entry> = order.iter().map(|&i| &entries[i]).collect();
    let total: u64 = entries.iter().map(|e| e.size).sum();
    std::thread::scope(|scope| {
        let (reader, to_writer, returned) = pipe::channels();
        let sources = &ordered;
        std::thread::Builder::new()
            .name("package-reader".into())
            .spawn_scoped(scope, move || {
                pipe::read_sources(sources, to_writer, returned)
            })
            .map_err(Error::PackageWriteFailed)?;
        // `reader` is dropped when write_zip returns, on success or error, which ends the
        // reader thread, so the scope's join never waits on it.
        write_zip(w, &manifest_json, &ordered, total, reader, progress)
    })
}

fn zip_error(e: ZipError) -> Error {
    match e {
        ZipError::Io(e) => Error::from_write(e),
        other => Error::PackageWriteFailed(io::Error::other(other.to_string())),
    }
}

pub(crate) fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

fn write_zip<W: Write>(
    w: W,
    manifest_json: &[u8],
    entries: &[&Entry],
    total: u64,
    reader: pipe::Reader,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Packed, Error> {
    let time = DateTime::from_date_and_time(2022, 1, 1, 0, 0, 0)
        .map_err(|e| Error::PackageWriteFailed(io::Error::other(e.to_string())))?;
    let base = SimpleFileOptions::default()
        .system(System::Unix)
        .unix_permissions(0o644)
        .last_modified_time(time);
    let deflated = base
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(DEFLATE_LEVEL));
    let stored = base.compression_method(CompressionMethod::Stored);

    let sink = HashingWriter::new(BufWriter::with_capacity(WRITE_BUFFER, w));
    let mut zip = ZipWriter::new_stream(sink);
    zip.start_file(MANIFEST_NAME, deflated).map_err(zip_error)?;
    zip.write_all(manifest_json).map_err(Error::from_write)?;

    progress(0, total);
    let mut done = 0u64;
    let mut reported = 0u64;
    for entry in entries {
        let options = if entry.compress { deflated } else { stored };
        zip.start_file(&entry.path, options.large_file(entry.size >= ZIP64_FROM))
            .map_err(zip_error)?;
        loop {
            match reader.from_reader.recv() {
                Ok(Read1::Chunk(buf, n)) => {
                    zip.write_all(&buf[..n]).map_err(Error::from_write)?;
                    // Never blocks: the channel holds every buffer there is.
                    let _ = reader.to_reader.try_send(buf);
                    done += n as u64;
                    if done - reported >= pipe::CHUNK as u64 {
                        reported = done;
                        progress(done, total);
                    }
                }
                Ok(Read1::EntryDone) => break,
                Ok(Read1::Failed(e)) => return Err(e),
                Err(_) => {
                    return Err(Error::PackageWriteFailed(io::Error::other(
                        "读取线程意外退出 / the reading thread stopped",
                    )))
                }
            }
        }
    }
    let sink = zip.finish().map_err(zip_error)?.into_inner();
    let (buffered, sha256, size) = sink.finish();
    buffered
        .into_inner()
        .map_err(|e| Error::from_write(e.into_error()))?;
    progress(total, total);
    Ok(Packed {
        sha256: hex::encode(sha256),
        size,
    })
}

/// Checks that the entries and the manifest describe the same files with safe paths, and
/// gives the manifest's JSON (files sorted by path) and the entries' write order.
fn plan(manifest: &Manifest, entries: &[Entry]) -> Result<(Vec<u8>, Vec<usize>), Error> {
    let invalid = |reason: String| Error::PackageInvalid { reason };
    let mut seen = HashSet::new();
    for entry in entries {
        let safe = entry
            .path
            .split('/')
            .all(|part| check_name(part).ok().as_deref() == Some(part));
        if !safe || entry.path == MANIFEST_NAME {
            return Err(invalid(format!("路径不安全 / unsafe path: {}", entry.path)));
        }
        if !seen.insert(entry.path.to_lowercase()) {
            return Err(invalid(format!(
                "路径重复 / duplicate path: {}",
                entry.path
            )));
        }
        if entry.sha256.len() != 64 || !entry.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid(format!(
                "SHA-256 无效 / bad SHA-256: {}",
                entry.path
            )));
        }
    }
    let listed: HashMap<&str, &ManifestFile> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let mismatch = listed.len() != manifest.files.len()
        || listed.len() != entries.len()
        || entries.iter().any(|e| {
            listed
                .get(e.path.as_str())
                .is_none_or(|f| f.size != e.size || !f.sha256.eq_ignore_ascii_case(&e.sha256))
        });
    if mismatch {
        return Err(invalid(
            "清单与文件不一致 / the manifest does not list exactly the files".to_owned(),
        ));
    }
    let mut sorted = manifest.clone();
    sorted.files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut json = serde_json::to_vec_pretty(&sorted)
        .map_err(|e| invalid(format!("清单无法序列化 / manifest: {e}")))?;
    json.push(b'\n');
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].path.cmp(&entries[b].path));
    Ok((json, order))
}

#[cfg(test)]
mod tests;
