//! File names as the officer picked them: shown to reviewers, sent to the service and used
//! inside the package, so they must be safe on every system that will extract them.

use crate::Error;

pub const MAX_NAME_CHARS: usize = 120;
/// NTFS and ext4 allow 255; keeping below leaves room for " (2)" and a temp suffix.
pub const MAX_NAME_BYTES: usize = 240;

/// Text-direction controls: U+202E can make "gpj.exe" display as "exe.jpg".
pub(crate) fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that draw nothing, so two names that look the same can differ, or an
/// extension can hide behind what looks like the end of the name.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}'
        | '\u{206A}'..='\u{206F}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

pub(crate) fn is_control(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

const FORBIDDEN: [char; 7] = ['<', '>', ':', '"', '|', '?', '*'];

fn has_drive(name: &str) -> bool {
    let mut chars = name.chars();
    matches!((chars.next(), chars.next()), (Some(d), Some(':')) if d.is_ascii_alphabetic())
}

/// The device name a name stands for on Windows, whatever its extension ("con.txt" is CON).
fn reserved_stem(name: &str) -> Option<&str> {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let upper = stem.to_uppercase();
    let device = match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let mut chars = upper.chars();
            let prefix: String = chars.by_ref().take(3).collect();
            let rest: Vec<char> = chars.collect();
            (prefix == "COM" || prefix == "LPT")
                && matches!(rest.as_slice(), [d] if d.is_ascii_digit() || matches!(d, '¹' | '²' | '³'))
        }
    };
    device.then_some(stem)
}

/// Checks the name of a file the officer picked (its last path component) and returns it
/// trimmed: the name to show and to send.
pub fn check_name(name: &str) -> Result<String, Error> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::NameEmpty);
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS || name.len() > MAX_NAME_BYTES {
        return Err(Error::NameTooLong {
            chars,
            max_chars: MAX_NAME_CHARS,
        });
    }
    if name.contains(['/', '\\']) || name == "." || name == ".." || has_drive(name) {
        return Err(Error::NameHasPath);
    }
    if name.chars().any(is_control) {
        return Err(Error::NameHasControl);
    }
    if name.chars().any(is_bidi) {
        return Err(Error::NameHasBidi);
    }
    if name.chars().any(is_invisible) {
        return Err(Error::NameHasInvisible);
    }
    if let Some(ch) = name.chars().find(|c| FORBIDDEN.contains(c)) {
        return Err(Error::NameForbiddenChar { ch });
    }
    if let Some(stem) = reserved_stem(name) {
        return Err(Error::NameReserved {
            stem: stem.to_owned(),
        });
    }
    if name.ends_with(['.', ' ']) {
        return Err(Error::NameTrailingDotOrSpace);
    }
    Ok(name.to_owned())
}

/// Splits "a.b.pdf" into ("a.b", ".pdf"); a name with no dot, a leading dot only, or a long
/// tail after its last dot has no extension.
pub(crate) fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= 16 => name.split_at(i),
        _ => (name, ""),
    }
}

/// Cuts `stem` so that `stem + tail` fits the name limits, on a character boundary.
pub(crate) fn fit(stem: &str, tail: &str) -> String {
    let tail_chars = tail.chars().count();
    let mut out = String::new();
    for (count, c) in stem.chars().enumerate() {
        if count + 1 + tail_chars > MAX_NAME_CHARS
            || out.len() + c.len_utf8() + tail.len() > MAX_NAME_BYTES
        {
            break;
        }
        out.push(c);
    }
    // Cutting can leave a trailing dot or whitespace in the stem, which check_name refuses
    // or trims away: either way the name would not come back from it unchanged.
    let kept = out.trim_end_matches(is_trailing_junk).len();
    out.truncate(kept);
    // A stem of dots alone ("..pdf") is now empty, and " (2).pdf" would lose its space.
    if out.is_empty() && tail.starts_with(char::is_whitespace) {
        out.push_str("file");
    }
    out.push_str(tail);
    out
}

/// What check_name trims from or refuses at the end of a name: any whitespace (U+2000 as
/// much as ' ') and dots.
fn is_trailing_junk(c: char) -> bool {
    c == '.' || c.is_whitespace()
}

/// A name that passes [`check_name`], made from any name: for paths inside a package,
/// where refusing is no longer possible. Bad characters are dropped or replaced by '_'.
pub(crate) fn sanitize(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .filter(|c| !is_control(*c) && !is_bidi(*c) && !is_invisible(*c))
        .map(|c| if FORBIDDEN.contains(&c) { '_' } else { c })
        .collect();
    // Trimmed to a fixed point in one pass: "a\u{2000}." losing its dot must not end in
    // whitespace that check_name would then trim.
    let cleaned = cleaned.trim_start().trim_end_matches(is_trailing_junk);
    let mut name = if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "file".to_owned()
    } else {
        cleaned.to_owned()
    };
    if reserved_stem(&name).is_some() {
        name.insert(0, '_');
    }
    let (stem, ext) = split_ext(&name);
    let fitted = fit(stem, ext);
    if fitted.is_empty() {
        return "file".to_owned();
    }
    fitted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_with_and_without_extension() {
        for name in [
            "CON",
            "con.txt",
            "Com1.pdf",
            "LPT9",
            "nul .tar.gz",
            "COM¹.txt",
            "AUX",
        ] {
            assert_eq!(
                check_name(name).map_err(|e| e.code()),
                Err("NAME_RESERVED"),
                "{name}"
            );
        }
        for name in [
            "CONTRACT.pdf",
            "COM10.pdf",
            "console.txt",
            "LPT.pdf",
            "nul合同.pdf",
        ] {
            assert!(check_name(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn fit_never_leaves_a_name_that_check_name_would_change() {
        for (stem, tail, want) in [
            ("a\u{2000}.", "", "a"),
            ("a \u{3000}", ".pdf", "a.pdf"),
            ("..", " (2).pdf", "file (2).pdf"),
            ("\u{2000}", " (3)", "file (3)"),
        ] {
            let fitted = fit(stem, tail);
            assert_eq!(fitted, want, "{stem:?} + {tail:?}");
            assert_eq!(check_name(&fitted).ok().as_deref(), Some(want));
        }
    }

    #[test]
    fn fit_keeps_the_extension_and_the_limits() {
        let long = "营".repeat(200);
        let fitted = fit(&long, ".pdf");
        assert!(fitted.ends_with(".pdf"));
        assert!(fitted.len() <= MAX_NAME_BYTES);
        assert!(check_name(&fitted).is_ok());
    }
}
