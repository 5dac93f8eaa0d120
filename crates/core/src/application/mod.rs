//! 复工意向: the resume-work application and the material files it carries.

pub(crate) mod op;

use yiqifu_protocol::NewApplication;

use crate::error::Result;
use crate::workspace::Workspace;

impl Workspace {
    /// Submits an application; material upload ids are local ids. It carries the passing
    /// self-check on the current template version, whatever `application.selfcheck` says;
    /// without one it is refused and nothing is queued.
    pub async fn submit_application(&self, mut application: NewApplication) -> Result<String> {
        application.selfcheck = self.passing_submission().await?;
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
