//! Telling the officer of new inbox entries, once each.

use super::store;
use crate::error::Result;
use crate::infra::changes::InboxNotice;
use crate::workspace::Workspace;

/// Set once a workspace's inbox has been announced: the first pull after sign-in brings the
/// whole history, which is recorded silently rather than flooding the desktop.
pub(crate) const ANNOUNCED_KEY: &str = "inbox_announced";

impl Workspace {
    /// After a pull: one notice per unread entry not announced before.
    pub(crate) async fn announce_inbox(&self) -> Result<()> {
        let first = !self
            .store()
            .setting::<bool>(ANNOUNCED_KEY)
            .await?
            .unwrap_or(false);
        let told = store::notified(self.store()).await?;
        let entries = self.inbox_entries().await?;
        let fresh: Vec<_> = entries
            .iter()
            .filter(|e| !told.contains(&e.id) && (first || !e.read))
            .collect();
        if fresh.is_empty() && !first {
            return Ok(());
        }
        let mut tx = self.store().write().await?;
        for e in &fresh {
            store::set_notified(&mut tx, &e.id).await?;
        }
        crate::store::put_setting(&mut tx, ANNOUNCED_KEY, &true).await?;
        tx.commit().await?;
        if first {
            return Ok(());
        }
        let name = self.profile().name;
        // Oldest first, as they happened.
        for e in fresh.into_iter().rev() {
            // Nobody listening (tests, the sync client) is fine.
            let _ = self.shared().inbox_notices.send(InboxNotice {
                enterprise: self.id().into(),
                entry_id: e.id.clone(),
                kind: e.kind,
                title: e.title.clone(),
                body: e.body.clone(),
                enterprise_name: name.clone(),
            });
        }
        Ok(())
    }
}
