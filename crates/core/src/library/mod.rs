//! The enterprise's own marks on the library: bookmarks, private notes and the key conditions
//! ticked off on policy and guidance documents. They live in the enterprise's database, so
//! they are kept apart per enterprise, work offline, are never sent, and are in its backup.
//! The documents they mark are the shared catalog's; one the service later withdraws keeps
//! its marks and is listed as withdrawn.

mod store;

use std::collections::HashMap;

use serde::Serialize;
use specta::Type;
use yiqifu_protocol::{DocumentKind, PolicyLevel};

use crate::catalog::{self, DocStatus};
use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::infra::clock::today_in_china;
use crate::store::Store;
use crate::workspace::Workspace;

/// A private note on a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Note {
    pub text: String,
    /// Unix seconds of the last edit.
    #[specta(type = f64)]
    pub updated_at: i64,
}

/// A document the enterprise bookmarked or wrote a note on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct BookmarkedDocument {
    pub id: String,
    /// `None` only if the catalog never had it on this computer (a mark restored from a
    /// backup into a fresh catalog, before the first sync).
    pub title: Option<String>,
    pub kind: Option<DocumentKind>,
    pub level: Option<PolicyLevel>,
    pub published_on: Option<String>,
    /// Its status today; `None` when it is not in the catalog.
    pub status: Option<DocStatus>,
    /// The service withdrew it: it is kept here, marked, never silently dropped.
    pub withdrawn: bool,
    pub bookmarked: bool,
    /// Unix seconds of the bookmark (or of the note, for a note alone): the list's order.
    #[specta(type = f64)]
    pub marked_at: i64,
    pub note: Option<Note>,
}

/// Which of the documents asked about carry a mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct LibraryMark {
    pub id: String,
    pub bookmarked: bool,
    pub has_note: bool,
}

/// A key condition (关键指引条件) the officer ticked off on a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ConditionCheck {
    pub condition_id: String,
    /// Unix seconds of the tick.
    #[specta(type = f64)]
    pub checked_at: i64,
    /// The service reworded the condition after it was ticked: it needs another look and is
    /// not shown as done.
    pub reworded: bool,
}

/// A document opened from the library, with this enterprise's marks on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct LibraryDocument {
    pub view: catalog::DocumentView,
    pub bookmarked: bool,
    pub note: Option<Note>,
    /// The ticks on its key conditions, for conditions it still has.
    pub checks: Vec<ConditionCheck>,
}

/// Whether the catalog has (or had, before a withdrawal) document `id`.
async fn known(catalog: &Store, id: &str) -> Result<bool> {
    if !catalog::titles(catalog, &[id]).await?.is_empty() {
        return Ok(true);
    }
    Ok(!catalog::changes::withdrawn_among(catalog, &[id])
        .await?
        .is_empty())
}

impl Workspace {
    fn library_catalog(&self) -> &Store {
        self.shared().catalog()
    }

    /// Bookmarks document `id` (`on`) or removes the bookmark. Bookmarking twice keeps the
    /// first date; removing one that is not there is no error.
    pub async fn bookmark(&self, id: &str, on: bool) -> Result<()> {
        if on {
            if !known(self.library_catalog(), id).await? {
                return Err(Error::NotFound(id.into()));
            }
            store::add_bookmark(self.store(), id).await?;
        } else {
            store::remove_bookmark(self.store(), id).await?;
        }
        self.changed(&[Topic::Library]);
        Ok(())
    }

    /// Writes the private note on document `id`; an empty (or blank) text deletes it. A text
    /// over the limit is refused whole, naming the limit, and the stored note is kept.
    pub async fn set_note(&self, id: &str, text: &str) -> Result<()> {
        let problems = yiqifu_protocol::limits::note_problems(text);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        if text.trim().is_empty() {
            store::delete_note(self.store(), id).await?;
        } else {
            if !known(self.library_catalog(), id).await? {
                return Err(Error::NotFound(id.into()));
            }
            store::put_note(self.store(), id, text).await?;
        }
        self.changed(&[Topic::Library]);
        Ok(())
    }

    pub async fn note(&self, id: &str) -> Result<Option<Note>> {
        store::note(self.store(), id).await
    }

    /// Every document this enterprise bookmarked or wrote a note on, most recently marked
    /// first, with its title and status from the catalog; withdrawn ones are kept, marked.
    pub async fn bookmarks(&self) -> Result<Vec<BookmarkedDocument>> {
        let marks = store::all(self.store()).await?;
        let ids: Vec<&str> = marks.iter().map(|m| m.id.as_str()).collect();
        let catalog = self.library_catalog();
        let live: HashMap<String, (catalog::DocumentSummary, DocStatus)> =
            catalog::summaries_of(catalog, &ids, &today_in_china())
                .await?
                .into_iter()
                .map(|d| (d.0.id.clone(), d))
                .collect();
        let gone: HashMap<String, catalog::WithdrawnDocument> =
            catalog::changes::withdrawn_among(catalog, &ids)
                .await?
                .into_iter()
                .map(|d| (d.id.clone(), d))
                .collect();
        Ok(marks
            .into_iter()
            .map(|m| {
                let (title, kind, level, published_on) = match (live.get(&m.id), gone.get(&m.id)) {
                    (Some((d, _)), _) => (
                        Some(d.title.clone()),
                        Some(d.kind),
                        Some(d.level),
                        Some(d.published_on.clone()),
                    ),
                    (None, Some(w)) => (
                        Some(w.title.clone()),
                        Some(w.kind),
                        Some(w.level),
                        Some(w.published_on.clone()),
                    ),
                    (None, None) => (None, None, None, None),
                };
                BookmarkedDocument {
                    title,
                    kind,
                    level,
                    published_on,
                    status: live.get(&m.id).map(|d| d.1),
                    withdrawn: !live.contains_key(&m.id) && gone.contains_key(&m.id),
                    bookmarked: m.bookmarked,
                    marked_at: m.marked_at,
                    note: m.note,
                    id: m.id,
                }
            })
            .collect())
    }

    /// Which of `ids` this enterprise bookmarked or annotated (a list shows its marks with
    /// one call); documents with neither are left out.
    pub async fn library_marks(&self, ids: &[String]) -> Result<Vec<LibraryMark>> {
        store::marks_of(self.store(), ids).await
    }

    /// Ticks key condition `condition_id` of document `id` off (`on`) or clears the tick.
    /// A tick keeps the condition's wording, so a later rewording by the service shows.
    pub async fn check_condition(&self, id: &str, condition_id: &str, on: bool) -> Result<()> {
        if on {
            let document = catalog::get(self.library_catalog(), id).await?;
            let Some(condition) = document
                .key_conditions
                .iter()
                .find(|c| c.id == condition_id)
            else {
                return Err(Error::NotFound(format!("{id} / {condition_id}")));
            };
            store::put_check(self.store(), id, condition_id, &condition.text).await?;
        } else {
            store::delete_check(self.store(), id, condition_id).await?;
        }
        self.changed(&[Topic::Library]);
        Ok(())
    }

    /// Document `id` as the library opens it today, with this enterprise's marks.
    pub async fn library_document(&self, id: &str) -> Result<LibraryDocument> {
        let view = catalog::view(self.library_catalog(), id, &today_in_china()).await?;
        let checks = store::checks(self.store(), id)
            .await?
            .into_iter()
            .filter_map(|(condition_id, text, checked_at)| {
                // A tick on a condition the document no longer has is kept, not shown.
                let now = view
                    .document
                    .key_conditions
                    .iter()
                    .find(|c| c.id == condition_id)?;
                Some(ConditionCheck {
                    reworded: now.text != text,
                    condition_id,
                    checked_at,
                })
            })
            .collect();
        Ok(LibraryDocument {
            view,
            bookmarked: store::is_bookmarked(self.store(), id).await?,
            note: store::note(self.store(), id).await?,
            checks,
        })
    }
}
