//! Sample files of every kind the checks know, valid and broken, written on the spot: for
//! the tests of this crate, the service, the core and the end-to-end suite, and for the
//! benchmarks, which need valid materials of a given size. Nothing here is read from disk.
// A failure here is a broken sample generator, never the officer's input.
#![allow(clippy::expect_used)]

use std::{
    io::{Cursor, Write},
    path::{Path, PathBuf},
};

use image::{ImageFormat, RgbImage};
use zip::write::SimpleFileOptions;

/// A PDF from numbered object bodies, with a correct cross-reference table.
pub fn pdf_from(objects: &[&str], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{}\nendobj\n", i + 1, body).as_bytes());
    }
    let xref_at = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref_at}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

const CATALOG: &str = "<< /Type /Catalog /Pages 2 0 R >>";

pub fn pdf() -> Vec<u8> {
    pdf_from(
        &[
            CATALOG,
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ],
        "",
    )
}

pub fn pdf_without_pages() -> Vec<u8> {
    pdf_from(&[CATALOG, "<< /Type /Pages /Kids [] /Count 0 >>"], "")
}

/// Standard security handler, revision 2, with O and U values no empty password opens.
pub fn pdf_encrypted() -> Vec<u8> {
    let o = "<".to_owned() + &"4F".repeat(32) + ">";
    let u = "<".to_owned() + &"A5".repeat(32) + ">";
    let encrypt = format!("<< /Filter /Standard /V 1 /R 2 /O {o} /U {u} /P -4 >>");
    pdf_from(
        &[
            CATALOG,
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            &encrypt,
        ],
        "/Encrypt 4 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]",
    )
}

fn image(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 128]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    image(width, height, ImageFormat::Png)
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    image(width, height, ImageFormat::Jpeg)
}

/// A tiny PNG whose header claims `width` x `height`: decoding it for real would need
/// gigabytes, which is what a decompression bomb does.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(1, 1);
    // Signature (8), IHDR length (4), "IHDR" (4), then width and height.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32fast::hash(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

/// A zip of (name, content) pairs, deflated, in the given order.
pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        zip.start_file(*name, SimpleFileOptions::default())
            .expect("start");
        zip.write_all(content).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>"#;

pub fn docx() -> Vec<u8> {
    let body =
        "<w:document><w:body><w:p><w:r><w:t>复工复产承诺书</w:t></w:r></w:p></w:body></w:document>"
            .repeat(20);
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/document.xml", body.as_bytes()),
    ])
}

pub fn xlsx() -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", b"<workbook><sheets/></workbook>"),
    ])
}

pub fn plain_zip() -> Vec<u8> {
    zip_of(&[
        ("名单.txt", "张三\n李四\n".as_bytes()),
        ("说明.txt", b"readme"),
    ])
}

/// An OLE2 compound file with the given streams, each holding `content`.
pub fn ole2(streams: &[&str], content: &[u8]) -> Vec<u8> {
    let mut compound = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
    for name in streams {
        let mut stream = compound.create_stream(name).expect("stream");
        stream.write_all(content).expect("write");
    }
    compound.flush().expect("flush");
    compound.into_inner().into_inner()
}

/// An Excel 97-2003 workbook: a Workbook stream starting with a BIFF8 BOF record.
pub fn xls() -> Vec<u8> {
    ole2(
        &["Workbook"],
        &[0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00],
    )
}

/// The start of a Windows program: "MZ", the offset of the PE header, the PE header.
pub fn exe() -> Vec<u8> {
    let mut bytes = vec![0u8; 1024];
    bytes[0..2].copy_from_slice(b"MZ");
    bytes[0x3C..0x40].copy_from_slice(&0x80u32.to_le_bytes());
    bytes[0x80..0x84].copy_from_slice(b"PE\0\0");
    bytes[0x84..0x86].copy_from_slice(&0x8664u16.to_le_bytes());
    bytes
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path
}

/// xorshift64: deterministic filler bytes that do not compress, from a non-zero seed.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    // Spread the seed, so that neighbouring seeds give unrelated bytes.
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A valid one-page PDF of exactly `len` bytes (at least a few hundred): the page's content
/// stream is padded with `seed`'s filler, as a scanned document's image data would be.
pub fn pdf_sized(len: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    write_pdf_sized(&mut out, len, seed).expect("writing to memory");
    out
}

/// [`pdf_sized`] streamed into `w`, a block at a time: a benchmark writing gigabytes never
/// holds a file in memory.
pub fn write_pdf_sized(w: &mut impl Write, len: usize, seed: u64) -> std::io::Result<()> {
    let head = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    let fixed: [&[u8]; 3] = [
        CATALOG.as_bytes(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    ];
    // Everything but the padding, for a padding of `pad` bytes.
    let frame = |pad: usize| {
        let mut n = head.len();
        let mut offsets = Vec::new();
        for (i, body) in fixed.iter().enumerate() {
            offsets.push(n);
            n += format!("{} 0 obj\n", i + 1).len() + body.len() + b"\nendobj\n".len();
        }
        offsets.push(n);
        n += format!("4 0 obj\n<< /Length {pad} >>\nstream\n").len()
            + b"\nendstream\nendobj\n".len();
        let xref_at = n + pad;
        let tail = format!(
            "xref\n0 5\n0000000000 65535 f \n{}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
            offsets.iter().map(|o| format!("{o:010} 00000 n \n")).collect::<String>()
        );
        (n + tail.len(), offsets, xref_at, tail)
    };
    // The frame's size depends a little on the digits of the numbers: settle it.
    let mut pad = len.saturating_sub(frame(0).0);
    for _ in 0..3 {
        pad = (pad + len).saturating_sub(frame(pad).0 + pad);
    }
    let (_, _, _, tail) = frame(pad);
    w.write_all(head)?;
    for (i, body) in fixed.iter().enumerate() {
        w.write_all(format!("{} 0 obj\n", i + 1).as_bytes())?;
        w.write_all(body)?;
        w.write_all(b"\nendobj\n")?;
    }
    w.write_all(format!("4 0 obj\n<< /Length {pad} >>\nstream\n").as_bytes())?;
    let mut left = pad;
    let mut block = 0u64;
    while left > 0 {
        let n = left.min(1 << 20);
        w.write_all(&noise(n, seed.wrapping_add(block)))?;
        left -= n;
        block += 1;
    }
    w.write_all(b"\nendstream\nendobj\n")?;
    w.write_all(tail.as_bytes())
}

/// A valid PNG of about `len` bytes: noise does not compress, so its size is its pixels'.
pub fn png_sized(len: usize, seed: u64) -> Vec<u8> {
    let side = ((len / 3) as f64).sqrt().ceil().max(1.0) as u32;
    let bytes = noise((side * side * 3) as usize, seed);
    let img = RgbImage::from_raw(side, side, bytes).expect("pixels fit the image");
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).expect("encode");
    out.into_inner()
}

/// A valid JPEG of roughly `len` bytes (noise at the encoder's default quality).
pub fn jpeg_sized(len: usize, seed: u64) -> Vec<u8> {
    let side = ((len / 2) as f64).sqrt().ceil().max(8.0) as u32;
    let bytes = noise((side * side * 3) as usize, seed);
    let img = RgbImage::from_raw(side, side, bytes).expect("pixels fit the image");
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Jpeg).expect("encode");
    out.into_inner()
}

fn office_with(main: (&str, &[u8]), len: usize, seed: u64) -> Vec<u8> {
    let media = noise(len, seed);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        main,
        ("docProps/media.bin", media.as_slice()),
    ] {
        zip.start_file(name, stored).expect("start");
        zip.write_all(content).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

/// A valid .docx of about `len` bytes (an embedded media part makes up the size).
pub fn docx_sized(len: usize, seed: u64) -> Vec<u8> {
    office_with(
        ("word/document.xml", b"<w:document><w:body/></w:document>"),
        len,
        seed,
    )
}

/// A valid .xlsx of about `len` bytes.
pub fn xlsx_sized(len: usize, seed: u64) -> Vec<u8> {
    office_with(
        ("xl/workbook.xml", b"<workbook><sheets/></workbook>"),
        len,
        seed,
    )
}

/// A valid file of about `len` bytes in the first of `formats` (a material rule's list) that
/// the samples can make, with its extension; `None` when none can be made.
pub fn for_formats<S: AsRef<str>>(
    formats: &[S],
    len: usize,
    seed: u64,
) -> Option<(Vec<u8>, &'static str)> {
    for f in formats {
        let made = match f.as_ref() {
            "pdf" => (pdf_sized(len.max(400), seed), "pdf"),
            "png" => (png_sized(len, seed), "png"),
            "jpg" | "jpeg" => (jpeg_sized(len, seed), "jpg"),
            "xlsx" => (xlsx_sized(len, seed), "xlsx"),
            "docx" => (docx_sized(len, seed), "docx"),
            "zip" => (zip_of(&[("data.bin", &noise(len, seed))]), "zip"),
            _ => continue,
        };
        return Some(made);
    }
    None
}
