//! The text the library search sees: one normalised form for documents and queries, and the
//! tokens of the full-text index.
//!
//! Normalisation maps every character to exactly one character, so a position in the
//! normalised text is a position in the original: that is what lets a snippet highlight the
//! words as the document prints them.
//!
//! The index holds overlapping bigrams of every run of non-space characters, plus a closing
//! token for the run's last character. A query becomes the bigram phrase of each of its runs,
//! so a query matches exactly where its normalised text is a substring of the document's:
//! no word is lost at a segmentation boundary, and two-character words (复工, 核酸) are one
//! token. A one-character query is a prefix of tokens, which every occurrence starts.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Bumped whenever the tokens below change: an index built by another version is rebuilt.
pub const INDEX_VERSION: u32 = 1;

/// Ends a run in the index. A private-use character: never in a document after
/// normalisation, and a token character to SQLite's `ascii` tokenizer.
const RUN_END: char = '\u{E000}';
/// ASCII punctuation is a separator to the `ascii` tokenizer, but part of what an officer
/// types (〔2022〕3号 normalises to `(2022)3号`): in tokens it is moved to private use.
const PUNCT_BASE: u32 = 0xE100;

fn traditional_to_simplified() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        // Only one-to-one character mappings: the normalised text must keep its positions.
        // The converter's phrase tables do not apply to single characters, so this is its
        // character table.
        let ranges = [0x3400u32..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF];
        let mut map = HashMap::new();
        let mut buf = [0u8; 4];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let s = hanconv::t2s(c.encode_utf8(&mut buf));
            let mut it = s.chars();
            if let (Some(t), None) = (it.next(), it.next()) {
                if t != c {
                    map.insert(c, t);
                }
            }
        }
        map
    })
}

/// One character in its searchable form: half-width, lower case, simplified, any space a
/// plain space.
pub fn normalise_char(c: char) -> char {
    let c = match c as u32 {
        // Full-width ASCII forms.
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    // The CJK brackets of a document number (〔2022〕) are typed as ( ) or [ ] as often.
    let c = match c {
        '〔' | '［' | '【' | '〖' => '(',
        '〕' | '］' | '】' | '〗' => ')',
        _ => c,
    };
    if c.is_whitespace() {
        return ' ';
    }
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if let Some(&s) = traditional_to_simplified().get(&c) {
        return s;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The searchable form of `s`, character for character.
pub fn normalise(s: &str) -> String {
    s.chars().map(normalise_char).collect()
}

fn token_char(c: char) -> char {
    if c.is_ascii_punctuation() {
        char::from_u32(PUNCT_BASE + c as u32).unwrap_or(c)
    } else {
        c
    }
}

/// The runs of non-space characters of normalised text.
fn runs(normalised: &str) -> impl Iterator<Item = Vec<char>> + '_ {
    normalised
        .split(' ')
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().map(token_char).collect())
}

/// The index tokens of `text`, space-separated: each run's bigrams, then its last
/// character closed by the run end.
pub fn index_tokens(text: &str) -> String {
    let normalised = normalise(text);
    let mut out = String::with_capacity(normalised.len() * 3);
    for run in runs(&normalised) {
        for pair in run.windows(2) {
            out.push(pair[0]);
            out.push(pair[1]);
            out.push(' ');
        }
        if let Some(&last) = run.last() {
            out.push(last);
            out.push(RUN_END);
            out.push(' ');
        }
    }
    out
}

/// One term of a query: what it matches as an FTS5 expression and what to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The normalised text, which a document must contain.
    pub text: String,
    /// The FTS5 phrase for it.
    pub phrase: String,
}

/// The terms of a query: its space-separated words, each normalised. Every term must be
/// found (AND).
pub fn query_terms(query: &str) -> Vec<Term> {
    let normalised = normalise(query);
    normalised
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| Term {
            text: w.to_string(),
            phrase: phrase_of(w),
        })
        .collect()
}

/// The FTS5 phrase of a word without spaces: its bigrams, in order; a one-character word is
/// a prefix, which the bigram and the closing token of every occurrence start with.
pub fn phrase_of(word: &str) -> String {
    let chars: Vec<char> = word.chars().map(token_char).collect();
    let mut tokens: Vec<String> = chars
        .windows(2)
        .map(|p| [p[0], p[1]].iter().collect())
        .collect();
    if chars.len() == 1 {
        return format!("\"{}\"*", chars[0]);
    }
    if tokens.is_empty() {
        tokens.push(String::new());
    }
    format!("\"{}\"", tokens.join(" "))
}

/// Where the terms occur in `normalised`, as char ranges, sorted and merged.
pub fn find_all(normalised: &[char], terms: &[Vec<char>]) -> Vec<(usize, usize)> {
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for t in terms.iter().filter(|t| !t.is_empty()) {
        if t.len() > normalised.len() {
            continue;
        }
        let mut i = 0;
        while i + t.len() <= normalised.len() {
            if normalised[i..i + t.len()] == t[..] {
                hits.push((i, i + t.len()));
                i += t.len();
            } else {
                i += 1;
            }
        }
    }
    hits.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(hits.len());
    for (s, e) in hits {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_width_case_and_traditional_forms_char_for_char() {
        assert_eq!(normalise("復工ＡＢＣ１２３"), "复工abc123");
        assert_eq!(normalise("沪经信规〔2022〕3号"), "沪经信规(2022)3号");
        assert_eq!(normalise("核酸\u{3000}檢測"), "核酸 检测");
        let s = "關於進一步做好復工復產工作的通知（試行）";
        assert_eq!(s.chars().count(), normalise(s).chars().count());
    }

    #[test]
    fn tokens_are_bigrams_with_a_closing_token() {
        assert_eq!(index_tokens("复工复产"), "复工 工复 复产 产\u{E000} ");
        assert_eq!(index_tokens("税 A"), "税\u{E000} a\u{E000} ");
    }

    #[test]
    fn a_query_word_is_its_bigram_phrase() {
        assert_eq!(phrase_of("复工"), "\"复工\"");
        assert_eq!(phrase_of("复工复产"), "\"复工 工复 复产\"");
        assert_eq!(phrase_of("税"), "\"税\"*");
        let t = query_terms("復工  補貼");
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].text, "补贴");
    }

    #[test]
    fn finds_and_merges_occurrences() {
        let text: Vec<char> = "复工复产复工".chars().collect();
        let terms = vec!["复工".chars().collect(), "工复".chars().collect()];
        assert_eq!(find_all(&text, &terms), vec![(0, 3), (4, 6)]);
    }
}
