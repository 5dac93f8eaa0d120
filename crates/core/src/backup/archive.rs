//! The backup file: a zip holding `manifest.json` first, then each enterprise's folder as
//! it lies on disk (`enterprises/<id>/…`), its database as a consistent snapshot. Blocking
//! I/O: called from `spawn_blocking`.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::{Manifest, FORMAT, MANIFEST};
use crate::error::{BackupFault, Error, Result};

/// One file to put in the archive: where it is now, its name inside, its size.
pub(super) struct Member {
    pub name: String,
    pub source: PathBuf,
    pub size: u64,
    /// Databases shrink well; material files (PDFs, photos) are compressed already.
    pub deflate: bool,
}

/// Zip's classic entries end at 4 GiB; a package can pass it.
const ZIP64_FROM: u64 = u32::MAX as u64;
const CHUNK: usize = 1 << 20;

/// Writes `manifest` and `members` to `dest`, whole or not at all (a temporary file beside
/// it, synced, then renamed). `progress(done, total)` follows the bytes.
pub(super) fn write(
    dest: &Path,
    manifest: &Manifest,
    members: &[Member],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64> {
    let total: u64 = members.iter().map(|m| m.size).sum();
    let tmp = crate::store::partial_path(dest);
    let written = (|| -> std::io::Result<u64> {
        let mut zip = ZipWriter::new(BufWriter::new(File::create(&tmp)?));
        let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        zip.start_file(MANIFEST, deflated)?;
        zip.write_all(&serde_json::to_vec_pretty(manifest)?)?;
        let mut done = 0u64;
        progress(done, total);
        let mut buf = vec![0u8; CHUNK];
        for m in members {
            let options = if m.deflate { deflated } else { stored };
            zip.start_file(&m.name, options.large_file(m.size >= ZIP64_FROM))?;
            let mut src = File::open(&m.source)?;
            loop {
                let n = src.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                zip.write_all(&buf[..n])?;
                done += n as u64;
                progress(done.min(total), total);
            }
        }
        let file = zip.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(file.metadata()?.len())
    })();
    match written {
        Ok(size) => {
            std::fs::rename(&tmp, dest).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })?;
            Ok(size)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(Error::save_failed(dest, &e))
        }
    }
}

/// An archive opened for reading, its manifest read and checked.
pub(super) struct Reader {
    zip: ZipArchive<BufReader<File>>,
    pub manifest: Manifest,
    path: PathBuf,
}

/// A file that is not a usable backup; `detail` (a parser's or the system's words, an
/// entry's name) is logged for whoever looks into it.
pub(super) fn invalid(path: &Path, fault: BackupFault, detail: &dyn std::fmt::Display) -> Error {
    tracing::warn!(file = %path.display(), %fault, %detail, "not a usable backup");
    Error::BackupInvalid {
        path: path.display().to_string(),
        fault,
    }
}

/// What a manifest says of its own version.
#[derive(serde::Deserialize)]
struct Head {
    format: u32,
    #[serde(default)]
    app_version: String,
}

/// Whether version `v` ("1.4.0") is later than this app's; what cannot be read is not.
fn newer_than_this(v: &str) -> bool {
    let parts = |s: &str| -> Option<Vec<u64>> {
        s.split(['-', '+'])
            .next()?
            .split('.')
            .map(|p| p.parse().ok())
            .collect()
    };
    matches!((parts(v), parts(crate::VERSION)), (Some(a), Some(b)) if a > b)
}

impl Reader {
    pub fn open(path: &Path) -> Result<Self> {
        // Missing, held by another program, not ours to read: not a fault of the backup.
        let file = File::open(path).map_err(|e| {
            tracing::warn!(file = %path.display(), error = %e, "backup not opened");
            Error::InvalidFile(path.display().to_string())
        })?;
        let mut zip = ZipArchive::new(BufReader::new(file))
            .map_err(|e| invalid(path, BackupFault::NotZip, &e))?;
        let mut bytes = Vec::new();
        zip.by_name(MANIFEST)
            .map_err(|e| invalid(path, BackupFault::NoManifest, &e))?
            .read_to_end(&mut bytes)
            .map_err(|e| invalid(path, BackupFault::BadManifest, &e))?;
        // Its version first: a newer app's manifest may hold what this one cannot read (a
        // kind of backup it does not know), and that is a reason to update, not damage.
        let head: Head = serde_json::from_slice(&bytes)
            .map_err(|e| invalid(path, BackupFault::BadManifest, &e))?;
        if head.format > FORMAT {
            return Err(Error::BackupTooNew(head.app_version));
        }
        let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
            if newer_than_this(&head.app_version) {
                Error::BackupTooNew(head.app_version.clone())
            } else {
                invalid(path, BackupFault::BadManifest, &e)
            }
        })?;
        Ok(Self {
            zip,
            manifest,
            path: path.to_path_buf(),
        })
    }

    /// The names of the archive's files under `prefix`, with their sizes.
    pub fn members_under(&mut self, prefix: &str) -> Result<Vec<(String, u64)>> {
        let mut out = Vec::new();
        for i in 0..self.zip.len() {
            let f = self
                .zip
                .by_index_raw(i)
                .map_err(|e| invalid(&self.path, BackupFault::BadIndex, &e))?;
            let name = f
                .name()
                .map_err(|e| invalid(&self.path, BackupFault::BadIndex, &e))?
                .into_owned();
            if f.is_file() && name.starts_with(prefix) {
                out.push((name, f.size()));
            }
        }
        Ok(out)
    }

    /// Copies the member `name` to `dest` (created or replaced), checking its CRC as zip
    /// does; `on_bytes` is told of each chunk.
    pub fn extract(
        &mut self,
        name: &str,
        dest: &Path,
        on_bytes: &mut dyn FnMut(u64),
    ) -> Result<()> {
        let path = self.path.clone();
        let mut entry = self
            .zip
            .by_name(name)
            .map_err(|e| invalid(&path, BackupFault::MemberMissing, &format!("{name}: {e}")))?;
        let mut out = BufWriter::new(File::create(dest)?);
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = entry.read(&mut buf).map_err(|e| {
                // A checksum that does not match is damage; anything else is the disk or
                // the stick the file is on (pulled out, failing).
                if e.kind() == std::io::ErrorKind::InvalidData {
                    invalid(&path, BackupFault::MemberDamaged, &format!("{name}: {e}"))
                } else {
                    tracing::warn!(file = %path.display(), entry = name, error = %e, "backup not read");
                    Error::InvalidFile(path.display().to_string())
                }
            })?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n])?;
            on_bytes(n as u64);
        }
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(())
    }
}
