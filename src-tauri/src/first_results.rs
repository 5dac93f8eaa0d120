//! The library's first results, begun as the process starts: the main page's first search
//! then runs while WebKit starts and the page's code loads, and the page's frame, asking for
//! it, finds it done, in one call. Asked for only by the frame, it used to take two calls, one
//! behind the other (the enterprise's applicability, then the search), ~130 ms on 20,000
//! policies after the frame was drawn (docs/benchmarks.md).

use std::future::Future;
use std::sync::Mutex;

use tauri::async_runtime::JoinHandle;
use yiqifu_core::catalog::search::FirstResults;
use yiqifu_protocol::DocumentKind;

/// What a page's first results are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Opening {
    pub enterprise: Option<String>,
    pub kind: DocumentKind,
    /// The catalog's size when they were begun: a sync that changed it makes them stale.
    pub document_count: u32,
}

type Begun = (Opening, JoinHandle<yiqifu_core::Result<FirstResults>>);

/// First results begun before any page asked, for the first page that does.
#[derive(Default)]
pub(crate) struct Prefetched(Mutex<Option<Begun>>);

impl Prefetched {
    /// Begins `work`, the first results of `opening`.
    pub fn begin(
        &self,
        opening: Opening,
        work: impl Future<Output = yiqifu_core::Result<FirstResults>> + Send + 'static,
    ) {
        let task = tauri::async_runtime::spawn(work);
        if let Some((_, earlier)) = self.lock().replace((opening, task)) {
            earlier.abort();
        }
    }

    /// The results begun for `opening`, once: only the first page that asks is given them.
    /// Results begun for another opening (another page, enterprise or catalog) are dropped.
    pub fn take(&self, opening: &Opening) -> Option<JoinHandle<yiqifu_core::Result<FirstResults>>> {
        let (begun_for, task) = self.lock().take()?;
        if &begun_for == opening {
            return Some(task);
        }
        tracing::info!(?begun_for, asked = ?opening, "first results begun for another opening");
        task.abort();
        None
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Begun>> {
        // Only an `Option` swapped whole lives here: a panic elsewhere cannot leave it half
        // written.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yiqifu_core::catalog::search::SearchPage;

    fn opening(enterprise: &str, kind: DocumentKind, document_count: u32) -> Opening {
        Opening {
            enterprise: Some(enterprise.into()),
            kind,
            document_count,
        }
    }

    fn results(total: u32) -> FirstResults {
        FirstResults {
            mine: None,
            page: SearchPage {
                total,
                hits: vec![],
                words: vec![],
            },
        }
    }

    #[test]
    fn are_given_once_and_only_for_what_they_were_begun_for() {
        tauri::async_runtime::block_on(async {
            let prefetched = Prefetched::default();
            let policy = opening("e1", DocumentKind::Policy, 64);
            prefetched.begin(policy.clone(), async { Ok(results(7)) });
            let task = prefetched.take(&policy).expect("begun for this opening");
            assert_eq!(task.await.unwrap().unwrap().page.total, 7);
            // Taken: a page opened later asks for its own.
            assert!(prefetched.take(&policy).is_none());

            for other in [
                opening("e1", DocumentKind::Guidance, 64),
                opening("e2", DocumentKind::Policy, 64),
                // A sync changed the catalog since.
                opening("e1", DocumentKind::Policy, 65),
            ] {
                prefetched.begin(policy.clone(), async { Ok(results(7)) });
                assert!(prefetched.take(&other).is_none(), "{other:?}");
                // Dropped, not kept for a later question.
                assert!(prefetched.take(&policy).is_none(), "{other:?}");
            }
        });
    }

    #[test]
    fn work_begun_again_or_for_another_opening_is_stopped() {
        tauri::async_runtime::block_on(async {
            let prefetched = Prefetched::default();
            let policy = opening("e1", DocumentKind::Policy, 64);
            // Work that is never answered: a search still running.
            let running = |prefetched: &Prefetched| {
                let (tx, rx) = tokio::sync::oneshot::channel::<()>();
                prefetched.begin(policy.clone(), async move {
                    let _ = rx.await;
                    Ok(results(1))
                });
                tx
            };
            let stopped = |mut tx: tokio::sync::oneshot::Sender<()>| async move {
                // Its end of the channel goes with the stopped work.
                tokio::time::timeout(std::time::Duration::from_secs(10), tx.closed())
                    .await
                    .expect("the work is stopped");
            };

            let first = running(&prefetched);
            prefetched.begin(policy.clone(), async { Ok(results(2)) });
            stopped(first).await;
            let task = prefetched.take(&policy).expect("begun again");
            assert_eq!(task.await.unwrap().unwrap().page.total, 2);

            let unwanted = running(&prefetched);
            assert!(prefetched
                .take(&opening("e1", DocumentKind::Guidance, 64))
                .is_none());
            stopped(unwanted).await;
        });
    }
}
