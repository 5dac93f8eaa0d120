//! The library's search on the demo catalog, synced from a real service: recall equal to a
//! substring scan, pinyin, normalisation, ranking, filters, and updates by sync.

use std::collections::BTreeSet;

use yiqifu_core::catalog::search::{self, Applicability, SearchOrder, SearchQuery, StatusFilter};
use yiqifu_core::catalog::status::DocStatus;
use yiqifu_core::catalog::text::normalise;
use yiqifu_core::App;
use yiqifu_protocol::{Document, DocumentKind, PolicyLevel};
use yiqifu_tests::test_keychain;

const TODAY: &str = "2026-12-02";

async fn synced_app(dir: &std::path::Path, test: &str, url: &str) -> App {
    let app = App::open(dir, test_keychain(test)).await.unwrap();
    yiqifu_tests::sign_in_demo(&app, url).await;
    app.sync_now().await.unwrap();
    app
}

/// The text search covers, field by field, normalised: what a scan looks in.
fn fields(d: &Document) -> Vec<String> {
    vec![
        normalise(&d.title),
        normalise(&d.body),
        normalise(&format!(
            "{} {}",
            d.issuer,
            d.doc_number.as_deref().unwrap_or_default()
        )),
        normalise(
            &d.key_conditions
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ]
}

fn scan(docs: &[(String, Vec<String>)], word: &str) -> BTreeSet<String> {
    let w = normalise(word);
    docs.iter()
        .filter(|(_, f)| f.iter().any(|t| t.contains(&w)))
        .map(|(id, _)| id.clone())
        .collect()
}

async fn found(app: &App, word: &str) -> BTreeSet<String> {
    search::matching_ids(app.store(), word)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: Some(text.into()),
        limit: 200,
        ..Default::default()
    }
}

#[tokio::test]
async fn finds_exactly_what_a_scan_finds_for_every_short_substring_of_the_titles() {
    let central = yiqifu_tests::start_central().await;
    let dir = tempfile::tempdir().unwrap();
    let app = synced_app(dir.path(), "search-recall", &central.url()).await;
    let catalog = yiqifu_central::seed::demo_catalog().unwrap();
    let docs: Vec<(String, Vec<String>)> =
        catalog.iter().map(|d| (d.id.clone(), fields(d))).collect();

    let mut words: BTreeSet<String> = BTreeSet::new();
    for d in &catalog {
        let chars: Vec<char> = d.title.chars().collect();
        for n in [2, 3] {
            for w in chars.windows(n) {
                let w: String = w.iter().collect();
                if !w.chars().any(char::is_whitespace) {
                    words.insert(w);
                }
            }
        }
    }
    assert!(words.len() > 1500, "{} words", words.len());
    let mut checked = 0;
    for w in &words {
        let want = scan(&docs, w);
        assert!(!want.is_empty(), "{w} is in a title");
        assert_eq!(found(&app, w).await, want, "search for {w}");
        checked += 1;
    }
    // The words, one character, and a document number with its brackets.
    for w in ["复工", "补贴", "核酸", "消杀", "税", "复工复产", "白名单"] {
        assert_eq!(found(&app, w).await, scan(&docs, w), "search for {w}");
    }
    let numbered = catalog
        .iter()
        .find_map(|d| d.doc_number.clone().filter(|n| n.contains('〔')))
        .expect("a demo document has a number with 〔〕");
    let hits = found(&app, &numbered).await;
    assert_eq!(hits, scan(&docs, &numbered));
    assert!(!hits.is_empty());
    // Typed with ordinary brackets, the number is the same.
    let typed = numbered.replace('〔', "(").replace('〕', ")");
    assert_eq!(found(&app, &typed).await, hits);
    println!("recall equal to the scan for {checked} title substrings");
}

#[tokio::test]
async fn traditional_full_width_and_pinyin_find_the_simplified_words() {
    let central = yiqifu_tests::start_central().await;
    let dir = tempfile::tempdir().unwrap();
    let app = synced_app(dir.path(), "search-forms", &central.url()).await;
    let fugong = found(&app, "复工").await;
    assert!(fugong.len() > 10);
    assert_eq!(found(&app, "復工").await, fugong);
    assert_eq!(found(&app, "　復工　").await, fugong);
    assert_eq!(
        found(&app, "ＣＯＶＩＤ").await,
        found(&app, "covid").await,
        "full-width Latin is Latin"
    );

    // Pinyin and initials find 复工 (and whatever else sounds the same: a superset).
    for typed in ["fugong", "fg", "FuGong"] {
        let got = found(&app, typed).await;
        assert!(got.is_superset(&fugong), "{typed} finds every 复工");
        let page = search::search(app.store(), &query(typed), TODAY)
            .await
            .unwrap();
        assert!(
            page.words.contains(&"复工".to_string()),
            "{typed}: {:?}",
            page.words
        );
        assert!(page
            .hits
            .iter()
            .any(|h| h.title_parts.iter().any(|p| p.hit && p.text == "复工")));
    }
    let both = found(&app, "fugongfuchan").await;
    assert_eq!(both, found(&app, "复工复产").await);
    // Latin that is no pinyin finds only itself.
    assert!(found(&app, "qqzzx").await.is_empty());
}

#[tokio::test]
async fn ranks_titles_first_and_marks_the_words_in_snippets() {
    let central = yiqifu_tests::start_central().await;
    let dir = tempfile::tempdir().unwrap();
    let app = synced_app(dir.path(), "search-rank", &central.url()).await;
    let page = search::search(app.store(), &query("复工"), TODAY)
        .await
        .unwrap();
    assert_eq!(page.total as usize, found(&app, "复工").await.len());
    let first_without = page
        .hits
        .iter()
        .position(|h| !h.title.contains("复工"))
        .expect("some match only in the body");
    assert!(
        page.hits[first_without..]
            .iter()
            .all(|h| !h.title.contains("复工")),
        "every title match ranks above the body matches"
    );
    for h in &page.hits {
        let marked: Vec<&str> = h
            .snippet
            .iter()
            .chain(&h.title_parts)
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert!(!marked.is_empty(), "{} shows where it matched", h.id);
        assert!(marked.iter().all(|m| *m == "复工"), "{marked:?}");
    }
    // By date instead: newest first.
    let by_date = search::search(
        app.store(),
        &SearchQuery {
            order: SearchOrder::Date,
            ..query("复工")
        },
        TODAY,
    )
    .await
    .unwrap();
    let dates: Vec<&str> = by_date
        .hits
        .iter()
        .map(|h| h.published_on.as_str())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    // Paging: the second page continues the first.
    let first = search::search(
        app.store(),
        &SearchQuery {
            limit: 5,
            ..query("复工")
        },
        TODAY,
    )
    .await
    .unwrap();
    let second = search::search(
        app.store(),
        &SearchQuery {
            limit: 5,
            offset: 5,
            ..query("复工")
        },
        TODAY,
    )
    .await
    .unwrap();
    let ids: Vec<&str> = first
        .hits
        .iter()
        .chain(&second.hits)
        .map(|h| h.id.as_str())
        .collect();
    let top: Vec<&str> = page.hits.iter().take(10).map(|h| h.id.as_str()).collect();
    assert_eq!(ids, top);
    assert_eq!(second.total, page.total);
}

#[tokio::test]
async fn filters_combine_with_the_words() {
    let central = yiqifu_tests::start_central().await;
    let dir = tempfile::tempdir().unwrap();
    let app = synced_app(dir.path(), "search-filters", &central.url()).await;
    let catalog = yiqifu_central::seed::demo_catalog().unwrap();
    let ids = |q: SearchQuery| {
        let app = &app;
        async move {
            search::search(app.store(), &q, TODAY)
                .await
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect::<BTreeSet<String>>()
        }
    };
    let with_word: BTreeSet<String> = found(&app, "复工").await;
    let want = |f: &dyn Fn(&Document) -> bool| -> BTreeSet<String> {
        catalog
            .iter()
            .filter(|d| with_word.contains(&d.id) && f(d))
            .map(|d| d.id.clone())
            .collect()
    };
    // Superseded: a document of the catalog in effect replaces it.
    let superseded = |d: &Document| {
        catalog
            .iter()
            .any(|s| s.supersedes.as_deref() == Some(&d.id) && s.effective_on.as_str() <= TODAY)
    };
    let in_force = |d: &Document| {
        d.effective_on.as_str() <= TODAY
            && d.expires_on.as_deref().is_none_or(|e| e >= TODAY)
            && !superseded(d)
    };

    let pudong = ids(SearchQuery {
        district: Some("浦东新区".into()),
        ..query("复工")
    })
    .await;
    assert!(!pudong.is_empty());
    assert_eq!(pudong, want(&|d| d.district.as_deref() == Some("浦东新区")));
    // A full page counts the filtered matches apart from the page, newest first too.
    assert!(pudong.len() > 1);
    for order in [SearchOrder::Relevance, SearchOrder::Date] {
        let one = search::search(
            app.store(),
            &SearchQuery {
                district: Some("浦东新区".into()),
                limit: 1,
                order,
                ..query("复工")
            },
            TODAY,
        )
        .await
        .unwrap();
        assert_eq!(one.hits.len(), 1);
        assert_eq!(one.total as usize, pudong.len(), "{order:?}");
    }

    let levels = ids(SearchQuery {
        levels: vec![PolicyLevel::National, PolicyLevel::District],
        ..query("复工")
    })
    .await;
    assert_eq!(levels, want(&|d| d.level != PolicyLevel::Municipal));

    let guidance = ids(SearchQuery {
        kind: Some(DocumentKind::Guidance),
        ..query("核酸")
    })
    .await;
    assert!(
        !guidance.is_empty(),
        "one box finds the guidance on testing too"
    );

    let current = ids(SearchQuery {
        status: Some(StatusFilter::InForce),
        ..query("复工")
    })
    .await;
    let expired = ids(SearchQuery {
        status: Some(StatusFilter::Expired),
        ..query("复工")
    })
    .await;
    assert_eq!(current, want(&in_force));
    assert_eq!(expired, want(&|d| !in_force(d)));

    let may = ids(SearchQuery {
        published_from: Some("2022-05-01".into()),
        published_to: Some("2022-05-31".into()),
        ..query("复工")
    })
    .await;
    assert!(!may.is_empty());
    assert_eq!(
        may,
        want(
            &|d| d.published_on.as_str() >= "2022-05-01" && d.published_on.as_str() <= "2022-05-31"
        )
    );

    let industry = ids(SearchQuery {
        industry: Some("建筑业".into()),
        ..query("复工")
    })
    .await;
    assert_eq!(
        industry,
        want(&|d| d.industries.iter().any(|i| i == "建筑业" || i == "全行业"))
    );

    // 适用本企业: national and municipal, this district's own, this industry, in force.
    let mine = ids(SearchQuery {
        applies_to: Some(Applicability {
            district: Some("嘉定区".into()),
            industry: Some("制造业".into()),
        }),
        ..query("复工")
    })
    .await;
    let applies = want(&|d| {
        (d.level != PolicyLevel::District || d.district.as_deref() == Some("嘉定区"))
            && d.industries.iter().any(|i| i == "制造业" || i == "全行业")
            && in_force(d)
    });
    assert!(!applies.is_empty());
    assert_eq!(mine, applies);

    // Without words: every filter still applies, newest first.
    let all_pudong = search::search(
        app.store(),
        &SearchQuery {
            district: Some("浦东新区".into()),
            limit: 200,
            ..Default::default()
        },
        TODAY,
    )
    .await
    .unwrap();
    assert_eq!(
        all_pudong.total as usize,
        catalog
            .iter()
            .filter(|d| d.district.as_deref() == Some("浦东新区"))
            .count()
    );
    for h in &all_pudong.hits {
        let d = catalog.iter().find(|d| d.id == h.id).unwrap();
        let want = if superseded(d) {
            DocStatus::Superseded
        } else if d.expires_on.as_deref().is_some_and(|e| e < TODAY) {
            DocStatus::Expired
        } else if d.effective_on.as_str() > TODAY {
            DocStatus::NotYet
        } else {
            DocStatus::InForce
        };
        assert_eq!(h.status, want, "{}", d.id);
    }

    let facets = search::facets(app.store()).await.unwrap();
    assert!(facets.districts.contains(&"浦东新区".to_string()));
    assert!(facets.industries.contains(&"制造业".to_string()));
    assert!(!facets.issuers.is_empty());
}

#[tokio::test]
async fn a_changed_policy_is_found_by_its_new_words_and_not_its_old_ones() {
    let central = yiqifu_tests::start_central().await;
    let dir = tempfile::tempdir().unwrap();
    let app = synced_app(dir.path(), "search-update", &central.url()).await;
    let catalog = yiqifu_central::seed::demo_catalog().unwrap();
    let mut changed = catalog[3].clone();
    let old_word: String = changed.title.chars().skip(2).take(4).collect();
    assert!(found(&app, &old_word).await.contains(&changed.id));
    changed.title = "关于发放蜂鸟计划专项贴息的通知".into();
    changed.body = "一、蜂鸟计划面向受疫情影响的小微企业。".into();
    let withdrawn = catalog[5].id.clone();
    let mut conn = central.db.acquire().await.unwrap();
    yiqifu_central::catalog::publish_document(&mut conn, &changed)
        .await
        .unwrap();
    assert!(
        yiqifu_central::catalog::withdraw(&mut conn, "documents", &withdrawn)
            .await
            .unwrap()
    );
    drop(conn);
    app.sync_now().await.unwrap();

    assert_eq!(
        found(&app, "蜂鸟计划").await,
        BTreeSet::from([changed.id.clone()])
    );
    assert!(!found(&app, &old_word).await.contains(&changed.id));
    assert!(!found(&app, "复工").await.contains(&withdrawn));
    // And pinyin learns the new words once the catalog changed.
    assert!(found(&app, "fengniao").await.contains(&changed.id));

    // An index from an older version (or none) is rebuilt on start, whole.
    app.close().await;
    drop(app);
    let app = App::open(dir.path(), test_keychain("search-update"))
        .await
        .unwrap();
    sqlx::query("UPDATE settings SET value = '0' WHERE key = 'search_index_version'")
        .execute(app.store().pool())
        .await
        .unwrap();
    let before = found(&app, "复工").await;
    assert!(search::ensure_index(app.store()).await.unwrap());
    assert!(!search::ensure_index(app.store()).await.unwrap());
    assert_eq!(found(&app, "复工").await, before);
    assert_eq!(
        found(&app, "蜂鸟计划").await,
        BTreeSet::from([changed.id.clone()])
    );
}

#[tokio::test]
async fn the_library_opens_on_the_enterprises_own_documents() {
    let central = yiqifu_tests::start_central().await;
    let dir = tempfile::tempdir().unwrap();
    let app = synced_app(dir.path(), "search-opening", &central.url()).await;
    let ws = app.active().unwrap();
    ws.save_company_profile(yiqifu_tests::journey::profile())
        .await
        .unwrap();
    let catalog = yiqifu_central::seed::demo_catalog().unwrap();
    let of_kind = |k: DocumentKind| catalog.iter().filter(|d| d.kind == k).count();

    let opening = app
        .library_first_results(Some(&ws), DocumentKind::Policy)
        .await
        .unwrap();
    // The profile's district, and its industry section as documents name it (C: 制造业).
    let mine = Applicability {
        district: Some("浦东新区".into()),
        industry: Some("制造业".into()),
    };
    assert_eq!(opening.mine.as_ref(), Some(&mine));
    // The page's own first search, as it would ask it.
    let asked = app
        .search_documents(&search::opening_query(DocumentKind::Policy, Some(mine)))
        .await
        .unwrap();
    assert_eq!(opening.page, asked);
    // Narrowed to the enterprise: policies only, none of another district, fewer than all.
    let total = opening.page.total as usize;
    assert!(
        total > 0 && total < of_kind(DocumentKind::Policy),
        "{total}"
    );
    assert_eq!(opening.page.hits.len(), total.min(20));
    for h in &opening.page.hits {
        assert_eq!(h.kind, DocumentKind::Policy, "{}", h.id);
        assert!(
            h.district.as_deref().is_none_or(|d| d == "浦东新区"),
            "{}: {:?}",
            h.id,
            h.district
        );
    }

    // Without an enterprise: every document of the kind, unnarrowed.
    let anyone = app
        .library_first_results(None, DocumentKind::Guidance)
        .await
        .unwrap();
    assert_eq!(anyone.mine, None);
    assert_eq!(anyone.page.total as usize, of_kind(DocumentKind::Guidance));
    assert!(anyone
        .page
        .hits
        .iter()
        .all(|h| h.kind == DocumentKind::Guidance));
}
