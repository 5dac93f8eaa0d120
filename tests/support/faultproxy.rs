//! A TCP proxy between the client and a real `yiqifu-central` that misbehaves on purpose:
//! it drops connections, delays them, answers 500 and 502 itself, cuts responses short and
//! resets requests (uploads) mid-stream.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// Every connection rolls its faults from its own seed: no shared state.
use crate::xorshift as next;

#[derive(Default)]
pub struct Counts {
    pub connections: AtomicU64,
    pub faults: AtomicU64,
    /// Requests that went to the service and wait for its answer right now:
    /// a client killed while this is above zero is killed mid-request.
    pub in_flight: AtomicU64,
    /// Bytes passed from clients to the service, requests and bodies.
    pub bytes_up: AtomicU64,
}

pub struct FaultProxy {
    pub addr: SocketAddr,
    rate: Arc<AtomicU32>,
    pub counts: Arc<Counts>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultProxy {
    pub async fn start(upstream: SocketAddr, seed: u64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let rate = Arc::new(AtomicU32::new(0));
        let counts = Arc::new(Counts::default());
        let (r, c) = (rate.clone(), counts.clone());
        let task = tokio::spawn(async move {
            let mut n: u64 = seed | 1;
            while let Ok((client, _)) = listener.accept().await {
                let mut rng = next(&mut n) ^ seed.rotate_left(17) | 1;
                let pct = r.load(Ordering::Relaxed);
                c.connections.fetch_add(1, Ordering::Relaxed);
                let faulty = next(&mut rng) % 100 < u64::from(pct);
                if faulty {
                    c.faults.fetch_add(1, Ordering::Relaxed);
                }
                tokio::spawn(handle(client, upstream, faulty, rng, c.clone()));
            }
        });
        Self {
            addr,
            rate,
            counts,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Percentage of connections that get a fault.
    pub fn set_rate(&self, pct: u32) {
        self.rate.store(pct, Ordering::Relaxed);
    }
}

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    faulty: bool,
    mut rng: u64,
    counts: Arc<Counts>,
) {
    if faulty {
        match next(&mut rng) % 6 {
            // Dropped at once.
            0 => return,
            // Slow, then fine.
            1 => tokio::time::sleep(Duration::from_millis(50 + next(&mut rng) % 400)).await,
            // The proxy answers an error itself; the request never arrives.
            2 | 3 => {
                let mut buf = [0u8; 1024];
                let _ =
                    tokio::time::timeout(Duration::from_millis(50), client.read(&mut buf)).await;
                let status = if next(&mut rng).is_multiple_of(2) {
                    "500 Internal Server Error"
                } else {
                    "502 Bad Gateway"
                };
                let _ = client
                    .write_all(
                        format!(
                            "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                        )
                        .as_bytes(),
                    )
                    .await;
                return;
            }
            // The request arrives whole, the answer is cut short: the service did the work.
            4 => {
                let cut = 1 + next(&mut rng) % 300;
                return pipe(client, upstream, None, Some(cut), counts).await;
            }
            // The request is cut off mid-stream (an upload reset half-way).
            _ => {
                let cut = 64 + next(&mut rng) % 200_000;
                return pipe(client, upstream, Some(cut), None, counts).await;
            }
        }
    }
    pipe(client, upstream, None, None, counts).await;
}

/// Counts a connection in `in_flight` while its request waits for the answer, and stops
/// counting it however the connection ends.
struct InFlight {
    waiting: std::sync::atomic::AtomicBool,
    counts: Arc<Counts>,
}

impl InFlight {
    fn set(&self, waiting: bool) {
        if self.waiting.swap(waiting, Ordering::Relaxed) != waiting {
            if waiting {
                self.counts.in_flight.fetch_add(1, Ordering::Relaxed);
            } else {
                self.counts.in_flight.fetch_sub(1, Ordering::Relaxed);
            }
        }
    }

    fn waiting(&self) -> bool {
        self.waiting.load(Ordering::Relaxed)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.set(false);
    }
}

/// A connection quiet for this long after an answer is closed, as servers close idle
/// keep-alive connections: the client's next request opens a new one, which gets its own
/// dice roll. (While a request waits for its answer the connection is not idle.)
const IDLE_CLOSE: Duration = Duration::from_millis(40);

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Copies both ways, each direction optionally stopping after a number of bytes.
async fn pipe(
    client: TcpStream,
    upstream: SocketAddr,
    up_limit: Option<u64>,
    down_limit: Option<u64>,
    counts: Arc<Counts>,
) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let last = Arc::new(AtomicU64::new(now_ms()));
    let (last_up, last_down, last_idle) = (last.clone(), last.clone(), last);
    let counted = counts.clone();
    // Whether the last bytes went to the service (a request waits for its answer).
    let waiting = Arc::new(InFlight {
        waiting: std::sync::atomic::AtomicBool::new(false),
        counts,
    });
    let (waiting_up, waiting_down, waiting_idle) = (waiting.clone(), waiting.clone(), waiting);
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let up = async move {
        let mut sent = 0u64;
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n) = cr.read(&mut buf).await {
            if n == 0 {
                break;
            }
            let n = match up_limit {
                Some(l) if sent + n as u64 >= l => (l - sent) as usize,
                _ => n,
            };
            if sw.write_all(&buf[..n]).await.is_err() {
                break;
            }
            last_up.store(now_ms(), Ordering::Relaxed);
            counted.bytes_up.fetch_add(n as u64, Ordering::Relaxed);
            waiting_up.set(true);
            sent += n as u64;
            if up_limit.is_some_and(|l| sent >= l) {
                break;
            }
        }
    };
    let down = async move {
        let mut sent = 0u64;
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n) = sr.read(&mut buf).await {
            if n == 0 {
                break;
            }
            let n = match down_limit {
                Some(l) if sent + n as u64 >= l => (l - sent) as usize,
                _ => n,
            };
            if cw.write_all(&buf[..n]).await.is_err() {
                break;
            }
            last_down.store(now_ms(), Ordering::Relaxed);
            waiting_down.set(false);
            sent += n as u64;
            if down_limit.is_some_and(|l| sent >= l) {
                break;
            }
        }
    };
    let idle = async move {
        loop {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let quiet = now_ms().saturating_sub(last_idle.load(Ordering::Relaxed));
            if !waiting_idle.waiting() && quiet > IDLE_CLOSE.as_millis() as u64 {
                break;
            }
        }
    };
    // Whichever side ends (or hits its cut, or goes quiet) ends the connection.
    tokio::select! {
        _ = up => {}
        _ = down => {}
        _ = idle => {}
    }
}
