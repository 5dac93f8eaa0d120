//! The policy library's search, for `cargo xtask bench` (`yiqifu-bench search <out.md>`):
//!
//! - 20,000 synthetic policies (`--scale 20000`, bodies shaped like real ones) synced into
//!   a fresh client as an officer syncs them, against `curl` downloading the same feed
//!   pages from the same service;
//! - what the index costs: its build time and the size it adds to the app's database;
//! - 200 queries (two-character words, phrases and document numbers, pinyin, words with
//!   filters), each with its snippets, against the naive `LIKE '%word%'` scan over the same
//!   columns of the same database, with the check that both find the same documents.
//!
//! Missed speed targets are reported, never fatal: this is a measurement. A search that finds
//! other documents than the scan is a bug, and fails the bench.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use yiqifu_core::catalog::search::{
    ensure_index, matching_ids, refresh_vocab, search, SearchQuery, StatusFilter,
};
use yiqifu_core::secrets::Keychain;
use yiqifu_core::store::{Store, DB_FILE};
use yiqifu_core::{App, ServerChoice};
use yiqifu_protocol::PolicyLevel;

use super::{median, Res, MIB};

const DOCS: usize = 20_000;
/// The client's page size (`crates/core/src/infra/pull.rs`): the baseline asks for the same.
const PAGE: u32 = 200;
const FEED: &str = "api/v1/catalog/documents";

/// Targets from issue 13.
const MEDIAN_TARGET: Duration = Duration::from_millis(5);
const P99_TARGET: Duration = Duration::from_millis(20);
const SPEEDUP_TARGET: f64 = 50.0;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Nearest-rank percentile.
fn percentile(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v.get(rank.saturating_sub(1)).copied().unwrap_or_default()
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Group {
    Word,
    Phrase,
    Pinyin,
    Filtered,
}

impl Group {
    fn label(self) -> &'static str {
        match self {
            Group::Word => "two-character words",
            Group::Phrase => "phrases (3–6 characters) and document numbers",
            Group::Pinyin => "pinyin and initials",
            Group::Filtered => "words with filters (level, district, in force / expired)",
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Filters {
    level: Option<PolicyLevel>,
    district: Option<String>,
    status: Option<StatusFilter>,
}

struct Query {
    group: Group,
    text: String,
    filters: Filters,
}

/// Two-character words of the synthetic vocabulary, common to rare, and a few it lacks.
const WORDS: [&str; 60] = [
    "复工", "复产", "补贴", "核酸", "消杀", "防疫", "闭环", "稳岗", "社保", "缓缴", "物流", "员工",
    "宿舍", "申报", "审核", "受理", "补正", "办结", "备案", "贷款", "融资", "贴息", "担保", "房租",
    "租金", "减免", "退税", "货车", "司机", "运输", "仓储", "快递", "口罩", "测温", "隔离", "通风",
    "商超", "保供", "电商", "门店", "餐饮", "工地", "施工", "工期", "研发", "创新", "招聘", "工资",
    "岗位", "银行", "发票", "免征", "冷链", "芯片", "光伏", "氢能", "机场", "种业", "台风", "汛期",
];

/// Phrases: whole words of the vocabulary, and spans across words as an officer might copy
/// them from a document.
const PHRASES: [&str; 45] = [
    "复工复产",
    "留抵退税",
    "核酸检测",
    "闭环管理",
    "稳岗补贴",
    "员工宿舍",
    "一网通办",
    "重点物资",
    "货车司机",
    "社会保险费",
    "延期还本付息",
    "专精特新",
    "容缺受理",
    "免申即享",
    "集中隔离点",
    "进口冷链食品",
    "白名单",
    "通行证",
    "防护服",
    "抗原检测",
    "保通保畅",
    "无还本续贷",
    "一次性告知",
    "个工作日内",
    "最高不超过",
    "企业应当",
    "补贴资金",
    "落实核酸",
    "做好消杀",
    "返岗人员",
    "生活物资",
    "农民工",
    "国有房屋",
    "减半收取",
    "浦东新区",
    "经济委员会",
    "人民政府办公室",
    "有效期至",
    "现就有关事项",
    "临港新片区",
    "生物医药",
    "小规模纳税人",
    "纺织服装",
    "防控指南",
    "疫情防控指引",
];

/// Pinyin in full and as initials, as officers type it without switching input methods.
const PINYIN: [&str; 40] = [
    "fugong",
    "fg",
    "fuchan",
    "fugongfuchan",
    "fgfc",
    "butie",
    "bt",
    "hesuan",
    "hs",
    "hesuanjiance",
    "hsjc",
    "xiaosha",
    "xs",
    "fangyi",
    "bihuan",
    "bh",
    "wengang",
    "wg",
    "shebao",
    "sb",
    "huanjiao",
    "wuliu",
    "wl",
    "yuangong",
    "sushe",
    "shenbao",
    "sh",
    "shenhe",
    "liudituishui",
    "ldts",
    "tongxingzheng",
    "txz",
    "baimingdan",
    "bmd",
    "daikuan",
    "tiexi",
    "fangzu",
    "jianmian",
    "huoche",
    "lenglian",
];

/// Document numbers picked from the synced catalog, spread over it.
async fn doc_numbers(store: &Store, n: usize) -> Res<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT doc_number FROM documents WHERE doc_number IS NOT NULL ORDER BY id")
            .fetch_all(store.pool())
            .await
            .map_err(err)?;
    let step = (rows.len() / n.max(1)).max(1);
    Ok(rows
        .into_iter()
        .step_by(step)
        .take(n)
        .map(|(d,)| d)
        .collect())
}

fn queries(numbers: Vec<String>) -> Vec<Query> {
    let plain = |group, text: &str| Query {
        group,
        text: text.to_string(),
        filters: Filters::default(),
    };
    let mut out: Vec<Query> = WORDS.iter().map(|w| plain(Group::Word, w)).collect();
    out.extend(PHRASES.iter().map(|p| plain(Group::Phrase, p)));
    out.extend(numbers.iter().map(|n| plain(Group::Phrase, n)));
    out.extend(PINYIN.iter().map(|p| plain(Group::Pinyin, p)));
    let districts = yiqifu_protocol::DISTRICTS;
    let words = [
        "复工", "补贴", "核酸", "消杀", "防疫", "稳岗", "社保", "物流", "申报", "租金",
    ];
    for (i, w) in words.iter().cycle().take(50).enumerate() {
        let filters = match i % 5 {
            0 => Filters {
                level: Some(PolicyLevel::District),
                district: Some(districts[i % districts.len()].to_string()),
                status: None,
            },
            1 => Filters {
                status: Some(StatusFilter::InForce),
                ..Filters::default()
            },
            2 => Filters {
                level: Some(PolicyLevel::Municipal),
                status: Some(StatusFilter::InForce),
                ..Filters::default()
            },
            3 => Filters {
                level: Some(PolicyLevel::National),
                ..Filters::default()
            },
            _ => Filters {
                level: Some(PolicyLevel::District),
                district: Some(districts[(i * 7) % districts.len()].to_string()),
                status: Some(StatusFilter::Expired),
            },
        };
        out.push(Query {
            group: Group::Filtered,
            text: w.to_string(),
            filters,
        });
    }
    out
}

fn search_query(q: &Query) -> SearchQuery {
    SearchQuery {
        text: Some(q.text.clone()),
        levels: q.filters.level.into_iter().collect(),
        district: q.filters.district.clone(),
        status: q.filters.status,
        ..SearchQuery::default()
    }
}

/// The naive scan: what the library did before, widened to the columns search covers.
async fn scan(store: &Store, text: &str, f: &Filters, today: &str) -> Res<BTreeSet<String>> {
    let mut sql = String::from(
        "SELECT id FROM documents WHERE (title LIKE ?1 OR body LIKE ?1 OR issuer LIKE ?1
             OR doc_number LIKE ?1 OR key_conditions LIKE ?1)",
    );
    let mut binds: Vec<String> = Vec::new();
    let mut bind = |sql: &mut String, condition: &str, value: &str| {
        binds.push(value.to_string());
        sql.push_str(&condition.replace('#', &format!("?{}", binds.len() + 1)));
    };
    if let Some(level) = f.level {
        bind(&mut sql, " AND level = #", level.as_str());
    }
    if let Some(district) = &f.district {
        bind(&mut sql, " AND district = #", district);
    }
    match f.status {
        Some(StatusFilter::InForce) => bind(
            &mut sql,
            " AND effective_on <= # AND (expires_on IS NULL OR expires_on >= #)",
            today,
        ),
        Some(StatusFilter::Expired) => {
            bind(&mut sql, " AND effective_on <= # AND expires_on < #", today)
        }
        None => {}
    }
    let mut query = sqlx::query_as::<_, (String,)>(&sql).bind(format!("%{text}%"));
    for b in binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(store.pool()).await.map_err(err)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The baseline sync: the same pages of the documents feed, one `curl` per page, each
/// page's cursor read from the end of the one before (where `next_cursor` is).
fn curl_pages(base: &str, token: &str, dir: &Path) -> Res<(Duration, usize, u64)> {
    let out = dir.join("page.json");
    let mut cursor: Option<String> = None;
    let (mut pages, mut bytes) = (0usize, 0u64);
    let start = Instant::now();
    loop {
        let mut url = format!("{base}/{FEED}?limit={PAGE}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let o = Command::new("curl")
            .args(["-sS", "-f", "-o"])
            .arg(&out)
            .arg("-H")
            .arg(format!("Authorization: Bearer {token}"))
            .arg(&url)
            .output()
            .map_err(|e| format!("curl: {e}"))?;
        if !o.status.success() {
            return Err(format!(
                "curl {url} failed: {}",
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        let page = std::fs::read(&out).map_err(err)?;
        pages += 1;
        bytes += page.len() as u64;
        let tail = String::from_utf8_lossy(&page[page.len().saturating_sub(256)..]).into_owned();
        let next = tail
            .rsplit_once("\"next_cursor\":\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(c, _)| c.to_string())
            .ok_or("a page without next_cursor at its end")?;
        if !tail.contains("\"has_more\":true") {
            break;
        }
        cursor = Some(next);
    }
    Ok((start.elapsed(), pages, bytes))
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// The database and its WAL, in bytes.
fn db_size(dir: &Path) -> (u64, u64) {
    let db = dir.join(DB_FILE);
    let wal = dir.join(format!("{DB_FILE}-wal"));
    (file_len(&db), file_len(&wal))
}

/// Bytes per table (and its indexes) from SQLite's `dbstat`, when the build has it.
async fn table_sizes(store: &Store) -> Option<Vec<(String, i64)>> {
    sqlx::query_as("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY SUM(pgsize) DESC")
        .fetch_all(store.pool())
        .await
        .ok()
}

struct Corpus {
    docs: usize,
    median_chars: i64,
    max_chars: i64,
}

async fn corpus(store: &Store) -> Res<Corpus> {
    let lens: Vec<(i64,)> = sqlx::query_as("SELECT length(body) FROM documents ORDER BY 1")
        .fetch_all(store.pool())
        .await
        .map_err(err)?;
    Ok(Corpus {
        docs: lens.len(),
        median_chars: lens.get(lens.len() / 2).map_or(0, |l| l.0),
        max_chars: lens.last().map_or(0, |l| l.0),
    })
}

struct Timing {
    group: Group,
    search: Duration,
    scan: Option<Duration>,
}

pub async fn run() -> Res<String> {
    let dir = tempfile::tempdir().map_err(err)?;
    let started = Instant::now();
    let central = yiqifu_central::start(yiqifu_central::Config {
        addr: (std::net::Ipv4Addr::LOCALHOST, 0).into(),
        database: yiqifu_central::Database::Sqlite(dir.path().join("central.sqlite")),
        uploads: None,
        demo: true,
        scale: DOCS,
        durability: Default::default(),
        body_idle: yiqifu_central::BODY_IDLE,
        header_read: yiqifu_central::HEADER_READ,
    })
    .await
    .map_err(err)?;
    eprintln!(
        "search bench: service seeded with {DOCS} synthetic documents in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let url = central.url();
    let code = yiqifu_central::seed::DEMO_ENTERPRISES[0].credit_code();
    let token = yiqifu_core::client::CentralClient::new(&url)
        .map_err(err)?
        .login(&code, yiqifu_central::seed::DEMO_PASSWORD)
        .await
        .map_err(err)?
        .access_token;

    let (curl, curl_pages_n, curl_bytes) = {
        let (url, token, path) = (url.clone(), token.clone(), dir.path().to_path_buf());
        tokio::task::spawn_blocking(move || curl_pages(&url, &token, &path))
            .await
            .map_err(err)??
    };

    let kc = Keychain::new(&format!("yiqifu-bench-search-{}", std::process::id()));
    let app = App::open(&dir.path().join("data"), kc).await.map_err(err)?;
    app.choose_server(ServerChoice::Url { url: url.clone() }, &url)
        .await
        .map_err(err)?;
    app.sign_in(&code, yiqifu_central::seed::DEMO_PASSWORD)
        .await
        .map_err(err)?;
    let start = Instant::now();
    let stats = app.sync_now().await.map_err(err)?;
    let sync = start.elapsed();
    let store = app.store();
    let corpus = corpus(store).await?;
    if corpus.docs < DOCS {
        return Err(format!(
            "the client has {} documents after the sync, not {DOCS}",
            corpus.docs
        ));
    }
    let (db, wal) = db_size(store.dir());
    let tables = table_sizes(store).await;
    eprintln!(
        "search bench: synced {} items in {} pages in {:.1} s (curl: {curl_pages_n} pages in {:.1} s)",
        stats.upserted,
        stats.pages,
        sync.as_secs_f64(),
        curl.as_secs_f64()
    );

    // The index alone, as a client synced before it existed builds it once at start: every
    // document read, tokenised and written again in one transaction. Forced by forgetting
    // which version built it.
    sqlx::query("DELETE FROM settings WHERE key = 'search_index_version'")
        .execute(store.pool())
        .await
        .map_err(err)?;
    let start = Instant::now();
    let rebuilt = ensure_index(store).await.map_err(err)?;
    let reindex = start.elapsed();
    // Then the pinyin vocabulary, which each sync that changed the catalog rebuilds.
    let start = Instant::now();
    let revocab = refresh_vocab(store).await.map_err(err)?;
    let vocab = start.elapsed();
    if !rebuilt || !revocab {
        return Err(format!(
            "could not force a rebuild (index rebuilt: {rebuilt}, vocabulary: {revocab})"
        ));
    }

    let today = yiqifu_protocol::calendar::china_today(time::OffsetDateTime::now_utc()).to_string();
    let all = queries(doc_numbers(store, 5).await?);
    // Opens the search's statements and connections before the clock runs.
    for q in all.iter().take(3) {
        search(store, &search_query(q), &today).await.map_err(err)?;
    }
    let mut timings = Vec::new();
    let mut mismatches = Vec::new();
    let mut checked = 0usize;
    let mut plain_scans: HashMap<String, BTreeSet<String>> = HashMap::new();
    for q in &all {
        let sq = search_query(q);
        let start = Instant::now();
        let page = search(store, &sq, &today).await.map_err(err)?;
        let took = start.elapsed();
        if page.hits.len() > 20 {
            return Err(format!("{}: {} hits on one page", q.text, page.hits.len()));
        }
        if q.group == Group::Pinyin {
            timings.push(Timing {
                group: q.group,
                search: took,
                scan: None,
            });
            continue;
        }
        let start = Instant::now();
        let scanned = scan(store, &q.text, &q.filters, &today).await?;
        let scan_took = start.elapsed();
        timings.push(Timing {
            group: q.group,
            search: took,
            scan: Some(scan_took),
        });
        // Recall: the index against the scan over the same text, filters aside.
        let plain = match plain_scans.get(&q.text) {
            Some(s) => s.clone(),
            None if q.group != Group::Filtered => scanned.clone(),
            None => scan(store, &q.text, &Filters::default(), &today).await?,
        };
        plain_scans.insert(q.text.clone(), plain.clone());
        let found: BTreeSet<String> = matching_ids(store, &q.text)
            .await
            .map_err(err)?
            .into_iter()
            .collect();
        checked += 1;
        if found != plain {
            let lost: Vec<&String> = plain.difference(&found).take(3).collect();
            let extra: Vec<&String> = found.difference(&plain).take(3).collect();
            mismatches.push(format!(
                "{:?}: search {} documents, scan {} (missed e.g. {lost:?}, extra e.g. {extra:?})",
                q.text,
                found.len(),
                plain.len()
            ));
        } else if page.total as usize != scanned.len() {
            mismatches.push(format!(
                "{:?} with {:?}: search counts {} documents, the scan {}",
                q.text,
                q.filters,
                page.total,
                scanned.len()
            ));
        }
    }
    if !mismatches.is_empty() {
        return Err(format!(
            "search and the scan found different documents for {} of {checked} queries:\n  {}",
            mismatches.len(),
            mismatches.join("\n  ")
        ));
    }
    let fugong = plain_scans.get("复工").map_or(0, BTreeSet::len);
    app.sign_out().await.map_err(err)?;
    app.close().await;
    central.stop().await;

    Ok(report(&Report {
        corpus,
        fugong,
        sync,
        sync_pages: stats.pages,
        curl,
        curl_pages: curl_pages_n,
        curl_bytes,
        reindex,
        vocab,
        db,
        wal,
        tables,
        timings,
        checked,
    }))
}

struct Report {
    corpus: Corpus,
    fugong: usize,
    sync: Duration,
    sync_pages: u32,
    curl: Duration,
    curl_pages: usize,
    curl_bytes: u64,
    reindex: Duration,
    vocab: Duration,
    db: u64,
    wal: u64,
    tables: Option<Vec<(String, i64)>>,
    timings: Vec<Timing>,
    checked: usize,
}

fn report(r: &Report) -> String {
    let mib = |b: u64| b as f64 / MIB as f64;
    let mut t = format!(
        "{} documents in the client: the demo catalog and {DOCS} synthetic policies from \
         `yiqifu-central --scale {DOCS}` (bodies of {} characters at the median, {} at most; \
         复工 is in {} of them). Service on loopback in the same process.\n\n",
        r.corpus.docs, r.corpus.median_chars, r.corpus.max_chars, r.fugong
    );
    t.push_str("| work | yiqifu-core | baseline | ratio |\n|---|---|---|---|\n");
    t.push_str(&format!(
        "| first full sync of a fresh client (every feed, {} pages of up to {PAGE}; the search \
         index built as each page is applied) | {:.1} s | `curl`, the documents feed's {} \
         pages of {PAGE} ({:.0} MiB): {:.1} s | {:.1}× |\n\n",
        r.sync_pages,
        r.sync.as_secs_f64(),
        r.curl_pages,
        mib(r.curl_bytes),
        r.curl.as_secs_f64(),
        r.sync.as_secs_f64() / r.curl.as_secs_f64()
    ));
    t.push_str(&format!(
        "The search index is built inside that sync, page by page. Built alone from the same \
         {} stored documents, as a client synced before the index existed does once: {:.1} s; \
         then the pinyin vocabulary read from it, as after every sync that changed the \
         catalog: {:.2} s.\n\n",
        r.corpus.docs,
        r.reindex.as_secs_f64(),
        r.vocab.as_secs_f64()
    ));
    t.push_str(&format!(
        "The app's database after the sync: {:.0} MiB ({:.0} MiB database file, {:.0} MiB WAL).",
        mib(r.db + r.wal),
        mib(r.db),
        mib(r.wal)
    ));
    if let Some(tables) = &r.tables {
        let of = |pred: &dyn Fn(&str) -> bool| -> u64 {
            tables
                .iter()
                .filter(|(n, _)| pred(n))
                .map(|(_, b)| u64::try_from(*b).unwrap_or(0))
                .sum()
        };
        let index = of(&|n| n.starts_with("doc_index"));
        let docs = of(&|n| n == "documents" || n.starts_with("sqlite_autoindex_documents"));
        t.push_str(&format!(
            " Of its pages, the documents take {:.0} MiB and the search index {:.0} MiB.",
            mib(docs),
            mib(index)
        ));
    }
    t.push_str("\n\n");

    let search_of = |g: Option<Group>| -> Vec<Duration> {
        r.timings
            .iter()
            .filter(|x| g.is_none_or(|g| x.group == g))
            .map(|x| x.search)
            .collect()
    };
    let scans = |g: Option<Group>| -> (Vec<Duration>, Vec<Duration>) {
        r.timings
            .iter()
            .filter(|x| g.is_none_or(|g| x.group == g))
            .filter_map(|x| x.scan.map(|s| (x.search, s)))
            .unzip()
    };
    t.push_str(&format!(
        "{} queries, each timed once, a page of 20 ranked hits with highlighted snippets; the \
         baseline is `LIKE '%word%'` over title, body, issuer, document number and key \
         conditions (with the same filters in SQL), run right after each query on the same \
         database:\n\n",
        r.timings.len()
    ));
    t.push_str(
        "| queries | n | search median | search p99 | LIKE scan median | speed-up (medians) |\n\
         |---|---|---|---|---|---|\n",
    );
    let mut row = |label: &str, g: Option<Group>| {
        let s = search_of(g);
        let (paired, scanned) = scans(g);
        let scan_cell = if scanned.is_empty() {
            ("no baseline".to_string(), "".to_string())
        } else {
            let (a, b) = (median(scanned.clone()), median(paired.clone()));
            (
                format!("{:.1} ms", ms(a)),
                format!("{:.0}×", a.as_secs_f64() / b.as_secs_f64()),
            )
        };
        t.push_str(&format!(
            "| {label} | {} | {:.2} ms | {:.2} ms | {} | {} |\n",
            s.len(),
            ms(median(s.clone())),
            ms(percentile(&s, 99.0)),
            scan_cell.0,
            scan_cell.1
        ));
    };
    for g in [Group::Word, Group::Phrase, Group::Pinyin, Group::Filtered] {
        row(g.label(), Some(g));
    }
    row("**all**", None);

    let all = search_of(None);
    let (med, p99) = (median(all.clone()), percentile(&all, 99.0));
    let (paired, scanned) = scans(None);
    let speedup = median(scanned).as_secs_f64() / median(paired).as_secs_f64();
    t.push_str(&format!(
        "\nTargets: median under {} ms: {:.2} ms ({}); 99th percentile under {} ms: {:.2} ms \
         ({}); at least {SPEEDUP_TARGET:.0}× faster than the scan: {speedup:.0}× ({}); the \
         same documents as the scan: {} of {} queries (met).\n",
        ms(MEDIAN_TARGET),
        ms(med),
        met(med < MEDIAN_TARGET),
        ms(P99_TARGET),
        ms(p99),
        met(p99 < P99_TARGET),
        met(speedup >= SPEEDUP_TARGET),
        r.checked,
        r.checked,
    ));
    t
}
