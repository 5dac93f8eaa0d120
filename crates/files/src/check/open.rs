//! Whether a file of a known format really opens: what a reviewer's viewer will do with it.

use std::{
    fs::File,
    io::{self, BufReader, Read, Seek, SeekFrom},
};

use image::{ImageError, ImageFormat, ImageReader};
use lopdf::LoadOptions;

use super::{format::Format, zipdir};
use crate::Error;

/// A PDF is the one file read whole into memory (lopdf needs it so); anything larger is
/// refused as too large whatever the rule allows.
pub const PDF_MAX_BYTES: u64 = 100 * 1024 * 1024;
/// Object and cross-reference streams are inflated while loading; a bound keeps a PDF bomb
/// from inflating one of them without end.
const PDF_MAX_STREAM: usize = 64 * 1024 * 1024;

/// About 100 million pixels in RGB: a 600 dpi A3 scan fits, a decompression bomb does not.
const IMAGE_MAX_SIDE: u32 = 20_000;
const IMAGE_MAX_ALLOC: u64 = 300 * 1024 * 1024;

/// Inflating the main part proves the document is not truncated there; past this much it
/// is surely a real part, and reading on would only cost time.
const OFFICE_MAIN_PART_READ: u64 = 64 * 1024 * 1024;

pub(crate) fn check_opens(file: &mut File, format: Format, size: u64) -> Result<(), Error> {
    file.seek(SeekFrom::Start(0))
        .map_err(Error::FileUnreadable)?;
    match format {
        Format::Pdf => pdf(file, size),
        Format::Jpg => image(file, ImageFormat::Jpeg),
        Format::Png => image(file, ImageFormat::Png),
        Format::Docx => office(file, size, Format::Docx, zipdir::DOCX_MAIN),
        Format::Xlsx => office(file, size, Format::Xlsx, zipdir::XLSX_MAIN),
        Format::Xls => xls(file),
        Format::Zip => zip(file, size),
        // Detection already decoded every byte of it as text.
        Format::Csv => Ok(()),
    }
}

fn pdf(file: &mut File, size: u64) -> Result<(), Error> {
    if size > PDF_MAX_BYTES {
        return Err(Error::FileTooLarge {
            size,
            max: PDF_MAX_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // The file may have grown since it was measured; the bound keeps memory to the limit.
    file.take(PDF_MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Error::FileUnreadable)?;
    if bytes.len() as u64 > PDF_MAX_BYTES {
        return Err(Error::FileTooLarge {
            size: bytes.len() as u64,
            max: PDF_MAX_BYTES,
        });
    }
    let options = LoadOptions {
        max_decompressed_size: Some(PDF_MAX_STREAM),
        ..LoadOptions::default()
    };
    let document = match lopdf::Document::load_mem_with_options(&bytes, options) {
        Ok(document) => document,
        Err(lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword) => {
            return Err(Error::PdfEncrypted)
        }
        Err(_) => return Err(Error::PdfUnreadable),
    };
    // Refused even when it opens without a password: permission-protected PDFs cannot be
    // stamped or merged by the review side.
    if document.trailer.get(b"Encrypt").is_ok() || document.was_encrypted() {
        return Err(Error::PdfEncrypted);
    }
    if document.page_iter().next().is_none() {
        return Err(Error::PdfNoPages);
    }
    Ok(())
}

fn image(file: &mut File, format: ImageFormat) -> Result<(), Error> {
    let mut reader = ImageReader::with_format(BufReader::with_capacity(64 * 1024, file), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(IMAGE_MAX_SIDE);
    limits.max_image_height = Some(IMAGE_MAX_SIDE);
    limits.max_alloc = Some(IMAGE_MAX_ALLOC);
    reader.limits(limits);
    match reader.decode() {
        Ok(_) => Ok(()),
        Err(ImageError::Limits(_)) => Err(Error::ImageTooLarge),
        Err(ImageError::IoError(e)) if e.kind() != io::ErrorKind::UnexpectedEof => {
            Err(Error::FileUnreadable(e))
        }
        Err(_) => Err(Error::ImageUnreadable),
    }
}

fn office(file: &mut File, size: u64, format: Format, main: &str) -> Result<(), Error> {
    let unreadable = |e: Error| match e {
        Error::ZipUnreadable => Error::OfficeUnreadable { format },
        other => other,
    };
    let mut archive = zipdir::open(file, size).map_err(unreadable)?;
    let part = archive
        .by_name(main)
        .map_err(|_| Error::OfficeUnreadable { format })?;
    io::copy(&mut part.take(OFFICE_MAIN_PART_READ), &mut io::sink())
        .map_err(|_| Error::OfficeUnreadable { format })?;
    Ok(())
}

/// An Excel 97-2003 workbook stream starts with a BOF record (0x0809 in BIFF8, 0x0409 and
/// 0x0209 in older files).
fn xls(file: &mut File) -> Result<(), Error> {
    let unreadable = || Error::OfficeUnreadable {
        format: Format::Xls,
    };
    let mut compound = cfb::CompoundFile::open(&mut *file).map_err(|_| unreadable())?;
    let name = if compound.is_stream("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let mut stream = compound.open_stream(name).map_err(|_| unreadable())?;
    let mut bof = [0u8; 2];
    stream.read_exact(&mut bof).map_err(|_| unreadable())?;
    match u16::from_le_bytes(bof) {
        0x0809 | 0x0409 | 0x0209 => Ok(()),
        _ => Err(unreadable()),
    }
}

fn zip(file: &mut File, size: u64) -> Result<(), Error> {
    let archive = zipdir::open(file, size)?;
    if archive.is_empty() {
        return Err(Error::ZipUnreadable);
    }
    Ok(())
}
