//! Reading a package back, as the service does on receipt and the client before upload.

use std::{collections::HashMap, fs::File, io::Read, path::Path};

use sha2::{Digest, Sha256};

use super::{pipe::CHUNK, Manifest, MANIFEST_NAME};
use crate::{check::read_full, Error};

/// A manifest lists files, not their bytes: anything bigger is not ours.
const MANIFEST_MAX: u64 = 16 * 1024 * 1024;

/// Reads a package back: its manifest (the first entry), and every file's size and SHA-256
/// against it, with no file missing and none extra. Streamed, never held in memory.
pub fn verify_package(path: &Path) -> Result<Manifest, Error> {
    let mut file = File::open(path).map_err(Error::PackageUnreadable)?;
    let size = file.metadata().map_err(Error::PackageUnreadable)?.len();
    let mut archive = crate::check::open_zip(&mut file, size).map_err(|e| match e {
        Error::FileUnreadable(e) => Error::PackageUnreadable(e),
        _ => Error::damaged("不是完整的 zip 文件", "not a complete zip file"),
    })?;
    let no_manifest = || {
        Error::damaged(
            "第一项不是可读的 manifest.json",
            "the first entry is not a readable manifest.json",
        )
    };
    let manifest: Manifest = {
        let entry = archive.by_index(0).map_err(|_| no_manifest())?;
        if entry.name().ok().as_deref() != Some(MANIFEST_NAME) {
            return Err(no_manifest());
        }
        let mut json = Vec::new();
        entry
            .take(MANIFEST_MAX)
            .read_to_end(&mut json)
            .map_err(|_| no_manifest())?;
        serde_json::from_slice(&json).map_err(|_| no_manifest())?
    };
    let mut expected: HashMap<&str, &super::ManifestFile> = HashMap::new();
    for listed in &manifest.files {
        if expected.insert(listed.path.as_str(), listed).is_some() {
            return Err(Error::damaged(
                format!("清单重复列出 {}", listed.path),
                format!("the manifest lists {} twice", listed.path),
            ));
        }
    }
    let mut buf = vec![0u8; CHUNK];
    for index in 1..archive.len() {
        let mut entry = archive.by_index(index).map_err(|_| {
            Error::damaged(
                format!("第 {index} 项无法读取"),
                format!("entry {index} cannot be read"),
            )
        })?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let Some(listed) = expected.remove(name.as_str()) else {
            return Err(Error::damaged(
                format!("含有清单之外的文件 {name}"),
                format!("it holds {name}, which the manifest does not list"),
            ));
        };
        let corrupt = || {
            Error::damaged(
                format!("文件 {name} 已损坏"),
                format!("the file {name} is damaged"),
            )
        };
        let mut hasher = Sha256::new();
        let mut bytes = 0u64;
        loop {
            // The zip crate checks the CRC-32 at the end of the entry and fails the read.
            let n = read_full(&mut entry, &mut buf).map_err(|_| corrupt())?;
            hasher.update(&buf[..n]);
            bytes += n as u64;
            if n < buf.len() {
                break;
            }
        }
        if bytes != listed.size
            || !hex::encode(hasher.finalize()).eq_ignore_ascii_case(&listed.sha256)
        {
            return Err(corrupt());
        }
    }
    if let Some(path) = expected.keys().min() {
        return Err(Error::damaged(
            format!("缺少清单中的文件 {path}"),
            format!("the file {path} listed in the manifest is missing"),
        ));
    }
    Ok(manifest)
}
