//! The smallest typst world that lays out the report: two files that live in memory (the
//! layout and the report as JSON), the compiled-in fonts, and no clock, disk or network.

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

use crate::{Error, ItemStatus, SelfCheckReport};

/// The layout, in typst markup. It reads everything it prints from [`DATA_PATH`].
const LAYOUT: &str = include_str!("report.typ");
const LAYOUT_PATH: &str = "/report.typ";
/// Where the layout finds the report, as JSON.
const DATA_PATH: &str = "/report.json";

static FONT_REGULAR: &[u8] = include_bytes!("../fonts/NotoSansCJKsc-Regular.subset.otf");
static FONT_BOLD: &[u8] = include_bytes!("../fonts/NotoSansCJKsc-Bold.subset.otf");

/// The family name both faces carry; the layout asks for it by name.
const FONT_FAMILY: &str = "Noto Sans CJK SC";

/// How many compilations a memoized result survives unused. typst memoizes globally; without
/// eviction a long-running app would keep every report it ever laid out.
const CACHE_MAX_AGE: usize = 4;

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsed once: parsing a CJK font's tables is not free. The error names the face.
static FONTS: LazyLock<Result<Fonts, &'static str>> = LazyLock::new(|| {
    let faces = [
        ("Noto Sans CJK SC Regular", FONT_REGULAR),
        ("Noto Sans CJK SC Bold", FONT_BOLD),
    ];
    let mut fonts = Vec::with_capacity(faces.len());
    for (name, data) in faces {
        match Font::new(Bytes::new(data), 0) {
            Some(font) if font.info().family == FONT_FAMILY => fonts.push(font),
            _ => return Err(name),
        }
    }
    Ok(Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    })
});

/// The standard library, built once: the report's data comes in as a file, not as inputs.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

fn file_id(path: &str) -> FileResult<FileId> {
    let vpath = VirtualPath::new(path).map_err(|_| FileError::NotFound(path.into()))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

struct ReportWorld {
    fonts: &'static Fonts,
    main: FileId,
    data_id: FileId,
    source: Source,
    data: Bytes,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::NotFound(id.vpath().get_without_slash().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main {
            Ok(Bytes::from_string(self.source.clone()))
        } else {
            Err(FileError::NotFound(id.vpath().get_without_slash().into()))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // The report has its own date; the clock must not leak into the document.
        None
    }
}

/// What the layout reads: the report's fields, plus the few strings easier made here.
#[derive(Serialize)]
struct LayoutData<'a> {
    company_name: &'a str,
    credit_code: &'a str,
    address: &'a str,
    facts: &'a [crate::ReportFact],
    template_title: &'a str,
    template_id: &'a str,
    template_version: u32,
    date: &'a str,
    passed: bool,
    /// 通过 / 未通过.
    verdict: &'static str,
    sections: Vec<LayoutSection<'a>>,
    answers_sha256: &'a str,
}

#[derive(Serialize)]
struct LayoutSection<'a> {
    title: &'a str,
    items: Vec<LayoutItem<'a>>,
}

#[derive(Serialize)]
struct LayoutItem<'a> {
    prompt: &'a str,
    answer: &'a str,
    /// pass / fail / not_judged, for the colour.
    status: ItemStatus,
    /// 符合 / 不符合 / 不评判.
    status_label: &'static str,
    note: Option<&'a str>,
}

fn status_label(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Pass => "符合",
        ItemStatus::Fail => "不符合",
        ItemStatus::NotJudged => "不评判",
    }
}

fn layout_data(report: &SelfCheckReport) -> Result<Bytes, Error> {
    let data = LayoutData {
        company_name: &report.company_name,
        credit_code: &report.credit_code,
        address: &report.address,
        facts: &report.facts,
        template_title: &report.template_title,
        template_id: &report.template_id,
        template_version: report.template_version,
        date: &report.date,
        passed: report.passed,
        answers_sha256: &report.answers_sha256,
        verdict: if report.passed { "通过" } else { "未通过" },
        sections: report
            .sections
            .iter()
            .map(|s| LayoutSection {
                title: &s.title,
                items: s
                    .items
                    .iter()
                    .map(|i| LayoutItem {
                        prompt: &i.prompt,
                        answer: &i.answer,
                        status: i.status,
                        status_label: status_label(i.status),
                        note: i.note.as_deref().filter(|n| !n.trim().is_empty()),
                    })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_vec(&data)
        .map(Bytes::new)
        .map_err(|e| Error::Layout(format!("JSON: {e}")))
}

/// Lays the report out into pages. typst's warnings come along: the layout should have none
/// (a test makes sure), and a caller has no use for them.
pub(crate) fn compile(report: &SelfCheckReport) -> Result<(PagedDocument, Vec<String>), Error> {
    let fonts = FONTS.as_ref().map_err(|face| Error::FontMissing(face))?;
    let main = file_id(LAYOUT_PATH).map_err(|e| Error::Layout(e.to_string()))?;
    let data_id = file_id(DATA_PATH).map_err(|e| Error::Layout(e.to_string()))?;
    let world = ReportWorld {
        fonts,
        main,
        data_id,
        source: Source::new(main, LAYOUT.to_owned()),
        data: layout_data(report)?,
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

/// Writes the pages as PDF, dated with the report's own date.
pub(crate) fn export(
    document: &PagedDocument,
    report: &SelfCheckReport,
    date: Datetime,
) -> Result<Vec<u8>, Error> {
    let options = PdfOptions {
        // Stable across renders of the same self-check, distinct between companies and
        // answer sets; only its hash reaches the file.
        ident: Smart::Custom(format!(
            "yiqifu-self-check/{}/{}/{}/{}",
            report.credit_code, report.template_id, report.template_version, report.answers_sha256
        )),
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
pub(crate) mod inspect {
    //! Looks inside the laid-out pages, for tests that a PDF's text cannot answer.

    use typst::layout::{Frame, FrameItem};

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
}
