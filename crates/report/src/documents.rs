//! The three forms' data as their layouts read it: the structs themselves as JSON, plus the
//! few strings easier made in Rust than in typst.

use serde::Serialize;
use typst::foundations::Bytes;

use crate::world::{to_json, Layout, Printable};
use crate::{ApplicationForm, CommitmentLetter, Error, Receipt};

/// Imported by every form's layout.
const COMMON: (&str, &str) = ("/form_common.typ", include_str!("form_common.typ"));

impl Printable for ApplicationForm {
    const LAYOUT: Layout = Layout {
        main: (
            "/application_form.typ",
            include_str!("application_form.typ"),
        ),
        modules: &[COMMON],
        data_path: "/application_form.json",
    };

    fn layout_data(&self) -> Result<Bytes, Error> {
        to_json(self)
    }
}

impl Printable for CommitmentLetter {
    const LAYOUT: Layout = Layout {
        main: (
            "/commitment_letter.typ",
            include_str!("commitment_letter.typ"),
        ),
        modules: &[COMMON],
        data_path: "/commitment_letter.json",
    };

    fn layout_data(&self) -> Result<Bytes, Error> {
        to_json(self)
    }
}

#[derive(Serialize)]
struct ReceiptData<'a> {
    #[serde(flatten)]
    receipt: &'a Receipt,
    /// 首次提交 / 第 2 次提交（补正后重新提交）.
    round_label: String,
    /// One per material, in order: 2.4 MB.
    material_sizes: Vec<String>,
}

impl Printable for Receipt {
    const LAYOUT: Layout = Layout {
        main: ("/receipt.typ", include_str!("receipt.typ")),
        modules: &[COMMON],
        data_path: "/receipt.json",
    };

    fn layout_data(&self) -> Result<Bytes, Error> {
        to_json(&ReceiptData {
            receipt: self,
            round_label: round_label(self.round),
            material_sizes: self.materials.iter().map(|m| size_text(m.size)).collect(),
        })
    }
}

fn round_label(round: u32) -> String {
    match round {
        0 | 1 => "首次提交".to_owned(),
        n => format!("第 {n} 次提交（补正后重新提交）"),
    }
}

/// Sizes as an office worker reads them, with the unit a file manager would show.
fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    // Rounding is exact and platform-independent: IEEE division and `{:.1}` formatting.
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    // 1023.95 would print as 1024.0: it reads better in the next unit.
    while value >= 1023.95 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// The PDF identifier of a form: its kind and all of its data, so the same form always gets
/// the same identifier and any change gives another. typst only hashes it.
pub(crate) fn ident(kind: &str, data: &Bytes) -> String {
    format!("yiqifu-{kind}/{}", String::from_utf8_lossy(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(size_text(0), "0 B");
        assert_eq!(size_text(1023), "1023 B");
        assert_eq!(size_text(1024), "1.0 KB");
        assert_eq!(size_text(1536), "1.5 KB");
        assert_eq!(size_text(2_516_582), "2.4 MB");
        assert_eq!(size_text(1024 * 1024 - 1), "1.0 MB");
        assert_eq!(size_text(u64::MAX), "16777216.0 TB");
    }

    #[test]
    fn rounds_say_first_or_resubmitted() {
        assert_eq!(round_label(1), "首次提交");
        assert_eq!(round_label(3), "第 3 次提交（补正后重新提交）");
    }
}
