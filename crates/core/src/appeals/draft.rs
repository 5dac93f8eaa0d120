//! Appeal drafts: written over several sittings, their attachments checked as they are
//! added, and sent as one transaction (uploads and the filing queued together, or nothing).

use std::path::Path;

use yiqifu_protocol::{
    AppealContact, FieldProblem, MaterialRule, NewAppeal, APPEAL_ATTACHMENT, LIMITS,
};

use super::store;
use super::view::{AppealDraftFields, AppealDraftView, AttachmentRule, AttachmentView};
use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::infra::checked::{check_picked, duplicate, too_many};
use crate::materials;
use crate::outbox::{self, new_local_id, now_unix};
use crate::records;
use crate::workspace::Workspace;

/// The first `keep` characters of `s`.
fn clip(s: &str, keep: u32) -> String {
    s.chars()
        .take(usize::try_from(keep).unwrap_or(usize::MAX))
        .collect()
}

/// Keeps at most twice a field's limit: enough to show the officer how far over it is,
/// without storing a pasted book.
fn clipped(f: AppealDraftFields) -> AppealDraftFields {
    AppealDraftFields {
        category: f.category,
        title: clip(&f.title, 2 * LIMITS.appeal_title),
        description: clip(&f.description, 2 * LIMITS.appeal_description),
        contact_name: clip(&f.contact_name, 2 * LIMITS.contact_name),
        // No phone number is longer than this; the check says what is wrong with it.
        contact_phone: clip(&f.contact_phone, 20),
    }
}

/// The appeal a draft would file, with `attachments` as its attachments' ids.
fn appeal_of(f: &AppealDraftFields, attachments: Vec<String>) -> Option<NewAppeal> {
    Some(NewAppeal {
        category: f.category?,
        title: f.title.trim().into(),
        description: f.description.trim().into(),
        attachments,
        contact: Some(AppealContact {
            name: f.contact_name.trim().into(),
            phone: f.contact_phone.trim().into(),
        }),
    })
}

/// What stops a draft from being sent: the service's checks, plus the category and the
/// contact, which the app requires.
fn problems(f: &AppealDraftFields, files: &[AttachmentView]) -> Vec<FieldProblem> {
    let ids = files.iter().map(|a| a.id.clone()).collect();
    let with_category = AppealDraftFields {
        category: f.category.or(Some(yiqifu_protocol::AppealCategory::Other)),
        ..f.clone()
    };
    let mut out = Vec::new();
    if f.category.is_none() {
        out.push(FieldProblem {
            field: "category".into(),
            zh: "请选择诉求类别".into(),
            en: "Choose the appeal's category".into(),
        });
    }
    if let Some(a) = appeal_of(&with_category, ids) {
        out.extend(a.problems());
    }
    out
}

impl Workspace {
    async fn appeal_draft_view(&self, row: store::DraftRow) -> Result<AppealDraftView> {
        let attachments = store::files(self.store(), &row.id).await?;
        Ok(AppealDraftView {
            problems: problems(&row.fields, &attachments),
            id: row.id,
            fields: row.fields,
            attachments,
            updated_at: row.updated_at,
        })
    }

    async fn existing_appeal_draft(&self, id: &str) -> Result<store::DraftRow> {
        store::draft(self.store(), id)
            .await?
            .ok_or_else(|| Error::NotFound(id.into()))
    }

    /// The appeals being written, the last edited first.
    pub async fn appeal_drafts(&self) -> Result<Vec<AppealDraftView>> {
        let mut out = Vec::new();
        for row in store::drafts(self.store()).await? {
            out.push(self.appeal_draft_view(row).await?);
        }
        Ok(out)
    }

    /// Starts a draft, with the first contact of the company profile filled in.
    pub async fn new_appeal_draft(&self) -> Result<AppealDraftView> {
        let contact = self
            .saved_profile()
            .await?
            .and_then(|p| p.contacts.into_iter().next());
        let fields = AppealDraftFields {
            contact_name: contact.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
            contact_phone: contact.map(|c| c.phone).unwrap_or_default(),
            ..AppealDraftFields::default()
        };
        let id = new_local_id("apd");
        store::put_draft(self.store(), &id, &fields, now_unix(), false).await?;
        self.changed(&[Topic::Appeals]);
        let row = self.existing_appeal_draft(&id).await?;
        self.appeal_draft_view(row).await
    }

    /// Saves the draft as typed (wrong fields too: `problems` names them).
    pub async fn save_appeal_draft(
        &self,
        id: &str,
        fields: AppealDraftFields,
    ) -> Result<AppealDraftView> {
        if !store::put_draft(self.store(), id, &clipped(fields), now_unix(), true).await? {
            return Err(Error::NotFound(id.into()));
        }
        self.changed(&[Topic::Appeals]);
        let row = self.existing_appeal_draft(id).await?;
        self.appeal_draft_view(row).await
    }

    pub async fn delete_appeal_draft(&self, id: &str) -> Result<()> {
        let mut tx = self.store().write().await?;
        let gone = store::delete_draft(&mut tx, id).await?;
        tx.commit().await?;
        if !gone {
            return Err(Error::NotFound(id.into()));
        }
        self.changed(&[Topic::Appeals]);
        Ok(())
    }

    async fn attachment_material_rule(&self) -> Result<MaterialRule> {
        crate::catalog::attachment_rule(self.shared().catalog(), APPEAL_ATTACHMENT).await
    }

    /// What an attachment may be, as the service publishes it (the file dialog's filter).
    pub async fn appeal_attachment_rule(&self) -> Result<AttachmentRule> {
        let r = self.attachment_material_rule().await?;
        Ok(AttachmentRule {
            formats: r.formats,
            max_bytes: r.max_bytes,
            max_count: r.max_count,
        })
    }

    /// Attaches a file to a draft after the checks of application materials (type by
    /// content, size, name, that it opens), refusing a duplicate and one too many.
    pub async fn add_appeal_attachment(&self, draft: &str, path: &Path) -> Result<AttachmentView> {
        self.existing_appeal_draft(draft).await?;
        let rule = self.attachment_material_rule().await?;
        let present = store::files(self.store(), draft).await?;
        if present.len() >= rule.max_count as usize {
            return Err(too_many(&rule));
        }
        let checked = check_picked(self.store(), path, &rule).await?;
        if let Some(same) = present.iter().find(|f| f.sha256 == checked.incoming.sha256) {
            checked.incoming.discard().await;
            return Err(duplicate(&same.filename));
        }
        let view = AttachmentView {
            id: new_local_id("att"),
            filename: checked.filename,
            size: checked.incoming.size,
            format: checked.format.as_str().into(),
            sha256: checked.incoming.sha256.clone(),
        };
        checked.incoming.keep(self.store()).await?;
        store::insert_file(self.store(), draft, &view).await?;
        self.changed(&[Topic::Appeals]);
        Ok(view)
    }

    pub async fn remove_appeal_attachment(&self, draft: &str, attachment: &str) -> Result<()> {
        if !store::delete_file(self.store(), draft, attachment).await? {
            return Err(Error::NotFound(attachment.into()));
        }
        self.changed(&[Topic::Appeals]);
        Ok(())
    }

    /// Files the draft: its attachments' uploads, the appeal's record and its filing
    /// request are queued in one transaction, and the draft goes with it. Returns the
    /// appeal's key.
    pub async fn send_appeal_draft(&self, id: &str) -> Result<String> {
        let row = self.existing_appeal_draft(id).await?;
        let files = store::files(self.store(), id).await?;
        let problems = problems(&row.fields, &files);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        for f in &files {
            if !materials::stored_ok(self.store(), &f.sha256, f.size).await {
                return Err(Error::InvalidFile(f.filename.clone()));
            }
        }
        let mut tx = self.store().write().await?;
        let mut uploads = Vec::new();
        for f in &files {
            uploads.push(
                materials::queue_stored(&mut tx, &f.sha256, f.size, APPEAL_ATTACHMENT, &f.filename)
                    .await?,
            );
        }
        let appeal = appeal_of(&row.fields, uploads)
            .ok_or_else(|| Error::InvalidInput(problems_of_category()))?;
        let local_id = records::create(&mut tx, "appeal", &serde_json::to_value(&appeal)?).await?;
        let fields = super::op::Create { appeal };
        outbox::enqueue(&mut tx, &local_id, &super::op::CREATE, &fields).await?;
        store::delete_draft(&mut tx, id).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Records, Topic::Outbox, Topic::Appeals])
            .await?;
        Ok(local_id)
    }
}

fn problems_of_category() -> Vec<FieldProblem> {
    problems(&AppealDraftFields::default(), &[])
        .into_iter()
        .filter(|p| p.field == "category")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> AppealDraftFields {
        AppealDraftFields {
            category: Some(yiqifu_protocol::AppealCategory::Financing),
            title: "流动资金贷款展期".into(),
            description: "请协调合作银行办理展期。".into(),
            contact_name: "赵静".into(),
            contact_phone: "13801762235".into(),
        }
    }

    fn fields_of(f: &AppealDraftFields) -> Vec<String> {
        problems(f, &[]).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_draft_needs_a_category_and_a_contact_besides_the_services_checks() {
        assert!(fields_of(&fields()).is_empty());
        let empty = AppealDraftFields::default();
        assert_eq!(
            fields_of(&empty),
            vec![
                "category",
                "title",
                "description",
                "contact.name",
                "contact.phone"
            ]
        );
        let long = AppealDraftFields {
            title: "标".repeat(101),
            ..fields()
        };
        assert_eq!(fields_of(&long), vec!["title"]);
    }

    #[test]
    fn a_draft_keeps_twice_a_limit_so_the_officer_sees_how_far_over_it_is() {
        let saved = clipped(AppealDraftFields {
            title: "标".repeat(500),
            contact_phone: "1".repeat(50),
            ..fields()
        });
        assert_eq!(saved.title.chars().count(), 200);
        assert_eq!(saved.contact_phone.len(), 20);
        assert_eq!(clipped(fields()), fields());
    }
}
