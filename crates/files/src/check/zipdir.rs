//! Opening zip-based files (docx, xlsx, zip) safely: the entry count is read from the end
//! record first, because the zip crate keeps its whole central directory in memory and a
//! 100 MB file of empty entries would otherwise cost gigabytes.

use std::{
    fs::File,
    io::{Read, Seek, SeekFrom},
};

use zip::ZipArchive;

use crate::Error;

/// Far more than any Word or Excel file or any real material archive holds.
pub const MAX_ARCHIVE_ENTRIES: u64 = 20_000;
/// Bounds the names kept in memory, which the entry count alone does not.
const MAX_CENTRAL_DIRECTORY: u64 = 16 * 1024 * 1024;

const EOCD: &[u8; 4] = b"PK\x05\x06";
const EOCD_LEN: usize = 22;
const ZIP64_LOCATOR: &[u8; 4] = b"PK\x06\x07";
const ZIP64_LOCATOR_LEN: usize = 20;
const ZIP64_EOCD: &[u8; 4] = b"PK\x06\x06";

fn u16_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?).into())
}
fn u32_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?).into())
}
fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

/// (entries, central directory size) from the end records, or None when there are none.
fn directory_extent(file: &mut File, size: u64) -> std::io::Result<Option<(u64, u64)>> {
    let tail_len = size.min((EOCD_LEN + ZIP64_LOCATOR_LEN + u16::MAX as usize) as u64);
    file.seek(SeekFrom::Start(size - tail_len))?;
    let mut tail = vec![0; tail_len as usize];
    file.read_exact(&mut tail)?;
    let Some(at) = tail
        .windows(4)
        .enumerate()
        .rev()
        .find(|(i, w)| *w == EOCD && i + EOCD_LEN <= tail.len())
        .map(|(i, _)| i)
    else {
        return Ok(None);
    };
    let eocd = &tail[at..];
    let (Some(entries), Some(cd_size), Some(cd_offset)) =
        (u16_at(eocd, 10), u32_at(eocd, 12), u32_at(eocd, 16))
    else {
        return Ok(None);
    };
    let zip64 = entries == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF;
    if !zip64 {
        return Ok(Some((entries, cd_size)));
    }
    let Some(locator) = at
        .checked_sub(ZIP64_LOCATOR_LEN)
        .and_then(|l| tail.get(l..at))
        .filter(|l| l.starts_with(ZIP64_LOCATOR))
    else {
        return Ok(None);
    };
    let Some(record_at) = u64_at(locator, 8).filter(|o| o.saturating_add(56) <= size) else {
        return Ok(None);
    };
    let mut record = [0u8; 56];
    file.seek(SeekFrom::Start(record_at))?;
    file.read_exact(&mut record)?;
    if !record.starts_with(ZIP64_EOCD) {
        return Ok(None);
    }
    Ok(u64_at(&record, 32).zip(u64_at(&record, 40)))
}

/// Opens a zip archive whose directory is small enough to hold in memory.
pub(crate) fn open(file: &mut File, size: u64) -> Result<ZipArchive<&mut File>, Error> {
    match directory_extent(file, size) {
        Ok(Some((entries, cd_size))) => {
            if entries > MAX_ARCHIVE_ENTRIES || cd_size > MAX_CENTRAL_DIRECTORY {
                return Err(Error::ArchiveTooManyEntries {
                    max: MAX_ARCHIVE_ENTRIES,
                });
            }
        }
        Ok(None) => return Err(Error::ZipUnreadable),
        Err(e) => return Err(Error::FileUnreadable(e)),
    }
    file.seek(SeekFrom::Start(0))
        .map_err(Error::FileUnreadable)?;
    ZipArchive::new(file).map_err(|_| Error::ZipUnreadable)
}

/// The part whose presence makes a zip a Word or an Excel file.
pub(crate) const DOCX_MAIN: &str = "word/document.xml";
pub(crate) const XLSX_MAIN: &str = "xl/workbook.xml";
