//! Taking back an application the service never accepted: its request was refused for good,
//! or waits on a file the service refused. The officer cannot change files in a queued
//! request; taken back, the application is on the application page again with the files it
//! carried, where a file is swapped with every check, and sent as a new round.

use super::op;
use super::store::{self, Draft};
use super::view::ApplicationDraft;
use crate::error::{Error, Result};
use crate::infra::changes::Topic;
use crate::materials;
use crate::outbox;
use crate::records;
use crate::workspace::Workspace;

impl Workspace {
    /// Takes the unsent round of application `record_id` back to the application page.
    /// Allowed only while its request is parked or waits on a refused upload: the worker
    /// sends neither, so nothing is on its way. The request leaves the queue with the
    /// unfinished uploads only it used; for a first submission the local record goes too,
    /// for a correction the record keeps its earlier rounds.
    pub async fn reopen_application(&self, record_id: &str) -> Result<ApplicationDraft> {
        let kinds = [op::SUBMIT.kind, op::RESUBMIT.kind];
        let rounds = store::rounds(self.store(), Some(record_id)).await?;
        let last = rounds
            .last()
            .ok_or_else(|| Error::NotFound(record_id.into()))?;
        let draft = store::draft(self.store()).await?;
        if draft.is_some() && !store::draft_files(self.store()).await?.is_empty() {
            return Err(Error::DraftInProgress);
        }
        let server = self.server_application(record_id).await?;

        let mut tx = self.store().write().await?;
        let (item, parked) = outbox::newest_of(&mut tx, record_id, &kinds)
            .await?
            .ok_or_else(|| Error::NotReopenable(record_id.into()))?;
        let (uploads, contact, correcting) = if item.kind == op::SUBMIT.kind {
            let op::Submit { application } = outbox::fields(&item)?;
            let ids = application.materials.into_iter().map(|m| m.upload_id);
            let contact = (application.contact_name, application.contact_phone);
            (ids.collect::<Vec<_>>(), contact, false)
        } else {
            let op::Resubmit { resubmission } = outbox::fields(&item)?;
            let ids = resubmission.materials.into_iter().map(|m| m.upload_id);
            let contact = server
                .as_ref()
                .map(|a| (a.contact_name.clone(), a.contact_phone.clone()))
                .unwrap_or_default();
            (ids.collect(), contact, true)
        };
        if !parked && !materials::refused_among(&mut tx, &uploads).await? {
            return Err(Error::NotReopenable(record_id.into()));
        }
        outbox::remove(&mut tx, item.id).await?;
        outbox::drop_unused_uploads(&mut tx, &uploads).await?;
        if correcting {
            store::delete_rounds_from(&mut tx, record_id, last.round).await?;
        } else {
            store::delete_rounds_from(&mut tx, record_id, 0).await?;
            records::delete_unsent(&mut tx, record_id).await?;
        }
        store::delete_draft(&mut tx).await?;
        store::put_draft(
            &mut tx,
            &Draft {
                record_id: correcting.then(|| record_id.to_string()),
                contact_name: contact.0,
                contact_phone: contact.1,
                note: last.note.clone().unwrap_or_default(),
            },
        )
        .await?;
        let ids: Vec<String> = last.files.iter().map(|f| f.file_id.clone()).collect();
        store::into_draft(&mut tx, &ids).await?;
        tx.commit().await?;
        self.after_write(&[Topic::Application, Topic::Records, Topic::Outbox])
            .await?;
        self.application_draft().await
    }
}
