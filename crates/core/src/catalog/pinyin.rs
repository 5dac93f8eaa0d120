//! Pinyin and initials that find Chinese: `fugong` and `fg` find 复工, as officers type
//! without switching the input method.
//!
//! The index's two-character tokens are the library's Chinese vocabulary. Each is kept with
//! its pinyin and initials (`pinyin_vocab`, rebuilt when the catalog changed); a Latin query
//! is read as syllables or as initials, and becomes the Chinese words of the catalog that
//! sound like it, most frequent first.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use pinyin::ToPinyinMulti;
use sqlx::SqliteConnection;

use crate::error::Result;

/// How many Chinese readings of one Latin word are searched at most.
pub const MAX_CANDIDATES: usize = 24;
/// Readings of one pair of syllables kept while chaining longer words.
const PAIR_LIMIT: i64 = 40;

/// The readings of one Chinese character: (pinyin without tones, initial).
fn readings(c: char) -> Vec<(&'static str, char)> {
    let Some(multi) = c.to_pinyin_multi() else {
        return vec![];
    };
    let mut out: Vec<(&'static str, char)> = Vec::new();
    for p in multi {
        let plain = p.plain();
        let initial = plain.chars().next().unwrap_or(' ');
        if !out.iter().any(|(q, _)| *q == plain) {
            out.push((plain, initial));
        }
    }
    out
}

/// Every syllable of Mandarin, as the pinyin table spells it without tones.
fn syllables() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        (0x4E00u32..=0x9FFF)
            .filter_map(char::from_u32)
            .flat_map(|c| readings(c).into_iter().map(|(p, _)| p))
            .collect()
    })
}

/// The ways to read `word` as whole syllables (`xian` is both xian and xi·an), at most a
/// few, longest syllables first.
pub fn segmentations(word: &str) -> Vec<Vec<&str>> {
    fn walk<'a>(rest: &'a str, acc: &mut Vec<&'a str>, out: &mut Vec<Vec<&'a str>>) {
        if out.len() >= 4 {
            return;
        }
        if rest.is_empty() {
            out.push(acc.clone());
            return;
        }
        for len in (1..=rest.len().min(6)).rev() {
            let (head, tail) = rest.split_at(len);
            if syllables().contains(head) {
                acc.push(head);
                walk(tail, acc, out);
                acc.pop();
            }
        }
    }
    let mut out = Vec::new();
    if word.is_ascii() && word.chars().all(|c| c.is_ascii_lowercase()) {
        walk(word, &mut Vec::new(), &mut out);
    }
    out
}

/// Whether a word could be pinyin at all: Latin letters only, two or more.
pub fn is_latin_word(word: &str) -> bool {
    word.len() >= 2 && word.chars().all(|c| c.is_ascii_lowercase())
}

/// The rows of `pinyin_vocab` for one two-character token: every reading of the pair.
pub fn pair_rows(token: &str) -> Vec<(String, String)> {
    let mut cs = token.chars();
    let (Some(a), Some(b), None) = (cs.next(), cs.next(), cs.next()) else {
        return vec![];
    };
    let (ra, rb) = (readings(a), readings(b));
    let mut out = Vec::new();
    for (pa, ia) in &ra {
        for (pb, ib) in &rb {
            let row = (format!("{pa} {pb}"), format!("{ia}{ib}"));
            if !out.contains(&row) {
                out.push(row);
            }
        }
    }
    out
}

/// The catalog words (two characters) read as `key` in `column` (`full` or `initials`),
/// most documents first.
async fn pairs(conn: &mut SqliteConnection, column: &str, key: &str) -> Result<Vec<(String, i64)>> {
    let sql = format!(
        "SELECT term, docs FROM pinyin_vocab WHERE {column} = ? ORDER BY docs DESC, term LIMIT ?"
    );
    Ok(sqlx::query_as(&sql)
        .bind(key)
        .bind(PAIR_LIMIT)
        .fetch_all(&mut *conn)
        .await?)
}

/// Chains the two-character readings of consecutive keys into words: 复工 + 工复 + 复产
/// gives 复工复产. Each word scores by its rarest pair.
async fn chain(
    conn: &mut SqliteConnection,
    column: &str,
    keys: &[String],
) -> Result<Vec<(String, i64)>> {
    let mut words: Vec<(String, i64)> = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let found = pairs(conn, column, key).await?;
        if i == 0 {
            words = found;
            continue;
        }
        let mut next: BTreeMap<String, i64> = BTreeMap::new();
        for (w, score) in &words {
            let Some(last) = w.chars().last() else {
                continue;
            };
            for (p, docs) in &found {
                let mut pc = p.chars();
                if pc.next() == Some(last) {
                    if let Some(second) = pc.next() {
                        next.insert(format!("{w}{second}"), (*score).min(*docs));
                    }
                }
            }
        }
        words = next.into_iter().collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words.truncate(PAIR_LIMIT as usize);
        if words.is_empty() {
            break;
        }
    }
    Ok(words)
}

/// The Chinese words of the catalog that `word` (lower-case Latin) may stand for: as full
/// pinyin (`fugong`, `fugongfuchan`) and as initials (`fg`, `fgfc`).
pub async fn candidates(conn: &mut SqliteConnection, word: &str) -> Result<Vec<String>> {
    if !is_latin_word(word) {
        return Ok(vec![]);
    }
    let mut scored: Vec<(String, i64)> = Vec::new();
    for syllables in segmentations(word) {
        if syllables.len() < 2 {
            continue;
        }
        let keys: Vec<String> = syllables
            .windows(2)
            .map(|p| format!("{} {}", p[0], p[1]))
            .collect();
        scored.extend(chain(conn, "full", &keys).await?);
    }
    if word.len() <= 8 {
        let letters: Vec<char> = word.chars().collect();
        let keys: Vec<String> = letters
            .windows(2)
            .map(|p| p.iter().collect::<String>())
            .collect();
        scored.extend(chain(conn, "initials", &keys).await?);
    }
    scored.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<String> = Vec::new();
    for (w, _) in scored {
        if !out.contains(&w) {
            out.push(w);
        }
        if out.len() >= MAX_CANDIDATES {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_latin_as_syllables() {
        assert!(segmentations("fugong").contains(&vec!["fu", "gong"]));
        assert!(segmentations("xian").contains(&vec!["xian"]));
        assert!(segmentations("xian").contains(&vec!["xi", "an"]));
        assert!(segmentations("fg").is_empty());
        assert!(segmentations("Fu").is_empty());
    }

    #[test]
    fn a_pair_has_every_reading() {
        let rows = pair_rows("复工");
        assert!(rows.contains(&("fu gong".into(), "fg".into())));
        // 行 is xing and hang: both readings find 银行.
        let rows = pair_rows("银行");
        assert!(rows.contains(&("yin hang".into(), "yh".into())));
        assert!(pair_rows("a复").is_empty());
        assert!(pair_rows("复工复").is_empty());
    }
}
