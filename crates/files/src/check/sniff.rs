//! What a file is by its content, never by its name.

use std::{
    fs::File,
    io::{self, Read, Seek, SeekFrom},
    path::Path,
};

use encoding_rs::{Encoding, GBK, UTF_8};

use super::{
    format::{Format, Found},
    zipdir,
};
use crate::Error;

/// Enough for infer's OOXML guess (it scans local headers a few KB in) and for a PDF header
/// preceded by junk, which readers tolerate within the first kilobyte.
const HEAD_LEN: usize = 64 * 1024;
const PDF_HEADER_WINDOW: usize = 1024;
const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The result of looking at a file's content.
pub(crate) struct Detected {
    pub found: Found,
    /// A password-protected Word or Excel file: Office wraps those in an OLE2 container, so
    /// the refusal can say "remove the password" rather than "wrong type".
    pub encrypted_office: bool,
}

impl Detected {
    fn found(found: Found) -> Detected {
        Detected {
            found,
            encrypted_office: false,
        }
    }
    fn format(format: Format) -> Detected {
        Detected::found(Found::Format(format))
    }
}

/// Fills `buf` as far as the reader goes; a short count means the end was reached.
pub(crate) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// What the file really is, by content. A text file counts as CSV when it is valid UTF-8
/// or GBK (the encoding Excel uses on Chinese Windows) with no binary control bytes.
pub fn sniff(path: &Path) -> Result<Option<Format>, Error> {
    let mut file = File::open(path).map_err(Error::FileUnreadable)?;
    let size = file.metadata().map_err(Error::FileUnreadable)?.len();
    let detected = detect(&mut file, size, true)?;
    Ok(match detected.found {
        Found::Format(f) => Some(f),
        _ => None,
    })
}

/// `scan_text`: read the whole file to decide whether it is CSV text. Without it only the
/// head is looked at, enough to describe a refused file.
pub(crate) fn detect(file: &mut File, size: u64, scan_text: bool) -> Result<Detected, Error> {
    let mut head = vec![0; HEAD_LEN.min(size as usize)];
    file.seek(SeekFrom::Start(0))
        .map_err(Error::FileUnreadable)?;
    let n = read_full(file, &mut head).map_err(Error::FileUnreadable)?;
    head.truncate(n);

    let window = &head[..head.len().min(PDF_HEADER_WINDOW)];
    if window.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Detected::format(Format::Pdf));
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Ok(Detected::format(zip_kind(file, size, &head)));
    }
    if head.starts_with(&OLE2_MAGIC) {
        return Ok(ole2_kind(file));
    }
    let inferred = infer::get(&head);
    match inferred {
        Some(t) if t.extension() == "png" => return Ok(Detected::format(Format::Png)),
        Some(t) if t.extension() == "jpg" => return Ok(Detected::format(Format::Jpg)),
        // infer's text matchers (HTML, XML, shell scripts) only look at the first bytes:
        // a CSV is text too, so those go on to the text check.
        Some(t) if t.matcher_type() != infer::MatcherType::Text => {
            return Ok(Detected::found(Found::from_infer(&t)))
        }
        _ => {}
    }
    let text = if scan_text {
        file.seek(SeekFrom::Start(0))
            .map_err(Error::FileUnreadable)?;
        is_text(file).map_err(Error::FileUnreadable)?
    } else {
        // The head may end inside a character, so it is judged as a non-final chunk.
        [UTF_8, GBK].iter().any(|e| text_chunk_ok(e, &head))
    };
    Ok(Detected::found(match (text, scan_text) {
        (true, true) => Found::Format(Format::Csv),
        (true, false) => Found::other("纯文本文件", "a plain text file"),
        (false, _) => Found::Unknown,
    }))
}

/// docx, xlsx or a plain zip, by the central directory: a docx has word/document.xml, an
/// xlsx xl/workbook.xml. When the directory cannot be read (a file cut short), the local
/// headers in the head decide, so that a damaged docx is reported as a damaged Word
/// document rather than as some other type.
fn zip_kind(file: &mut File, size: u64, head: &[u8]) -> Format {
    if let Ok(archive) = zipdir::open(file, size) {
        if archive.index_for_name(zipdir::DOCX_MAIN).is_some() {
            return Format::Docx;
        }
        if archive.index_for_name(zipdir::XLSX_MAIN).is_some() {
            return Format::Xlsx;
        }
        return Format::Zip;
    }
    let mut at = 0;
    while let Some(found) = head[at..].windows(4).position(|w| w == b"PK\x03\x04") {
        let header = at + found;
        let name_len = head
            .get(header + 26..header + 28)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as usize);
        if let Some(name) = head.get(header + 30..header + 30 + name_len) {
            if name.starts_with(b"word/") {
                return Format::Docx;
            }
            if name.starts_with(b"xl/") {
                return Format::Xlsx;
            }
        }
        at = header + 4;
    }
    Format::Zip
}

/// Office 97-2003 files and password-protected modern ones share the OLE2 container; its
/// streams tell them apart.
fn ole2_kind(file: &mut File) -> Detected {
    let Ok(compound) = cfb::CompoundFile::open(&mut *file) else {
        return Detected::found(Found::other(
            "已损坏的 Office 97-2003 文件",
            "a damaged Office 97-2003 file",
        ));
    };
    if compound.is_stream("/EncryptedPackage") {
        return Detected {
            found: Found::other(
                "设置了密码的 Office 文档",
                "a password-protected Office document",
            ),
            encrypted_office: true,
        };
    }
    if compound.is_stream("/Workbook") || compound.is_stream("/Book") {
        return Detected::format(Format::Xls);
    }
    let found = if compound.is_stream("/WordDocument") {
        Found::other("旧版 Word 文档（.doc）", "an old Word document (.doc)")
    } else if compound.is_stream("/PowerPoint Document") {
        Found::other(
            "旧版 PowerPoint 演示文稿（.ppt）",
            "an old PowerPoint presentation (.ppt)",
        )
    } else {
        Found::other(
            "Office 97-2003 或安装包类文件",
            "an Office 97-2003 or installer file",
        )
    };
    Detected::found(found)
}

/// Bytes that never occur in a text table: ASCII controls other than tab, CR and LF. They
/// are checked on the raw bytes, which is exact for UTF-8 and GBK alike because neither
/// uses bytes below 0x40 inside a multi-byte character.
fn has_binary_bytes(chunk: &[u8]) -> bool {
    chunk
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F)
}

/// A non-final chunk decodes without a malformed sequence in `encoding`.
fn text_chunk_ok(encoding: &'static Encoding, chunk: &[u8]) -> bool {
    if has_binary_bytes(chunk) {
        return false;
    }
    let mut decoder = encoding.new_decoder_with_bom_removal();
    decodes(&mut decoder, chunk, false)
}

fn decodes(decoder: &mut encoding_rs::Decoder, mut src: &[u8], last: bool) -> bool {
    let mut scratch = [0u8; 16 * 1024];
    loop {
        let (result, read, _) = decoder.decode_to_utf8_without_replacement(src, &mut scratch, last);
        src = &src[read..];
        match result {
            encoding_rs::DecoderResult::InputEmpty => return true,
            encoding_rs::DecoderResult::OutputFull => {}
            encoding_rs::DecoderResult::Malformed(..) => return false,
        }
    }
}

/// The whole file is text in UTF-8, or else in GBK; streamed, never held in memory.
fn is_text(file: &mut File) -> io::Result<bool> {
    for encoding in [UTF_8, GBK] {
        file.seek(SeekFrom::Start(0))?;
        let mut decoder = encoding.new_decoder_with_bom_removal();
        let mut buf = vec![0u8; 256 * 1024];
        let ok = loop {
            let n = read_full(file, &mut buf)?;
            let chunk = &buf[..n];
            if has_binary_bytes(chunk) {
                return Ok(false);
            }
            let last = n < buf.len();
            if !decodes(&mut decoder, chunk, last) {
                break false;
            }
            if last {
                break true;
            }
        };
        if ok {
            return Ok(true);
        }
    }
    Ok(false)
}
