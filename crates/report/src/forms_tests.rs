//! The three forms as laid out, before they become PDF: what a PDF's text cannot tell.

use typst_layout::PagedDocument;

use crate::forms_fixtures as fx;
use crate::world::{self, inspect, Printable};

fn laid_out<P: Printable>(document: &P) -> PagedDocument {
    let (document, warnings) = world::compile(document).expect("layout");
    assert!(warnings.is_empty(), "typst warns: {warnings:?}");
    document
}

/// Every form in the fixtures, laid out: plain, markup-laden, with annexes.
fn all_forms() -> Vec<(&'static str, PagedDocument)> {
    vec![
        ("application form", laid_out(&fx::application_form(40))),
        (
            "application form, markup",
            laid_out(&fx::application_form_markup()),
        ),
        ("commitment letter", laid_out(&fx::commitment_letter(40))),
        (
            "commitment letter, markup",
            laid_out(&fx::commitment_letter_markup()),
        ),
        ("receipt", laid_out(&fx::receipt())),
        ("receipt, markup", laid_out(&fx::receipt_markup())),
    ]
}

fn glyphs_of(document: &PagedDocument) -> Vec<(String, u16)> {
    let mut glyphs = Vec::new();
    for page in document.pages() {
        inspect::glyphs(&page.frame, &mut glyphs);
    }
    glyphs
}

/// As for the report: a character no font has comes out as glyph 0 (a box), which
/// pdftotext would still read as the character.
#[test]
fn every_character_of_the_forms_has_a_glyph() {
    for (name, document) in all_forms() {
        let glyphs = glyphs_of(&document);
        let missing: Vec<&str> = glyphs
            .iter()
            .filter(|(_, id)| *id == 0)
            .map(|(text, _)| text.as_str())
            .collect();
        assert!(missing.is_empty(), "{name}: no glyph for {missing:?}");
        assert!(glyphs.len() > 500, "{name}: only {} glyphs", glyphs.len());
    }
}

/// 䶮 (CJK Extension A) in a staff name, not only in the company's, is a real glyph.
#[test]
fn a_rare_character_in_a_staff_name_is_a_real_glyph() {
    let mut letter = fx::commitment_letter(3);
    letter.company_name = "上海浦江精密机械有限公司".to_owned();
    assert!(letter.staff[0].name.contains('䶮'));
    let glyphs = glyphs_of(&laid_out(&letter));
    assert!(glyphs.iter().any(|(text, id)| text == "䶮" && *id != 0));
}

/// The Bold face only has GB 2312, so bold is for the layouts' own words: every bold run is
/// text written in a layout file, never data.
#[test]
fn only_the_layouts_own_words_are_bold() {
    let sources: Vec<&str> = [
        crate::ApplicationForm::LAYOUT,
        crate::CommitmentLetter::LAYOUT,
        crate::Receipt::LAYOUT,
    ]
    .iter()
    .flat_map(|layout| std::iter::once(layout.main.1).chain(layout.modules.iter().map(|m| m.1)))
    .collect();
    for (name, document) in all_forms() {
        let mut runs = Vec::new();
        for page in document.pages() {
            inspect::runs(&page.frame, &mut runs);
        }
        let bold: Vec<&str> = runs
            .iter()
            .filter(|(_, bold)| *bold)
            .map(|(text, _)| text.trim())
            .collect();
        assert!(!bold.is_empty(), "{name}: no bold heading at all");
        for run in bold {
            assert!(
                sources.iter().any(|s| s.contains(run)),
                "{name}: {run:?} is bold but is not the layout's own text"
            );
        }
    }
}

/// The dormitory commitment is there only when staff live on site, and the numbering follows.
#[test]
fn the_dormitory_commitment_depends_on_dormitories() {
    let text = |dormitories: bool| {
        let mut letter = fx::commitment_letter(2);
        letter.dormitories = dormitories;
        let mut runs = Vec::new();
        inspect::runs(&laid_out(&letter).pages()[0].frame, &mut runs);
        runs.into_iter().map(|(t, _)| t).collect::<String>()
    };
    let with = text(true);
    let without = text(false);
    assert!(with.contains("落实宿舍管理"), "{with}");
    assert!(!without.contains("落实宿舍管理"), "{without}");
    assert!(with.contains("八、") && !with.contains("九、"), "{with}");
    assert!(
        without.contains("七、") && !without.contains("八、"),
        "{without}"
    );
}
