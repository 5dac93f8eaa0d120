//! One app per data folder. A second launch on the same folder would open the same
//! databases beside the first; instead it asks the first to bring its window forward, and
//! ends.
//!
//! The official single-instance plugin keys on the app's identifier (a D-Bus name on
//! Linux), which is one per machine: a portable copy on its own folder, or the end-to-end
//! tests running apps side by side, would each end the other. Here the key is the folder:
//! an OS file lock (released by the OS however the process ends) says who is first, and the
//! first listens on a loopback port it writes beside the lock, where a second launch knocks.
//! The first answers once its window is in front; one that does not answer is on its way out
//! (its window closed, or killed), and the second waits for the lock and goes on as first.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

const LOCK: &str = "instance.lock";
const PORT: &str = "instance.port";
/// What a second launch sends, so that a stray connection to the port does nothing.
const KNOCK: &[u8] = b"yiqifu-desktop: show the window\n";
/// The first instance's answer once its window is in front.
const SHOWN: &[u8] = b"shown\n";
/// How long a second launch waits for a first one that did not answer to let go.
const LET_GO: Duration = Duration::from_secs(20);

/// How long a knock waits for a window still being made: less than the knocking launch
/// waits for its answer (5 s, in `knock`), so that it hears one.
const WINDOW_MADE: Duration = Duration::from_secs(4);

/// The window a knock brings forward, once there is one: the folder is taken before the
/// window system starts, so a knock can come while the window is still being made.
pub struct Knocks<W = tauri::AppHandle> {
    window: Mutex<Option<W>>,
    made: Condvar,
}

impl<W> Default for Knocks<W> {
    fn default() -> Self {
        Self {
            window: Mutex::new(None),
            made: Condvar::new(),
        }
    }
}

impl<W: Clone> Knocks<W> {
    pub fn window_made(&self, window: &W) {
        *self.window.lock().unwrap_or_else(PoisonError::into_inner) = Some(window.clone());
        self.made.notify_all();
    }

    /// Brings the window forward with `bring`, once it is made (waiting a few seconds for
    /// it); whether it is now in front.
    pub fn answer(&self, bring: impl FnOnce(&W) -> bool) -> bool {
        self.answer_within(WINDOW_MADE, bring)
    }

    fn answer_within(&self, limit: Duration, bring: impl FnOnce(&W) -> bool) -> bool {
        let window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let (window, _) = self
            .made
            .wait_timeout_while(window, limit, |w| w.is_none())
            .unwrap_or_else(PoisonError::into_inner);
        // Not held while bringing it forward, which waits on the event loop.
        let Some(window) = window.clone() else {
            return false;
        };
        bring(&window)
    }
}

/// Held by the first instance for as long as it runs: dropping it lets the next one in.
pub struct First {
    _lock: File,
}

pub enum Instance {
    First(First),
    /// Another instance has this folder; it was asked to show its window.
    Second,
}

/// Takes the folder for this process, or, when another holds it, knocks there.
/// `on_knock` runs on a thread of its own each time a later launch knocks, and says whether
/// the window is now in front.
pub fn claim(
    dir: &Path,
    on_knock: impl Fn() -> bool + Send + 'static,
) -> std::io::Result<Instance> {
    std::fs::create_dir_all(dir)?;
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            if knock(dir) {
                return Ok(Instance::Second);
            }
            wait_for(&lock, LET_GO)?;
        }
        Err(TryLockError::Error(e)) => return Err(e),
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    std::fs::write(dir.join(PORT), listener.local_addr()?.port().to_string())?;
    std::thread::Builder::new()
        .name("instance-knocks".into())
        .spawn(move || {
            for mut stream in listener.incoming().flatten() {
                if heard_knock(&stream) && on_knock() {
                    let _ = stream.write_all(SHOWN);
                }
            }
        })?;
    Ok(Instance::First(First { _lock: lock }))
}

fn heard_knock(stream: &TcpStream) -> bool {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut got = Vec::new();
    let _ = stream.take(KNOCK.len() as u64).read_to_end(&mut got);
    got == KNOCK
}

/// Whether the first instance answered that its window is in front.
fn knock(dir: &Path) -> bool {
    let Some(port) = std::fs::read_to_string(dir.join(PORT))
        .ok()
        .and_then(|p| p.trim().parse::<u16>().ok())
    else {
        return false;
    };
    let addr = (Ipv4Addr::LOCALHOST, port).into();
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return false;
    };
    if s.write_all(KNOCK).is_err() {
        return false;
    }
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let mut got = Vec::new();
    let _ = (&mut s).take(SHOWN.len() as u64).read_to_end(&mut got);
    got == SHOWN
}

/// Another instance holds the folder and did not let go in time: the officer is told to
/// close it, not to look at the disk.
#[derive(Debug)]
pub struct HeldByAnother;

impl std::fmt::Display for HeldByAnother {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("another instance holds the data folder and does not answer")
    }
}

impl std::error::Error for HeldByAnother {}

/// Whether `e` says another instance holds the folder.
pub fn held_by_another(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<HeldByAnother>())
}

/// Takes the lock once the instance holding it lets go (it is ending), or gives up after
/// `limit`.
fn wait_for(lock: &File, limit: Duration) -> std::io::Result<()> {
    let started = std::time::Instant::now();
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(()),
            Err(TryLockError::WouldBlock) if started.elapsed() < limit => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::ResourceBusy,
                    HeldByAnother,
                ))
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_second_claim_on_a_folder_knocks_on_the_first_and_the_folder_frees_when_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, rx) = mpsc::channel();
        let first = match claim(dir.path(), move || tx.send(()).is_ok()).unwrap() {
            Instance::First(f) => f,
            Instance::Second => panic!("an empty folder has no first instance"),
        };
        assert!(matches!(
            claim(dir.path(), || panic!(
                "a second instance is never knocked on"
            ))
            .unwrap(),
            Instance::Second
        ));
        rx.recv_timeout(Duration::from_secs(10))
            .expect("the first instance heard the second launch");
        // A stray connection to the port is not a knock.
        let port: u16 = std::fs::read_to_string(dir.path().join(PORT))
            .unwrap()
            .parse()
            .unwrap();
        let mut stray = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        stray.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        drop(stray);
        assert!(rx.recv_timeout(Duration::from_millis(500)).is_err());

        // Another folder is another app.
        let other = tempfile::tempdir().unwrap();
        assert!(matches!(
            claim(other.path(), || true).unwrap(),
            Instance::First(_)
        ));

        drop(first);
        assert!(matches!(
            claim(dir.path(), || true).unwrap(),
            Instance::First(_)
        ));
    }

    /// A first instance that does not answer (its window is gone: it is ending) is waited
    /// for, and the second goes on as first once it lets go.
    #[test]
    fn a_first_instance_on_its_way_out_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let Instance::First(first) = claim(dir.path(), || false).unwrap() else {
            panic!("an empty folder has no first instance");
        };
        let ends = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(700));
            drop(first);
        });
        let started = std::time::Instant::now();
        let second = claim(dir.path(), || true).unwrap();
        assert!(matches!(second, Instance::First(_)), "went on as first");
        assert!(
            started.elapsed() >= Duration::from_millis(600),
            "after it let go"
        );
        ends.join().unwrap();
    }

    /// The folder is taken before the window is made: a launch that knocks meanwhile is
    /// answered once it is, not sent to wait for a folder that will not be let go.
    #[test]
    fn a_knock_before_the_window_is_made_is_answered_once_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let knocks = std::sync::Arc::new(Knocks::<&'static str>::default());
        let (tx, rx) = mpsc::channel();
        let heard = knocks.clone();
        let Instance::First(_first) = claim(dir.path(), move || {
            let tx = tx.clone();
            heard.answer(move |w| tx.send(*w).is_ok())
        })
        .unwrap() else {
            panic!("an empty folder has no first instance");
        };
        let made = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(500));
            knocks.window_made(&"main");
        });
        let started = std::time::Instant::now();
        assert!(matches!(
            claim(dir.path(), || panic!(
                "a second instance is never knocked on"
            ))
            .unwrap(),
            Instance::Second
        ));
        assert_eq!(rx.recv_timeout(Duration::from_secs(1)), Ok("main"));
        assert!(
            started.elapsed() >= Duration::from_millis(400),
            "answered after the window was made"
        );
        made.join().unwrap();

        // A window that is never made (the start failed) is not waited for without end.
        let none = Knocks::<&'static str>::default();
        assert!(!none.answer_within(Duration::from_millis(200), |_| true));
    }

    /// One that never lets go is given up on, with an error that says so.
    #[test]
    fn a_first_instance_that_never_lets_go_is_given_up_on() {
        let dir = tempfile::tempdir().unwrap();
        let Instance::First(_first) = claim(dir.path(), || false).unwrap() else {
            panic!("an empty folder has no first instance");
        };
        let lock = OpenOptions::new()
            .write(true)
            .open(dir.path().join(LOCK))
            .unwrap();
        let e = wait_for(&lock, Duration::from_millis(300)).unwrap_err();
        assert!(held_by_another(&e), "{e}");
        assert!(!held_by_another(&std::io::Error::other("x")));
    }
}
