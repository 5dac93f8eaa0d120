//! 复工意向: the resume-work application and the material files it carries.

pub(crate) mod op;

use yiqifu_protocol::NewApplication;

use crate::error::Result;
use crate::workspace::Workspace;

impl Workspace {
    /// Submits an application; material and evidence upload ids are local ids.
    pub async fn submit_application(&self, application: NewApplication) -> Result<String> {
        let fields = op::Submit { application };
        self.create_record("application", &fields.application, &op::SUBMIT, &fields)
            .await
    }

    /// Sends a parked application again as the officer corrected it; its self-check answers
    /// and materials stay as they were.
    pub async fn revise_application(&self, id: &str, application: NewApplication) -> Result<()> {
        self.revise(id, &op::SUBMIT, |item| op::revise(item, application))
            .await
    }
}
