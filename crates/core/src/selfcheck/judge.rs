//! Reading templates from the catalog and judging answers for the views: pure but for the
//! catalog read and the evidence files' names.

use std::collections::{HashMap, HashSet};

use yiqifu_protocol::selfcheck::{self as engine, Lang};
use yiqifu_protocol::{Answer, AnswerValue, CompanyProfile, SelfCheckTemplate, TemplateItem};

use super::store::Run;
use super::view::{
    ChangedItem, FailureView, ItemState, ItemStatus, RunSummary, Source, TemplateChanges,
    TemplateInfo, VerdictView,
};
use crate::catalog::TEMPLATES;
use crate::error::{Error, Result};
use crate::materials;
use crate::store::Store;

/// Every template version the catalog holds; entries this version cannot read are skipped
/// (a newer service may publish what an older app cannot show).
pub(super) async fn all_templates(catalog: &Store) -> Result<Vec<SelfCheckTemplate>> {
    let raw = crate::catalog::collection(catalog, TEMPLATES).await?;
    let mut out = Vec::new();
    for v in raw {
        match serde_json::from_value::<SelfCheckTemplate>(v) {
            Ok(t) => out.push(t),
            Err(e) => tracing::warn!(error = %e, "a template this version cannot read"),
        }
    }
    Ok(out)
}

/// The newest version of each template, by id.
pub(super) fn newest(all: Vec<SelfCheckTemplate>) -> Vec<SelfCheckTemplate> {
    let mut by_id: Vec<SelfCheckTemplate> = Vec::new();
    for t in all {
        match by_id.iter_mut().find(|x| x.id == t.id) {
            Some(x) if x.version < t.version => *x = t,
            Some(_) => {}
            None => by_id.push(t),
        }
    }
    by_id.sort_by(|a, b| a.id.cmp(&b.id));
    by_id
}

pub(super) async fn current_template(catalog: &Store, id: &str) -> Result<SelfCheckTemplate> {
    newest(all_templates(catalog).await?)
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| Error::TemplateMissing(id.into()))
}

pub(super) fn info(t: &SelfCheckTemplate) -> TemplateInfo {
    TemplateInfo {
        id: t.id.clone(),
        version: t.version,
        title: t.title.clone(),
        published_on: t.published_on.clone(),
        based_on: t.based_on.clone(),
        items: u32::try_from(t.items().count()).unwrap_or(u32::MAX),
    }
}

pub(super) use crate::infra::clock::today_in_china;

pub(super) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn section_of(t: &SelfCheckTemplate) -> HashMap<&str, &str> {
    t.sections
        .iter()
        .flat_map(|s| s.items.iter().map(move |i| (i.id.as_str(), s.id.as_str())))
        .collect()
}

pub(super) struct Judged {
    pub(super) items: Vec<ItemState>,
    pub(super) verdict: VerdictView,
    pub(super) answered: u32,
    pub(super) shown: u32,
}

/// The titles of the documents `t` cites that the catalog has (a withdrawn one keeps its id).
pub(super) async fn sources(catalog: &Store, t: &SelfCheckTemplate) -> Result<Vec<Source>> {
    let mut ids: Vec<&str> = t.items().map(|i| i.cites.document_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(crate::catalog::titles(catalog, &ids)
        .await?
        .into_iter()
        .map(|(document_id, title)| Source { document_id, title })
        .collect())
}

pub(super) async fn judge(
    store: &Store,
    t: &SelfCheckTemplate,
    profile: &CompanyProfile,
    answers: &[Answer],
    recheck: &HashSet<String>,
    added: &HashSet<String>,
) -> Result<Judged> {
    let verdict = engine::evaluate(t, profile, answers);
    let shown: HashSet<&str> = engine::visible_items(t, profile, answers)
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    let by_id: HashMap<&str, &AnswerValue> = answers
        .iter()
        .map(|a| (a.item_id.as_str(), &a.value))
        .collect();
    let failing: HashMap<&str, &engine::ItemFailure> = verdict
        .failures
        .iter()
        .map(|f| (f.item_id.as_str(), f))
        .collect();
    let evidence: Vec<&str> = answers
        .iter()
        .filter_map(|a| match &a.value {
            AnswerValue::Evidence(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let files = materials::files(store, &evidence).await?;
    let sections = section_of(t);
    let mut items = Vec::new();
    let mut answered = 0;
    for item in t.items() {
        let answer = by_id.get(item.id.as_str()).map(|v| (*v).clone());
        let visible = shown.contains(item.id.as_str());
        let failure = failing.get(item.id.as_str()).copied();
        let status = match (visible, &answer, failure) {
            (false, _, _) => ItemStatus::Hidden,
            (true, None, _) => ItemStatus::Open,
            (true, Some(_), Some(_)) => ItemStatus::Fail,
            (true, Some(_), None) => ItemStatus::Pass,
        };
        if visible && answer.is_some() {
            answered += 1;
        }
        let file = match &answer {
            Some(AnswerValue::Evidence(id)) => files.iter().find(|f| &f.local_id == id).cloned(),
            _ => None,
        };
        let text = |lang| failure.map(|f| engine::explain(Some(item), f, lang));
        items.push(ItemState {
            item_id: item.id.clone(),
            section_id: sections.get(item.id.as_str()).unwrap_or(&"").to_string(),
            status,
            answer,
            file,
            problem_zh: text(Lang::Zh),
            problem_en: text(Lang::En),
            recheck: visible && recheck.contains(&item.id),
            added: added.contains(&item.id),
        });
    }
    let failures = verdict
        .failures
        .iter()
        .map(|f| {
            let item = t.items().find(|i| i.id == f.item_id);
            FailureView {
                item_id: f.item_id.clone(),
                section_id: sections.get(f.item_id.as_str()).unwrap_or(&"").to_string(),
                prompt: item.map(|i| i.prompt.clone()).unwrap_or_default(),
                reason_zh: engine::explain(item, f, Lang::Zh),
                reason_en: engine::explain(item, f, Lang::En),
            }
        })
        .collect();
    Ok(Judged {
        items,
        verdict: VerdictView {
            passed: verdict.passed,
            failures,
        },
        answered,
        shown: count(shown.len()),
    })
}

pub(super) fn failures_of(r: &Run) -> u32 {
    count(
        engine::evaluate(&r.template, &r.profile, &r.answers)
            .failures
            .len(),
    )
}

pub(super) fn summary(r: &Run, newest: Option<u32>) -> RunSummary {
    RunSummary {
        id: r.id.clone(),
        template_id: r.template.id.clone(),
        template_version: r.template.version,
        template_title: r.template.title.clone(),
        finished_on: r.finished_on.clone(),
        finished_at: r.finished_at,
        passed: r.passed,
        failures: failures_of(r),
        current: newest == Some(r.template.version),
    }
}

/// Carries `answers` of `old` over to `new`: answers of removed items go, answers of
/// changed items stay only if they can still be answers, and are marked to look at again.
pub(super) fn carry_over(
    old: &SelfCheckTemplate,
    new: &SelfCheckTemplate,
    answers: Vec<Answer>,
) -> (Vec<Answer>, HashSet<String>, TemplateChanges) {
    let d = engine::diff(old, new);
    let named = |ids: &[String], t: &SelfCheckTemplate| -> Vec<ChangedItem> {
        ids.iter()
            .map(|id| ChangedItem {
                id: id.clone(),
                prompt: t
                    .items()
                    .find(|i| &i.id == id)
                    .map(|i| i.prompt.clone())
                    .unwrap_or_default(),
            })
            .collect()
    };
    let changes = TemplateChanges {
        from_version: old.version,
        to_version: new.version,
        added: named(&d.added, new),
        changed: named(&d.changed, new),
        removed: named(&d.removed, old),
    };
    let changed: HashSet<&str> = d.changed.iter().map(String::as_str).collect();
    let items: HashMap<&str, &TemplateItem> = new.items().map(|i| (i.id.as_str(), i)).collect();
    let mut recheck = HashSet::new();
    let kept = answers
        .into_iter()
        .filter(|a| {
            let Some(item) = items.get(a.item_id.as_str()) else {
                return false;
            };
            if changed.contains(a.item_id.as_str()) {
                recheck.insert(a.item_id.clone());
                return engine::check_answer(item, &a.value).is_ok();
            }
            true
        })
        .collect();
    (kept, recheck, changes)
}
