//! 诉求协调: the appeals an enterprise files, and its follow-up messages on them.

pub(crate) mod op;

use yiqifu_protocol::NewAppeal;

use crate::error::Result;
use crate::workspace::Workspace;

impl Workspace {
    /// Files an appeal (诉求); `attachments` are local upload ids.
    pub async fn create_appeal(&self, appeal: NewAppeal) -> Result<String> {
        let fields = op::Create { appeal };
        self.create_record("appeal", &fields.appeal, &op::CREATE, &fields)
            .await
    }

    pub async fn send_appeal_message(&self, appeal: &str, body: &str) -> Result<()> {
        self.record(appeal).await?;
        let fields = op::Message {
            appeal: appeal.into(),
            body: body.into(),
        };
        self.enqueue_for(appeal, &op::MESSAGE, &fields).await
    }

    /// Sends a parked appeal again as the officer corrected it; its attachments stay.
    pub async fn revise_appeal(&self, id: &str, appeal: NewAppeal) -> Result<()> {
        self.revise(id, &op::CREATE, |item| op::revise_create(item, appeal))
            .await
    }

    /// Sends a parked message again as the officer corrected it.
    pub async fn revise_message(&self, id: &str, body: &str) -> Result<()> {
        self.revise(id, &op::MESSAGE, |item| op::revise_message(item, body))
            .await
    }
}
