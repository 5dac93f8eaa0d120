//! The accept loop. It does what `axum::serve` does, plus what that cannot: a limit on how
//! long a client may take to send a request's headers, so connections that trickle bytes or
//! say nothing are closed instead of held for ever. (A stalled request body is `body_idle`'s
//! part, in the upload routes.)

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// How long a stopping service lets the requests in flight finish.
const DRAIN: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (for up to [`DRAIN`]).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_read: Duration,
    shutdown: impl Future<Output = ()>,
) {
    // Dropping `stop` tells every connection to finish its request and close; each holds a
    // `done` receiver, so `finished.closed()` completes when the last one has.
    let (stop, stopping) = watch::channel(());
    let (finished, done) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, say: wait for some to close, keep serving.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        // The peer's address: sign-in attempts are also limited per source.
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            app.clone().oneshot(req.map(Body::new))
        });
        let mut stopping = stopping.clone();
        let done = done.clone();
        tokio::spawn(async move {
            // HTTP/1 only, as the service has always spoken: hyper-util's auto-detecting
            // builder would wait for a silent client's first bytes with no timeout at all.
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_read);
            let mut conn = pin!(builder.serve_connection(TokioIo::new(stream), service));
            let mut told = false;
            loop {
                tokio::select! {
                    served = conn.as_mut() => {
                        if let Err(e) = served {
                            tracing::debug!(error = %e, %peer, "connection ended");
                        }
                        break;
                    }
                    _ = stopping.changed(), if !told => {
                        told = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(done);
        });
    }
    drop(stop);
    drop(done);
    if tokio::time::timeout(DRAIN, finished.closed())
        .await
        .is_err()
    {
        tracing::warn!("requests still running at shutdown were cut off");
    }
}
