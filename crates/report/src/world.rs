//! The smallest typst world that lays out one document: its layout (a main file and the
//! modules it imports, all compiled in), its data as a JSON file, the compiled-in fonts, and
//! no clock, disk or network.

use std::sync::LazyLock;

use serde::Serialize;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::Error;

/// A document's layout in typst markup, and where it reads what it prints.
pub(crate) struct Layout {
    /// The main file: (path in the world, markup).
    pub main: (&'static str, &'static str),
    /// Files the main file imports, same shape.
    pub modules: &'static [(&'static str, &'static str)],
    /// Where the layout finds its data, as JSON.
    pub data_path: &'static str,
}

/// A document this crate prints: its layout, and the JSON its layout reads.
pub(crate) trait Printable {
    const LAYOUT: Layout;
    fn layout_data(&self) -> Result<Bytes, Error>;
}

/// The family name both faces carry; the layouts ask for it by name.
const FONT_FAMILY: &str = "Noto Sans CJK SC";

/// How many compilations a memoized result survives unused. typst memoizes globally; without
/// eviction a long-running app would keep every document it ever laid out.
const CACHE_MAX_AGE: usize = 4;

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsed once: parsing a CJK font's tables is not free. The error names the face and, on
/// Linux, the package that brings it.
static FONTS: LazyLock<Result<Fonts, &'static str>> = LazyLock::new(|| parse(faces::load()?));

fn parse(faces: [(&'static str, Bytes); 2]) -> Result<Fonts, &'static str> {
    let mut fonts = Vec::with_capacity(faces.len());
    for (name, data) in faces {
        // A collection holds the Japanese, Korean and Chinese faces: the SC one is wanted.
        match Font::iter(data).find(|f| f.info().family == FONT_FAMILY) {
            Some(font) => fonts.push(font),
            None => return Err(name),
        }
    }
    Ok(Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    })
}

/// Windows and macOS: the subsets in `fonts/`, compiled in, since neither system is sure to
/// have a CJK face typst can embed.
#[cfg(not(target_os = "linux"))]
mod faces {
    use typst::foundations::Bytes;

    static REGULAR: &[u8] = include_bytes!("../fonts/NotoSansCJKsc-Regular.subset.otf");
    static BOLD: &[u8] = include_bytes!("../fonts/NotoSansCJKsc-Bold.subset.otf");

    pub(super) fn load() -> Result<[(&'static str, Bytes); 2], &'static str> {
        Ok([
            ("Noto Sans CJK SC Regular", Bytes::new(REGULAR)),
            ("Noto Sans CJK SC Bold", Bytes::new(BOLD)),
        ])
    }
}

/// Linux: the system's Noto Sans CJK collections, the very files the subsets are cut from.
/// The .deb depends on Debian's `fonts-noto-cjk` rather than carrying 11 MB of fonts the
/// system has (the package was 30 MB with them).
#[cfg(target_os = "linux")]
mod faces {
    use std::path::{Path, PathBuf};

    use typst::foundations::Bytes;

    /// Where distributions put the collections: Debian and Ubuntu, Arch, Fedora.
    const DIRS: &[&str] = &[
        "/usr/share/fonts/opentype/noto",
        "/usr/share/fonts/noto-cjk",
        "/usr/share/fonts/google-noto-cjk",
    ];

    const MISSING_REGULAR: &str = "Noto Sans CJK SC Regular (NotoSansCJK-Regular.ttc): \
        install the package fonts-noto-cjk (sudo apt install fonts-noto-cjk)";
    const MISSING_BOLD: &str = "Noto Sans CJK SC Bold (NotoSansCJK-Bold.ttc): \
        install the package fonts-noto-cjk (sudo apt install fonts-noto-cjk)";

    pub(super) fn load() -> Result<[(&'static str, Bytes); 2], &'static str> {
        let dirs: Vec<PathBuf> = DIRS.iter().map(PathBuf::from).collect();
        load_from(&dirs)
    }

    pub(super) fn load_from(dirs: &[PathBuf]) -> Result<[(&'static str, Bytes); 2], &'static str> {
        Ok([
            (
                MISSING_REGULAR,
                map(dirs, "NotoSansCJK-Regular.ttc").ok_or(MISSING_REGULAR)?,
            ),
            (
                MISSING_BOLD,
                map(dirs, "NotoSansCJK-Bold.ttc").ok_or(MISSING_BOLD)?,
            ),
        ])
    }

    /// The first readable copy, mapped rather than read: typst touches a few of a
    /// collection's 20 MB, and mapped pages are the page cache's, shared and reclaimable.
    fn map(dirs: &[PathBuf], file: &str) -> Option<Bytes> {
        dirs.iter().find_map(|dir| map_file(&dir.join(file)))
    }

    fn map_file(path: &Path) -> Option<Bytes> {
        let file = std::fs::File::open(path).ok()?;
        // SAFETY: the mapping is read-only and the file belongs to a system package. Package
        // managers replace a file by renaming a new one over it, so an upgrade while the app
        // runs leaves this mapping on the old, unchanged inode; nothing truncates it in place.
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        Some(Bytes::new(map))
    }
}

/// The standard library, built once: each document's data comes in as a file, not as inputs.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

fn file_id(path: &str) -> FileResult<FileId> {
    let vpath = VirtualPath::new(path).map_err(|_| FileError::NotFound(path.into()))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

struct DocumentWorld {
    fonts: &'static Fonts,
    /// The main file first, then its modules.
    sources: Vec<Source>,
    data_id: FileId,
    data: Bytes,
}

impl DocumentWorld {
    fn find(&self, id: FileId) -> Option<&Source> {
        self.sources.iter().find(|s| s.id() == id)
    }
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        // `compile_layout` always puts the main file first.
        self.sources[0].id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.find(id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if let Some(source) = self.find(id) {
            Ok(Bytes::from_string(source.clone()))
        } else {
            Err(FileError::NotFound(id.vpath().get_without_slash().into()))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Each document has its own date; the clock must not leak into the document.
        None
    }
}

/// A document's data as the JSON file its layout reads.
pub(crate) fn to_json(data: &impl Serialize) -> Result<Bytes, Error> {
    serde_json::to_vec(data)
        .map(Bytes::new)
        .map_err(|e| Error::Layout(format!("JSON: {e}")))
}

/// Lays a document out into pages, see [`compile_layout`].
pub(crate) fn compile<P: Printable>(document: &P) -> Result<(PagedDocument, Vec<String>), Error> {
    compile_layout(&P::LAYOUT, document.layout_data()?)
}
/// Lays a layout out into pages with `data` as its JSON file. typst's warnings come along:
/// the layouts should have none (tests make sure), and a caller has no use for them.
pub(crate) fn compile_layout(
    layout: &Layout,
    data: Bytes,
) -> Result<(PagedDocument, Vec<String>), Error> {
    let fonts = FONTS.as_ref().map_err(|face| Error::FontMissing(face))?;
    let mut sources = Vec::with_capacity(1 + layout.modules.len());
    for (path, markup) in std::iter::once(&layout.main).chain(layout.modules) {
        let id = file_id(path).map_err(|e| Error::Layout(e.to_string()))?;
        sources.push(Source::new(id, (*markup).to_owned()));
    }
    let data_id = file_id(layout.data_path).map_err(|e| Error::Layout(e.to_string()))?;
    let world = DocumentWorld {
        fonts,
        sources,
        data_id,
        data,
    };
    let warned = typst::compile::<PagedDocument>(&world);
    typst::comemo::evict(CACHE_MAX_AGE);
    let warnings = warned
        .warnings
        .iter()
        .map(|w| describe(std::slice::from_ref(w)))
        .collect();
    let document = warned
        .output
        .map_err(|diags| Error::Layout(describe(&diags)))?;
    Ok((document, warnings))
}

/// Writes the pages as PDF, dated with the document's own date. `ident` must be derived from
/// the document's content: stable across renders of the same data, distinct otherwise; only
/// its hash reaches the file.
pub(crate) fn export(
    document: &PagedDocument,
    ident: String,
    date: Datetime,
) -> Result<Vec<u8>, Error> {
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some("益企服桌面端 Yiqifu Desktop".to_owned())),
        timestamp: Some(Timestamp::new_utc(date)),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|diags| Error::Export(describe(&diags)))
}

fn describe(diags: &[SourceDiagnostic]) -> String {
    let mut out = String::new();
    for (i, diag) in diags.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str(&diag.message);
        for hint in &diag.hints {
            out.push_str(" (");
            out.push_str(&hint.v);
            out.push(')');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_load_as_the_family_the_layouts_ask_for() {
        let fonts = FONTS.as_ref().map_err(|e| e.to_string()).unwrap();
        let weights: Vec<u16> = fonts
            .fonts
            .iter()
            .map(|f| {
                assert_eq!(f.info().family, FONT_FAMILY);
                f.info().variant.weight.to_number()
            })
            .collect();
        assert_eq!(weights, [400, 700]);
    }

    #[test]
    fn a_file_that_is_not_the_family_is_refused_by_name() {
        let garbage = Bytes::new(b"not a font".to_vec());
        let err = parse([("Regular face", garbage.clone()), ("Bold face", garbage)])
            .err()
            .unwrap();
        assert_eq!(err, "Regular face");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn without_the_system_collections_the_error_says_which_package_to_install() {
        let dir = std::env::temp_dir().join(format!("yiqifu-no-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = faces::load_from(std::slice::from_ref(&dir)).err().unwrap();
        assert!(err.contains("NotoSansCJK-Regular.ttc"), "{err}");
        assert!(err.contains("sudo apt install fonts-noto-cjk"), "{err}");
        // One collection there, the other not: the missing one is named.
        std::fs::copy(
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            dir.join("NotoSansCJK-Regular.ttc"),
        )
        .unwrap();
        let err = faces::load_from(std::slice::from_ref(&dir)).err().unwrap();
        assert!(err.contains("NotoSansCJK-Bold.ttc"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[cfg(test)]
pub(crate) mod inspect {
    //! Looks inside the laid-out pages, for tests that a PDF's text cannot answer.

    use typst::layout::{Frame, FrameItem};
    use typst::text::FontWeight;

    /// Every (character run, glyph id) typst placed, in page order.
    pub(crate) fn glyphs(frame: &Frame, out: &mut Vec<(String, u16)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => glyphs(&group.frame, out),
                FrameItem::Text(text) => {
                    for glyph in &text.glyphs {
                        let run = text.text.get(glyph.range()).unwrap_or("").to_owned();
                        out.push((run, glyph.id));
                    }
                }
                _ => {}
            }
        }
    }

    /// Every text run typst placed, in page order, and whether it is set in a bold face.
    pub(crate) fn runs(frame: &Frame, out: &mut Vec<(String, bool)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => runs(&group.frame, out),
                FrameItem::Text(text) => {
                    let weight = text.font.font().info().variant.weight;
                    out.push((text.text.to_string(), weight >= FontWeight::SEMIBOLD));
                }
                _ => {}
            }
        }
    }
}
