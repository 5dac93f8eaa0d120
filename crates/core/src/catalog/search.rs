//! Searching the library offline: the full-text index kept by sync, filters, ranking, and
//! snippets with the matched words marked (see text.rs for why bigrams).

use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{Sqlite, SqliteConnection, Transaction};
use yiqifu_protocol::{Document, DocumentKind, PolicyLevel};

use super::changes::IS_NEW_SQL;
use super::pinyin;
use super::status::{in_force_sql, status_sql, DocStatus};
use super::text::{self, Term};
use crate::error::Result;
use crate::store::Store;

/// The column weights of bm25: a word in the title counts most, then in the key
/// conditions, the issuer and number, and the body.
const BM25: &str = "bm25(doc_index, 40.0, 1.0, 2.0, 4.0)";
const INDEX_VERSION_KEY: &str = "search_index_version";
const VOCAB_STAMP_KEY: &str = "pinyin_vocab_stamp";
/// Characters of body around the first match in a snippet.
const SNIPPET_BEFORE: usize = 24;
const SNIPPET_CHARS: usize = 110;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SearchOrder {
    /// By relevance when there are words, else newest first.
    #[default]
    Relevance,
    Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    InForce,
    Expired,
}

/// The enterprise the library is narrowed to (适用本企业).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Applicability {
    pub district: Option<String>,
    /// The industry as documents name it (制造业).
    pub industry: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SearchQuery {
    /// Words, a phrase, pinyin (`fugong`, `fg`) or a document number; words separated by
    /// spaces must all be found.
    pub text: Option<String>,
    /// None: policies and guidance together.
    pub kind: Option<DocumentKind>,
    /// Empty: every level.
    #[serde(default)]
    pub levels: Vec<PolicyLevel>,
    pub district: Option<String>,
    pub issuer: Option<String>,
    pub industry: Option<String>,
    pub status: Option<StatusFilter>,
    /// `YYYY-MM-DD`, inclusive.
    pub published_from: Option<String>,
    pub published_to: Option<String>,
    pub applies_to: Option<Applicability>,
    #[serde(default)]
    pub only_new: bool,
    #[serde(default)]
    pub order: SearchOrder,
    #[serde(default)]
    pub offset: u32,
    /// 0 means 20.
    #[serde(default)]
    pub limit: u32,
}

/// A piece of shown text; `hit` pieces are what the query matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Part {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct SearchHit {
    pub id: String,
    pub kind: DocumentKind,
    pub title: String,
    pub level: PolicyLevel,
    pub district: Option<String>,
    pub issuer: String,
    pub doc_number: Option<String>,
    pub published_on: String,
    pub status: DocStatus,
    /// New or changed in the last sync.
    pub is_new: bool,
    /// The title, with the matched words marked.
    pub title_parts: Vec<Part>,
    /// The body around the first match (or the summary when only the title or number
    /// matched), with the matched words marked.
    pub snippet: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct SearchPage {
    /// How many documents match in all.
    pub total: u32,
    pub hits: Vec<SearchHit>,
    /// The normalised words to mark in a document opened from these results (the Chinese
    /// words a pinyin query stood for included).
    pub words: Vec<String>,
}

/// The values the filters can take, from the documents the library has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Facets {
    pub districts: Vec<String>,
    pub issuers: Vec<String>,
    pub industries: Vec<String>,
}

fn meta_text(d: &Document) -> String {
    format!(
        "{} {}",
        d.issuer,
        d.doc_number.as_deref().unwrap_or_default()
    )
}

fn conditions_text(d: &Document) -> String {
    d.key_conditions
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes the index entry of `d`, in the transaction that stores it.
pub(crate) async fn put(conn: &mut SqliteConnection, d: &Document) -> Result<()> {
    let (key,): (i64,) = sqlx::query_as(
        "INSERT INTO doc_keys (id) VALUES (?) ON CONFLICT (id) DO UPDATE SET id = excluded.id
         RETURNING key",
    )
    .bind(&d.id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT OR REPLACE INTO doc_index (rowid, title, body, meta, conditions)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(key)
    .bind(text::index_tokens(&d.title))
    .bind(text::index_tokens(&d.body))
    .bind(text::index_tokens(&meta_text(d)))
    .bind(text::index_tokens(&conditions_text(d)))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Drops the index entry of document `id`.
pub(crate) async fn drop_entry(conn: &mut SqliteConnection, id: &str) -> Result<()> {
    let key: Option<(i64,)> = sqlx::query_as("DELETE FROM doc_keys WHERE id = ? RETURNING key")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some((key,)) = key {
        sqlx::query("DELETE FROM doc_index WHERE rowid = ?")
            .bind(key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Drops the index entries of the documents a full resync is about to sweep.
pub(crate) async fn drop_older_than(
    tx: &mut Transaction<'static, Sqlite>,
    generation: i64,
) -> Result<()> {
    let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM documents WHERE pull_generation < ?")
        .bind(generation)
        .fetch_all(&mut **tx)
        .await?;
    for (id,) in ids {
        drop_entry(tx, &id).await?;
    }
    Ok(())
}

/// Builds the index again when this version tokenises differently from the one that built
/// it, or when documents are missing from it (a library synced before the index existed).
pub async fn ensure_index(store: &Store) -> Result<bool> {
    let version: Option<u32> = store.setting(INDEX_VERSION_KEY).await?;
    let (docs, keys): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM doc_keys)")
            .fetch_one(store.pool())
            .await?;
    if version == Some(text::INDEX_VERSION) && docs == keys {
        return Ok(false);
    }
    let mut tx = store.write().await?;
    sqlx::query("INSERT INTO doc_index (doc_index) VALUES ('delete-all')")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM doc_keys")
        .execute(&mut *tx)
        .await?;
    let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM documents ORDER BY id")
        .fetch_all(&mut *tx)
        .await?;
    for (id,) in ids {
        if let Some(d) = super::fetch(&mut *tx, &id).await? {
            put(&mut tx, &d).await?;
        }
    }
    crate::store::put_setting(&mut tx, INDEX_VERSION_KEY, &text::INDEX_VERSION).await?;
    sqlx::query("DELETE FROM settings WHERE key = ?")
        .bind(VOCAB_STAMP_KEY)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// What the vocabulary was built from: it is stale when the documents feed moved.
async fn catalog_stamp(conn: &mut SqliteConnection) -> Result<String> {
    let row: (Option<String>, i64, i64) = sqlx::query_as(
        "SELECT (SELECT cursor FROM sync_cursors WHERE collection = 'documents'),
                (SELECT COUNT(*) FROM doc_keys), (SELECT IFNULL(MAX(key), 0) FROM doc_keys)",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(format!("{}/{}/{}", row.0.unwrap_or_default(), row.1, row.2))
}

/// Rebuilds the pinyin vocabulary from the index when the catalog changed since it was
/// built. Called after a sync, and before a pinyin query in case that did not happen.
pub async fn refresh_vocab(store: &Store) -> Result<bool> {
    let stamp = {
        let mut conn = store.pool().acquire().await?;
        catalog_stamp(&mut conn).await?
    };
    let built: Option<String> = store.setting(VOCAB_STAMP_KEY).await?;
    if built.as_deref() == Some(stamp.as_str()) {
        return Ok(false);
    }
    let mut tx = store.write().await?;
    // Read again under the write lock: a sync may have landed in between.
    let stamp = catalog_stamp(&mut tx).await?;
    let terms: Vec<(String, i64)> = sqlx::query_as(
        "SELECT term, doc FROM doc_index_terms WHERE length(term) = 2 AND unicode(term) >= 13312",
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM pinyin_vocab")
        .execute(&mut *tx)
        .await?;
    for (term, docs) in terms {
        for (full, initials) in pinyin::pair_rows(&term) {
            sqlx::query(
                "INSERT OR IGNORE INTO pinyin_vocab (term, full, initials, docs) VALUES (?, ?, ?, ?)",
            )
            .bind(&term)
            .bind(full)
            .bind(initials)
            .bind(docs)
            .execute(&mut *tx)
            .await?;
        }
    }
    crate::store::put_setting(&mut tx, VOCAB_STAMP_KEY, &stamp).await?;
    tx.commit().await?;
    Ok(true)
}

/// The FTS5 expression of a query and the words to mark; None when it has no words.
async fn compile(store: &Store, query: &str) -> Result<Option<(String, Vec<String>)>> {
    let terms: Vec<Term> = text::query_terms(query);
    if terms.is_empty() {
        return Ok(None);
    }
    if terms.iter().any(|t| pinyin::is_latin_word(&t.text)) {
        refresh_vocab(store).await?;
    }
    let mut conn = store.pool().acquire().await?;
    let mut exprs = Vec::with_capacity(terms.len());
    let mut words = Vec::new();
    for t in terms {
        let mut alternatives = vec![t.phrase.clone()];
        words.push(t.text.clone());
        for c in pinyin::candidates(&mut conn, &t.text).await? {
            alternatives.push(text::phrase_of(&c));
            words.push(c);
        }
        exprs.push(format!("({})", alternatives.join(" OR ")));
    }
    Ok(Some((exprs.join(" AND "), words)))
}

/// SQL conditions over `documents d` and their values, all text.
fn filters(q: &SearchQuery, today: &str) -> Result<(Vec<String>, Vec<String>)> {
    let in_force = in_force_sql(today)?;
    let status = status_sql(today)?;
    let mut sql: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut eq = |sql: &mut Vec<String>, column: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            sql.push(format!("{column} = ?"));
            binds.push(v.to_string());
        }
    };
    eq(&mut sql, "d.kind", &q.kind.map(|k| k.as_str().to_string()));
    eq(&mut sql, "d.district", &q.district);
    eq(&mut sql, "d.issuer", &q.issuer);
    if !q.levels.is_empty() {
        let marks = vec!["?"; q.levels.len()].join(", ");
        sql.push(format!("d.level IN ({marks})"));
        binds.extend(q.levels.iter().map(|l| l.as_str().to_string()));
    }
    if let Some(i) = q.industry.as_deref().filter(|v| !v.is_empty()) {
        sql.push(INDUSTRY_SQL.into());
        binds.push(i.into());
    }
    if let Some(from) = q.published_from.as_deref().filter(|v| !v.is_empty()) {
        sql.push("d.published_on >= ?".into());
        binds.push(from.into());
    }
    if let Some(to) = q.published_to.as_deref().filter(|v| !v.is_empty()) {
        sql.push("d.published_on <= ?".into());
        binds.push(to.into());
    }
    match q.status {
        Some(StatusFilter::InForce) => sql.push(in_force.clone()),
        Some(StatusFilter::Expired) => sql.push(format!("{status} IN ('expired', 'superseded')")),
        None => {}
    }
    if q.only_new {
        sql.push(IS_NEW_SQL.into());
    }
    if let Some(a) = &q.applies_to {
        if let Some(district) = a.district.as_deref().filter(|v| !v.is_empty()) {
            sql.push("(d.level <> 'district' OR d.district = ?)".into());
            binds.push(district.into());
        }
        if let Some(i) = a.industry.as_deref().filter(|v| !v.is_empty()) {
            sql.push(INDUSTRY_SQL.into());
            binds.push(i.into());
        }
        if q.status.is_none() {
            sql.push(in_force);
        }
    }
    Ok((sql, binds))
}

/// A document's industries include the bound one, or every industry.
const INDUSTRY_SQL: &str =
    "EXISTS (SELECT 1 FROM json_each(d.industries) j WHERE j.value IN ('全行业', ?))";
type HitRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
    String,
    bool,
    // The total, when the query counted it on the way.
    Option<i64>,
);

/// The columns of a hit, after the status expression.
fn hit_columns(status: &str) -> String {
    format!(
        "d.id, d.kind, d.title, d.level, d.district, d.issuer, d.doc_number, d.published_on,
         d.effective_on, d.expires_on, d.summary, {status}, {IS_NEW_SQL}"
    )
}

/// Searches the library: `today` (China time, `YYYY-MM-DD`) decides what is in force.
///
/// A common word matches most of the catalog, and a window count, or an order on the
/// documents' own columns, makes SQLite join and sort every match before it can stop at the
/// page. Without filters the page is ordered by the index's score alone (ties by the index's
/// key, as stable), so only the page's documents are read, and the index counts the total;
/// a filter has to read every match's document, once. Measured on 20,000 documents: 60 ms for
/// 复工 in one query, about 20 ms this way (docs/benchmarks.md).
pub async fn search(store: &Store, q: &SearchQuery, today: &str) -> Result<SearchPage> {
    let compiled = match q.text.as_deref() {
        Some(t) => compile(store, t).await?,
        None => None,
    };
    let (conds, binds) = filters(q, today)?;
    let cols = hit_columns(&status_sql(today)?);
    let limit = if q.limit == 0 { 20 } else { q.limit.min(200) };
    let where_filters = if conds.is_empty() {
        String::new()
    } else {
        format!(" AND {}", conds.join(" AND "))
    };
    let by_date = "d.published_on DESC, d.id";
    let (sql, expr, words) = match compiled {
        // With filters, every match's document is read once to filter it, into `f`; the
        // total is `f`'s size and the page the first rows of `f` in order, so only the page's
        // documents are read again.
        Some((expr, words)) if !conds.is_empty() => {
            let order = match q.order {
                SearchOrder::Relevance => "f.score, f.key",
                SearchOrder::Date => "f.published_on DESC, f.id",
            };
            (
                format!(
                    "WITH m AS MATERIALIZED (
                         SELECT rowid AS key, {BM25} AS score FROM doc_index WHERE doc_index MATCH ?),
                     f AS MATERIALIZED (
                         SELECT m.key, m.score, d.id, d.published_on FROM m
                         JOIN doc_keys k ON k.key = m.key JOIN documents d ON d.id = k.id
                         WHERE 1{where_filters})
                     SELECT {cols}, (SELECT COUNT(*) FROM f) FROM f JOIN documents d ON d.id = f.id
                     ORDER BY {order} LIMIT {limit} OFFSET {}",
                    q.offset
                ),
                Some(expr),
                words,
            )
        }
        Some((expr, words)) => {
            let sql = match q.order {
                // bm25() works only where the index is queried alone: the matches are ranked
                // first, then joined to their documents.
                SearchOrder::Relevance => format!(
                    "WITH m AS MATERIALIZED (
                         SELECT rowid AS key, {BM25} AS score FROM doc_index WHERE doc_index MATCH ?)
                     SELECT {cols}, NULL FROM m JOIN doc_keys k ON k.key = m.key
                     JOIN documents d ON d.id = k.id
                     ORDER BY m.score, m.key LIMIT {limit} OFFSET {}",
                    q.offset
                ),
                // Newest first needs no score: the documents in date order that match.
                SearchOrder::Date => format!(
                    "SELECT {cols}, NULL FROM documents d
                     WHERE d.id IN (SELECT k.id FROM doc_index
                                    JOIN doc_keys k ON k.key = doc_index.rowid
                                    WHERE doc_index MATCH ?)
                     ORDER BY {by_date} LIMIT {limit} OFFSET {}",
                    q.offset
                ),
            };
            (sql, Some(expr), words)
        }
        None => (
            format!(
                "SELECT {cols}, NULL FROM documents d WHERE 1{where_filters}
                 ORDER BY {by_date} LIMIT {limit} OFFSET {}",
                q.offset
            ),
            None,
            vec![],
        ),
    };
    let mut query = sqlx::query_as::<_, HitRow>(&sql);
    if let Some(e) = &expr {
        query = query.bind(e);
    }
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(store.pool()).await?;
    let total = match rows.first().and_then(|r| r.13) {
        Some(n) => u32::try_from(n).unwrap_or(u32::MAX),
        // A first page that is not full holds every match: no need to count them.
        None if q.offset == 0 && rows.len() < limit as usize => {
            u32::try_from(rows.len()).unwrap_or(u32::MAX)
        }
        None => count(store, expr.as_deref(), &where_filters, &binds).await?,
    };
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let bodies = bodies(store, &ids).await?;
    let marks: Vec<Vec<char>> = words.iter().map(|w| w.chars().collect()).collect();
    let mut hits = Vec::with_capacity(rows.len());
    for r in rows {
        let body = bodies
            .iter()
            .find(|(id, _)| *id == r.0)
            .map(|(_, b)| b.as_str())
            .unwrap_or_default();
        let status = DocStatus::parse(&r.11).unwrap_or(DocStatus::InForce);
        hits.push(SearchHit {
            kind: super::parse_kind(&r.1)?,
            level: super::parse_level(&r.3)?,
            title_parts: mark(&r.2, &marks, 0, usize::MAX),
            snippet: snippet(body, &r.10, &marks),
            id: r.0,
            title: r.2,
            district: r.4,
            issuer: r.5,
            doc_number: r.6,
            published_on: r.7,
            status,
            is_new: r.12,
        });
    }
    Ok(SearchPage { total, hits, words })
}

/// How many documents match in all, for a page that did not count them: without filters the
/// index alone says it; a filter needs each match's document.
async fn count(
    store: &Store,
    expr: Option<&str>,
    where_filters: &str,
    binds: &[String],
) -> Result<u32> {
    let sql = match expr {
        Some(_) if where_filters.is_empty() => "SELECT COUNT(*) FROM doc_index
             JOIN doc_keys k ON k.key = doc_index.rowid WHERE doc_index MATCH ?"
            .to_string(),
        Some(_) => format!(
            "SELECT COUNT(*) FROM doc_index JOIN doc_keys k ON k.key = doc_index.rowid
             JOIN documents d ON d.id = k.id WHERE doc_index MATCH ?{where_filters}"
        ),
        None => format!("SELECT COUNT(*) FROM documents d WHERE 1{where_filters}"),
    };
    let mut query = sqlx::query_as::<_, (i64,)>(&sql);
    if let Some(e) = expr {
        query = query.bind(e);
    }
    for b in binds {
        query = query.bind(b);
    }
    let (n,) = query.fetch_one(store.pool()).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

async fn bodies(store: &Store, ids: &[&str]) -> Result<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!("SELECT id, body FROM documents WHERE id IN ({marks})");
    let mut q = sqlx::query_as::<_, (String, String)>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(store.pool()).await?)
}

/// `text` cut to `[from, to)` characters, with the occurrences of `marks` marked.
fn mark(text: &str, marks: &[Vec<char>], from: usize, to: usize) -> Vec<Part> {
    let chars: Vec<char> = text.chars().collect();
    let to = to.min(chars.len());
    let from = from.min(to);
    let normalised: Vec<char> = chars[from..to]
        .iter()
        .map(|c| text::normalise_char(*c))
        .collect();
    let mut parts = Vec::new();
    let mut at = 0;
    let slice = &chars[from..to];
    for (s, e) in text::find_all(&normalised, marks) {
        if s > at {
            parts.push(Part {
                text: slice[at..s].iter().collect(),
                hit: false,
            });
        }
        parts.push(Part {
            text: slice[s..e].iter().collect(),
            hit: true,
        });
        at = e;
    }
    if at < slice.len() {
        parts.push(Part {
            text: slice[at..].iter().collect(),
            hit: false,
        });
    }
    parts
}

/// The body around its first match, or the summary when the body has none.
fn snippet(body: &str, summary: &str, marks: &[Vec<char>]) -> Vec<Part> {
    let chars: Vec<char> = body.chars().map(text::normalise_char).collect();
    let first = text::find_all(&chars, marks).first().map(|h| h.0);
    let Some(first) = first else {
        return mark(summary, marks, 0, usize::MAX);
    };
    let from = first.saturating_sub(SNIPPET_BEFORE);
    let to = (from + SNIPPET_CHARS).min(chars.len());
    let mut parts = mark(body, marks, from, to);
    // Paragraph breaks mean nothing in a one-line snippet.
    for p in &mut parts {
        p.text = p.text.replace(['\n', '\r'], " ");
    }
    if from > 0 {
        parts.insert(
            0,
            Part {
                text: "…".into(),
                hit: false,
            },
        );
    }
    if to < chars.len() {
        parts.push(Part {
            text: "…".into(),
            hit: false,
        });
    }
    parts
}

/// What 适用本企业 narrows to for `ws`: the district and industry of its saved company
/// profile, or of its account until a profile is saved.
pub async fn applicability(ws: &crate::Workspace) -> Result<Applicability> {
    let view = ws.company_profile().await?;
    let (district, section) = match &view.profile {
        Some(p) => (p.district.clone(), p.industry_section.clone()),
        None => (view.suggested.district, view.suggested.industry_section),
    };
    let industry = yiqifu_protocol::profile::INDUSTRY_SECTIONS
        .iter()
        .find(|s| s.0 == section)
        .map(|s| s.1.to_string());
    Ok(Applicability {
        district: Some(district).filter(|d| !d.is_empty()),
        industry,
    })
}

/// The library as a page opens on it: what the enterprise's own documents are, and the first
/// page of them.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct FirstResults {
    /// The enterprise's applicability; none without an enterprise, or when its profile could
    /// not be read (the page then searches everything, and says nothing of it: the search
    /// still answers).
    pub mine: Option<Applicability>,
    pub page: SearchPage,
}

/// The results a library page shows before anything is typed or filtered.
pub const OPENING_PAGE_SIZE: u32 = 20;

/// The library's search as a page opens: nothing typed or filtered, ranked, the first page,
/// the enterprise's own documents when `applies_to` is known. The UI builds the same query
/// for its own first search (`libraryQuery(openingSearch(…))`); a fixture both sides test
/// against keeps them one.
pub fn opening_query(kind: DocumentKind, applies_to: Option<Applicability>) -> SearchQuery {
    SearchQuery {
        kind: Some(kind),
        applies_to,
        order: SearchOrder::Relevance,
        offset: 0,
        limit: OPENING_PAGE_SIZE,
        ..SearchQuery::default()
    }
}

/// The first results of a library page of `kind` for the enterprise `ws` (or none).
pub async fn first_results(
    store: &Store,
    ws: Option<&crate::Workspace>,
    kind: DocumentKind,
    today: &str,
) -> Result<FirstResults> {
    let mine = match ws {
        Some(ws) => match applicability(ws).await {
            Ok(a) => Some(a),
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "applicability unread; the library opens on everything");
                None
            }
        },
        None => None,
    };
    let page = search(store, &opening_query(kind, mine.clone()), today).await?;
    Ok(FirstResults { mine, page })
}

/// Every document whose normalised text contains each word of `query` (title, body,
/// issuer and number, key conditions), unranked: what the recall check compares with a scan.
pub async fn matching_ids(store: &Store, query: &str) -> Result<Vec<String>> {
    let Some((expr, _)) = compile(store, query).await? else {
        return Ok(vec![]);
    };
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT k.id FROM doc_index JOIN doc_keys k ON k.key = doc_index.rowid
         WHERE doc_index MATCH ? ORDER BY k.id",
    )
    .bind(expr)
    .fetch_all(store.pool())
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The districts, issuers and industries of the documents, for the filters.
pub async fn facets(store: &Store) -> Result<Facets> {
    let districts: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT district FROM documents WHERE district IS NOT NULL ORDER BY district",
    )
    .fetch_all(store.pool())
    .await?;
    let issuers: Vec<(String,)> = sqlx::query_as(
        "SELECT issuer FROM documents GROUP BY issuer ORDER BY COUNT(*) DESC, issuer",
    )
    .fetch_all(store.pool())
    .await?;
    let industries: Vec<(String,)> = sqlx::query_as(
        "SELECT j.value FROM documents d, json_each(d.industries) j
         WHERE j.value <> '全行业' GROUP BY j.value ORDER BY COUNT(*) DESC, j.value",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(Facets {
        districts: districts.into_iter().map(|r| r.0).collect(),
        issuers: issuers.into_iter().map(|r| r.0).collect(),
        industries: industries.into_iter().map(|r| r.0).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_every_occurrence_as_printed() {
        let marks = vec!["复工".chars().collect::<Vec<char>>()];
        let parts = mark("關於復工的通知", &marks, 0, usize::MAX);
        assert_eq!(
            parts,
            vec![
                Part {
                    text: "關於".into(),
                    hit: false
                },
                Part {
                    text: "復工".into(),
                    hit: true
                },
                Part {
                    text: "的通知".into(),
                    hit: false
                },
            ]
        );
    }

    #[test]
    fn a_snippet_starts_near_the_first_match() {
        let body = format!("{}核酸检测每日一次{}", "甲".repeat(200), "乙".repeat(200));
        let marks = vec!["核酸".chars().collect::<Vec<char>>()];
        let parts = snippet(&body, "摘要", &marks);
        assert_eq!(parts.first().map(|p| p.text.as_str()), Some("…"));
        assert!(parts.iter().any(|p| p.hit && p.text == "核酸"));
        let none = snippet("无关", "摘要核酸", &marks);
        assert!(none.iter().any(|p| p.hit));
    }
}
