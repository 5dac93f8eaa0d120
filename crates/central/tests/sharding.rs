//! docs/scaling.md's claim about sharding by the enterprise, checked on the code: every SQL
//! statement the service runs on an enterprise-owned table names its owner, or is one of the
//! exceptions that page lists (under its key), which would read more than one shard.

use std::path::{Path, PathBuf};

use regex::Regex;

/// Tables whose rows belong to one enterprise, and the column that names it. `{table}` is
/// the record tables' generic statements (`db.rs`, `pages.rs`).
const OWNED: &[(&str, &str)] = &[
    ("enterprises", "credit_code"),
    ("profiles", "owner"),
    ("applications", "owner"),
    ("appeals", "owner"),
    ("appeal_messages", "owner"),
    ("inbox", "owner"),
    ("uploads", "owner"),
    ("upload_parts", "owner"),
    ("idempotency", "owner"),
    ("listings", "owner"),
    ("{table}", "owner"),
];

/// Statements that read or write more than one enterprise's rows: (file, a fragment of the
/// statement, the key under which docs/scaling.md says why).
const CROSSES: &[(&str, &str, &str)] = &[
    (
        "db.rs",
        "SELECT owner, body FROM {table} WHERE id = $1",
        "load-by-id",
    ),
    (
        "db.rs",
        "SELECT body FROM {table} WHERE ($1 IS NULL",
        "reviewer-queue",
    ),
    (
        "appeals.rs",
        "FROM appeal_messages WHERE appeal_id = $1",
        "appeal-thread",
    ),
    ("appeals.rs", "INSERT INTO appeal_messages", "appeal-thread"),
    ("appeals.rs", "FROM appeal_messages\n", "appeal-thread"),
    (
        "uploads.rs",
        "UPDATE uploads SET format = $1 WHERE id = $2",
        "upload-by-id",
    ),
    (
        "uploads.rs",
        "WHERE (sha256 IS NULL AND expires_at",
        "sweeps",
    ),
    ("listings/mod.rs", "FROM listings", "market"),
    ("listings/store.rs", "FROM listings", "market"),
    ("seed.rs", "SELECT COUNT(*) FROM enterprises", "seed"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literals of a file's code (its tests left out) that are SQL statements.
fn statements(source: &str) -> Vec<String> {
    // A file's test module is its last item; a `#[cfg(test)]` inside an item is not it.
    let code = source
        .split("\n#[cfg(test)]\nmod ")
        .next()
        .unwrap_or_default();
    // (?s): an escaped line break (`\` at a line's end) is part of its literal.
    let literal = Regex::new(r#"(?s)"((?:[^"\\]|\\.)*)""#).unwrap();
    let sql = Regex::new(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b").unwrap();
    literal
        .captures_iter(code)
        .map(|c| c[1].replace("\\\"", "\"").replace("\\n", "\n"))
        .filter(|s| sql.is_match(s))
        .collect()
}

/// Whether each mention of an owned table in `statement` is matched by a condition on its
/// owner (or, for an INSERT, by the owner among the columns it sets).
fn names_its_owner(statement: &str) -> bool {
    let mut mentions = 0;
    let mut owners = 0;
    for (table, column) in OWNED {
        let table = regex::escape(table);
        let mention = Regex::new(&format!(
            r"\b(?:FROM|UPDATE|INTO|JOIN)\s+{table}(?:[^\w]|$)"
        ))
        .unwrap();
        let inserted = Regex::new(&format!(r"INTO\s+{table}\s*\(([^)]*)\)")).unwrap();
        let n = mention.find_iter(statement).count();
        if n == 0 {
            continue;
        }
        mentions += n;
        let condition = Regex::new(&format!(r"\b{column}\s*=\s*\$\d")).unwrap();
        owners += condition.find_iter(statement).count();
        owners += inserted
            .captures_iter(statement)
            .filter(|c| c[1].split(',').any(|col| col.trim() == *column))
            .count();
    }
    owners >= mentions
}

#[test]
fn every_statement_on_an_enterprise_table_names_its_owner_or_is_listed() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/scaling.md"),
    )
    .unwrap();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut seen = 0;
    let mut used = vec![false; CROSSES.len()];
    let mut unlisted = Vec::new();
    for file in files {
        let name = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for statement in statements(&std::fs::read_to_string(&file).unwrap()) {
            seen += 1;
            if names_its_owner(&statement) {
                continue;
            }
            let listed = CROSSES
                .iter()
                .position(|(f, fragment, _)| *f == name && statement.contains(fragment));
            match listed {
                Some(i) => used[i] = true,
                None => unlisted.push(format!("{name}: {}", statement.trim())),
            }
        }
    }
    assert!(
        seen > 50,
        "only {seen} statements found: is the scan still reading the code?"
    );
    assert!(
        unlisted.is_empty(),
        "statements on an enterprise's table that name no owner, and that docs/scaling.md \
         does not list as crossing shards:\n{}",
        unlisted.join("\n---\n")
    );
    for ((file, fragment, key), used) in CROSSES.iter().zip(used) {
        assert!(
            used,
            "{file}: no statement matches the listed exception {fragment:?}"
        );
        assert!(
            doc.contains(&format!("**{key}**")),
            "docs/scaling.md does not explain the exception {key}"
        );
    }
}

/// The check itself, on statements whose answer is known.
#[test]
fn the_owner_check_reads_statements_as_meant() {
    assert!(names_its_owner(
        "SELECT body FROM inbox WHERE owner = $1 AND seq > $2"
    ));
    assert!(names_its_owner(
        "INSERT INTO profiles (owner, body, updated_at) VALUES ($1, $2, $3)"
    ));
    assert!(!names_its_owner("SELECT body FROM appeals WHERE id = $1"));
    // The insert names its owner, but its numbering reads the whole table.
    assert!(!names_its_owner(
        "INSERT INTO listings (id, owner, seq) VALUES ($1, $2, (SELECT MAX(seq) FROM listings))"
    ));
    assert!(names_its_owner(
        "INSERT INTO appeals (id, owner, seq) VALUES ($1, $2, (SELECT MAX(seq) FROM appeals WHERE owner = $2))"
    ));
    // Not an enterprise's table.
    assert!(names_its_owner(
        "SELECT body FROM catalog WHERE collection = $1"
    ));
}
