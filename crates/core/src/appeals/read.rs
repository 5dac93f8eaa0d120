//! Reading appeals: the local records, the pulled feed and the requests still waiting,
//! merged into one list and one thread per appeal.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use serde_json::Value;
use time::OffsetDateTime;
use yiqifu_protocol::{
    response_clock, Appeal, AppealState, NewAppeal, Party, Rating, ResponseClock, WorkCalendar,
};

use super::view::{AppealQuery, AppealStage, AppealSummary, AppealView, Delivery, ThreadMessage};
use super::{op, APPEALS, SERVER_KEY};
use crate::error::{Error, Result};
use crate::outbox::{self, PendingOp};
use crate::records::{self, LocalRecord};
use crate::workspace::Workspace;

/// One appeal from every source: its key, the local record (filed here) and the service's
/// latest version of it.
struct Source {
    key: String,
    record: Option<LocalRecord>,
    created_here: Option<i64>,
    server: Option<Appeal>,
}

fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The newer of two versions of an appeal: the later `updated_at`, then the longer thread
/// and timeline; the pulled one on a tie (a pull is never older than the answer it follows).
fn newer(answer: Option<Appeal>, pulled: Option<Appeal>) -> Option<Appeal> {
    match (answer, pulled) {
        (Some(a), Some(p)) => {
            let rank = |x: &Appeal| (x.updated_at.clone(), x.messages.len(), x.timeline.len());
            Some(if rank(&a) > rank(&p) { a } else { p })
        }
        (a, p) => p.or(a),
    }
}

/// A promise past due and not met: what the list puts first.
fn overdue_now(c: &ResponseClock) -> bool {
    (!c.contact.met && c.contact.overdue) || (!c.reply.met && c.reply.overdue)
}

/// The next promise still open, for "nearest due first".
fn next_due(c: &ResponseClock) -> Option<String> {
    [&c.contact, &c.reply]
        .into_iter()
        .filter(|d| !d.met)
        .map(|d| d.due_at.clone())
        .min()
}

fn stage_matches(stage: AppealStage, states: &[AppealState]) -> bool {
    if states.is_empty() {
        return true;
    }
    match stage {
        // Filed here and not yet delivered: it will be `submitted` once it is.
        AppealStage::Unsent => states.contains(&AppealState::Submitted),
        s => states.iter().any(|st| AppealStage::from(*st) == s),
    }
}

impl Workspace {
    async fn appeal_sources(&self) -> Result<Vec<Source>> {
        let mut pulled: HashMap<String, Appeal> = HashMap::new();
        for v in crate::pull::items(self.store(), crate::inbox::TABLE, APPEALS).await? {
            match serde_json::from_value::<Appeal>(v) {
                Ok(a) => {
                    pulled.insert(a.id.clone(), a);
                }
                Err(e) => tracing::warn!(error = %e, "unreadable pulled appeal skipped"),
            }
        }
        let created: HashMap<String, i64> = records::created_times(self.store(), "appeal")
            .await?
            .into_iter()
            .collect();
        let mut out = Vec::new();
        let mut claimed = HashSet::new();
        for rec in records::list(self.store(), Some("appeal")).await? {
            let answer = rec
                .server_body
                .as_deref()
                .and_then(|b| serde_json::from_str::<Appeal>(b).ok());
            let from_feed = rec
                .server_id
                .as_ref()
                .and_then(|id| pulled.get(id))
                .cloned();
            if let Some(id) = &rec.server_id {
                claimed.insert(id.clone());
            }
            out.push(Source {
                key: rec.local_id.clone(),
                created_here: created.get(&rec.local_id).copied(),
                server: newer(answer, from_feed),
                record: Some(rec),
            });
        }
        // Filed elsewhere (another computer, the demo's seed): addressed by the service's id.
        for (id, a) in pulled {
            if !claimed.contains(&id) {
                out.push(Source {
                    key: format!("{SERVER_KEY}{id}"),
                    record: None,
                    created_here: None,
                    server: Some(a),
                });
            }
        }
        Ok(out)
    }

    /// The appeal's key as the list names it: `srv:<id>` of an appeal filed here is its
    /// local record's id, so every request of one appeal queues in one line.
    pub(crate) async fn appeal_key(&self, key: &str) -> Result<String> {
        let sources = self.appeal_sources().await?;
        if let Some(id) = key.strip_prefix(SERVER_KEY) {
            if let Some(s) = sources
                .iter()
                .find(|s| s.server.as_ref().is_some_and(|a| a.id == id))
            {
                return Ok(s.key.clone());
            }
        } else if sources.iter().any(|s| s.key == key) {
            return Ok(key.into());
        }
        Err(Error::NotFound(key.into()))
    }

    async fn summary_of(
        &self,
        s: &Source,
        cal: &WorkCalendar,
        now: OffsetDateTime,
    ) -> Result<(AppealSummary, Vec<PendingOp>, Vec<PendingOp>)> {
        let messages = outbox::pending_of(self.store(), &s.key, op::MESSAGE.kind).await?;
        let ratings = outbox::pending_of(self.store(), &s.key, op::RATE.kind).await?;
        let draft: Option<NewAppeal> = s
            .record
            .as_ref()
            .and_then(|r| serde_json::from_str(&r.draft).ok());
        let uploads_parked = match &draft {
            Some(d) if s.server.is_none() => {
                let ids: Vec<&str> = d.attachments.iter().map(String::as_str).collect();
                crate::materials::any_parked(self.store(), &ids).await?
            }
            _ => false,
        };
        let pending = outbox::pending_for(self.store(), &s.key).await?;
        let delivery = if uploads_parked || outbox::parked_for(self.store(), &s.key).await? {
            Delivery::Parked
        } else if pending > 0 || s.server.is_none() {
            Delivery::Queued
        } else {
            Delivery::Delivered
        };
        let clock = s.server.as_ref().map(|a| response_clock(a, cal, now));
        let (category, title) = match (&s.server, &draft) {
            (Some(a), _) => (a.category, a.title.clone()),
            (None, Some(d)) => (d.category, d.title.clone()),
            (None, None) => return Err(Error::NotFound(s.key.clone())),
        };
        let stage = s
            .server
            .as_ref()
            .map_or(AppealStage::Unsent, |a| a.state.into());
        let summary = AppealSummary {
            key: s.key.clone(),
            receipt_no: s.server.as_ref().map(|a| a.receipt_no.clone()),
            category,
            title,
            stage,
            delivery,
            created_at: s
                .server
                .as_ref()
                .map(|a| a.created_at.clone())
                .unwrap_or_else(|| rfc3339(s.created_here.unwrap_or(0))),
            overdue: stage != AppealStage::Closed && clock.as_ref().is_some_and(overdue_now),
            clock,
            unsent_messages: u32::try_from(messages.len()).unwrap_or(u32::MAX),
            rated: s.server.as_ref().is_some_and(|a| a.rating.is_some()) || !ratings.is_empty(),
        };
        Ok((summary, messages, ratings))
    }

    /// The appeals, overdue first, then the nearest promise due, then the newest.
    pub async fn appeals(&self, q: &AppealQuery) -> Result<Vec<AppealSummary>> {
        let cal = crate::catalog::calendar(self.shared().catalog()).await?;
        let now = OffsetDateTime::now_utc();
        let mut out = Vec::new();
        for s in self.appeal_sources().await? {
            let summary = match self.summary_of(&s, &cal, now).await {
                Ok((summary, _, _)) => summary,
                Err(e) => {
                    tracing::warn!(key = %s.key, code = e.code(), "unreadable appeal skipped");
                    continue;
                }
            };
            if !stage_matches(summary.stage, &q.states)
                || !(q.categories.is_empty() || q.categories.contains(&summary.category))
                || (q.overdue_only && !summary.overdue)
            {
                continue;
            }
            out.push(summary);
        }
        out.sort_by(order);
        Ok(out)
    }

    /// One appeal in full: the service's latest version, with the messages and the rating
    /// that wait to be sent.
    pub async fn appeal(&self, key: &str) -> Result<AppealView> {
        let key = self.appeal_key(key).await?;
        let cal = crate::catalog::calendar(self.shared().catalog()).await?;
        let sources = self.appeal_sources().await?;
        let s = sources
            .into_iter()
            .find(|s| s.key == key)
            .ok_or_else(|| Error::NotFound(key.clone()))?;
        let (summary, messages, ratings) =
            self.summary_of(&s, &cal, OffsetDateTime::now_utc()).await?;
        let draft: Option<NewAppeal> = s
            .record
            .as_ref()
            .and_then(|r| serde_json::from_str(&r.draft).ok());
        let mut thread: Vec<ThreadMessage> = s
            .server
            .as_ref()
            .map(|a| {
                a.messages
                    .iter()
                    .map(|m| ThreadMessage {
                        from: m.from,
                        body: m.body.clone(),
                        at: m.at.clone(),
                        sent: true,
                        parked: false,
                        outbox_id: None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        thread.extend(messages.iter().map(|p| {
            ThreadMessage {
                from: Party::Enterprise,
                body: p
                    .payload
                    .get("body")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .into(),
                at: rfc3339(p.created_at),
                sent: false,
                parked: p.parked,
                outbox_id: Some(p.id.clone()),
            }
        }));
        let server_rating = s.server.as_ref().and_then(|a| a.rating.clone());
        let queued_rating: Option<Rating> = ratings
            .last()
            .and_then(|p| p.payload.get("rating").cloned())
            .and_then(|r| serde_json::from_value(r).ok());
        let replied = s
            .server
            .as_ref()
            .is_some_and(|a| a.messages.iter().any(|m| m.from == Party::Authority));
        let attachments = match (&draft, &s.server) {
            (Some(d), _) => {
                let ids: Vec<&str> = d.attachments.iter().map(String::as_str).collect();
                crate::materials::files(self.store(), &ids)
                    .await?
                    .into_iter()
                    .map(|f| f.filename)
                    .collect()
            }
            (None, Some(a)) => a.attachments.clone(),
            (None, None) => Vec::new(),
        };
        Ok(AppealView {
            description: s
                .server
                .as_ref()
                .map(|a| a.description.clone())
                .or_else(|| draft.as_ref().map(|d| d.description.clone()))
                .unwrap_or_default(),
            contact: s
                .server
                .as_ref()
                .and_then(|a| a.contact.clone())
                .or_else(|| draft.as_ref().and_then(|d| d.contact.clone())),
            attachments,
            assigned_to: s.server.as_ref().and_then(|a| a.assigned_to.clone()),
            timeline: s
                .server
                .as_ref()
                .map(|a| a.timeline.clone())
                .unwrap_or_default(),
            thread,
            rating_sent: server_rating.is_some(),
            can_rate: replied && server_rating.is_none() && queued_rating.is_none(),
            can_message: summary.stage != AppealStage::Closed,
            rating: server_rating.or(queued_rating),
            summary,
        })
    }
}

fn order(a: &AppealSummary, b: &AppealSummary) -> Ordering {
    let due = |s: &AppealSummary| s.clock.as_ref().and_then(next_due);
    b.overdue
        .cmp(&a.overdue)
        .then_with(|| match (due(a), due(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| b.created_at.cmp(&a.created_at))
        .then_with(|| a.key.cmp(&b.key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yiqifu_protocol::{AppealCategory, Deadline};

    fn deadline(due_at: &str, met: bool, overdue: bool) -> Deadline {
        Deadline {
            due_at: due_at.into(),
            met_at: None,
            met,
            overdue,
            working_minutes_left: 0,
        }
    }

    fn summary(key: &str, created: &str, clock: Option<(Deadline, Deadline)>) -> AppealSummary {
        let clock = clock.map(|(contact, reply)| ResponseClock {
            contact,
            reply,
            estimated: false,
        });
        AppealSummary {
            key: key.into(),
            receipt_no: None,
            category: AppealCategory::Other,
            title: key.into(),
            stage: AppealStage::Submitted,
            delivery: Delivery::Delivered,
            created_at: created.into(),
            overdue: clock.as_ref().is_some_and(overdue_now),
            clock,
            unsent_messages: 0,
            rated: false,
        }
    }

    #[test]
    fn the_overdue_come_first_then_the_nearest_due_then_the_newest() {
        let late = summary(
            "late",
            "2022-05-01T00:00:00Z",
            Some((
                deadline("2022-05-02T01:00:00Z", true, false),
                deadline("2022-05-03T09:00:00Z", false, true),
            )),
        );
        // Met late is not waiting any more: not first.
        let met_late = summary(
            "met-late",
            "2022-05-01T00:00:00Z",
            Some((
                deadline("2022-05-02T01:00:00Z", true, true),
                deadline("2022-05-03T09:00:00Z", true, true),
            )),
        );
        let soon = summary(
            "soon",
            "2022-05-04T00:00:00Z",
            Some((
                deadline("2022-05-05T01:00:00Z", true, false),
                deadline("2022-05-06T09:00:00Z", false, false),
            )),
        );
        let later = summary(
            "later",
            "2022-05-04T00:00:00Z",
            Some((
                deadline("2022-05-05T01:00:00Z", false, false),
                deadline("2022-05-09T09:00:00Z", false, false),
            )),
        );
        let unsent_old = summary("unsent-old", "2022-05-01T00:00:00Z", None);
        let unsent_new = summary("unsent-new", "2022-05-08T00:00:00Z", None);
        let mut all = [unsent_old, met_late, later, unsent_new, soon, late];
        all.sort_by(order);
        let keys: Vec<&str> = all.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "late",
                "later",
                "soon",
                "unsent-new",
                "met-late",
                "unsent-old"
            ]
        );
    }

    #[test]
    fn an_unsent_appeal_shows_under_submitted() {
        assert!(stage_matches(AppealStage::Unsent, &[]));
        assert!(stage_matches(
            AppealStage::Unsent,
            &[AppealState::Submitted]
        ));
        assert!(!stage_matches(AppealStage::Unsent, &[AppealState::Replied]));
        assert!(stage_matches(AppealStage::Replied, &[AppealState::Replied]));
        assert!(!stage_matches(AppealStage::Closed, &[AppealState::Replied]));
    }
}
