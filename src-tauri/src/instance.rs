//! One app per data folder. A second launch on the same folder would open the same
//! databases beside the first; instead it asks the first to bring its window forward, and
//! ends.
//!
//! The official single-instance plugin keys on the app's identifier (a D-Bus name on
//! Linux), which is one per machine: a portable copy on its own folder, or the end-to-end
//! tests running apps side by side, would each end the other. Here the key is the folder:
//! an OS file lock (released by the OS however the process ends) says who is first, and the
//! first listens on a loopback port it writes beside the lock, where a second launch knocks.
//! The first answers once its window is in front, or that it is still starting (its window
//! not made yet: it shows by itself); one that does not answer is on its way out (its window
//! closed, or killed), and the second waits for the lock and goes on as first.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

const LOCK: &str = "instance.lock";
const PORT: &str = "instance.port";
/// What a second launch sends, so that a stray connection to the port does nothing.
const KNOCK: &[u8] = b"yiqifu-desktop: show the window\n";
/// The first instance's answer once its window is in front.
const SHOWN: &[u8] = b"shown\n";
/// How long a second launch waits for a first one that did not answer to let go.
const LET_GO: Duration = Duration::from_secs(20);

/// The first instance's answer while its window is still being made: it comes by itself.
const STARTING: &[u8] = b"starting\n";

/// What the first instance answers a knock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Its window is now in front.
    Shown,
    /// It is still starting: its window is not made yet, and will show by itself.
    Starting,
    /// Nothing: it is on its way out (its window closed), and the folder soon free.
    Silent,
}

/// The window a knock brings forward, once there is one: the folder is taken before the
/// window system starts, so a knock can come while the first instance is still starting.
pub struct Knocks<W = tauri::AppHandle> {
    window: OnceLock<W>,
}

impl<W> Default for Knocks<W> {
    fn default() -> Self {
        Self {
            window: OnceLock::new(),
        }
    }
}

impl<W: Clone> Knocks<W> {
    pub fn window_made(&self, window: &W) {
        let _ = self.window.set(window.clone());
    }

    /// Brings the window forward with `bring` (which says whether it is now in front), or
    /// says the app is starting when there is no window yet.
    pub fn answer(&self, bring: impl FnOnce(&W) -> bool) -> Answer {
        match self.window.get() {
            None => Answer::Starting,
            Some(window) if bring(window) => Answer::Shown,
            Some(_) => Answer::Silent,
        }
    }
}

/// Held by the first instance for as long as it runs: dropping it lets the next one in.
pub struct First {
    _lock: File,
}

pub enum Instance {
    First(First),
    /// Another instance has this folder and was asked to show its window: it is in front
    /// (`starting: false`), or will show once made.
    Second {
        starting: bool,
    },
}

/// Takes the folder for this process, or, when another holds it, knocks there.
/// `on_knock` runs on a thread of its own each time a later launch knocks, and gives the
/// answer.
pub fn claim(
    dir: &Path,
    on_knock: impl Fn() -> Answer + Send + 'static,
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
            match knock(dir) {
                Answer::Shown => return Ok(Instance::Second { starting: false }),
                Answer::Starting => return Ok(Instance::Second { starting: true }),
                Answer::Silent => {}
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
                if !heard_knock(&stream) {
                    continue;
                }
                let said = match on_knock() {
                    Answer::Shown => SHOWN,
                    Answer::Starting => STARTING,
                    Answer::Silent => continue,
                };
                let _ = stream.write_all(said);
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

/// What the first instance answered; silence when it did not, or there is none.
fn knock(dir: &Path) -> Answer {
    let Some(port) = std::fs::read_to_string(dir.join(PORT))
        .ok()
        .and_then(|p| p.trim().parse::<u16>().ok())
    else {
        return Answer::Silent;
    };
    let addr = (Ipv4Addr::LOCALHOST, port).into();
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return Answer::Silent;
    };
    if s.write_all(KNOCK).is_err() {
        return Answer::Silent;
    }
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let mut got = Vec::new();
    // The first instance closes the connection after its answer.
    let _ = (&mut s).take(64).read_to_end(&mut got);
    match got.as_slice() {
        SHOWN => Answer::Shown,
        STARTING => Answer::Starting,
        _ => Answer::Silent,
    }
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
        let first = match claim(dir.path(), move || {
            let _ = tx.send(());
            Answer::Shown
        })
        .unwrap()
        {
            Instance::First(f) => f,
            Instance::Second { .. } => panic!("an empty folder has no first instance"),
        };
        assert!(matches!(
            claim(dir.path(), || panic!(
                "a second instance is never knocked on"
            ))
            .unwrap(),
            Instance::Second { starting: false }
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
            claim(other.path(), || Answer::Shown).unwrap(),
            Instance::First(_)
        ));

        drop(first);
        assert!(matches!(
            claim(dir.path(), || Answer::Shown).unwrap(),
            Instance::First(_)
        ));
    }

    /// A first instance that does not answer (its window is gone: it is ending) is waited
    /// for, and the second goes on as first once it lets go.
    #[test]
    fn a_first_instance_on_its_way_out_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let Instance::First(first) = claim(dir.path(), || Answer::Silent).unwrap() else {
            panic!("an empty folder has no first instance");
        };
        let ends = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(700));
            drop(first);
        });
        let started = std::time::Instant::now();
        let second = claim(dir.path(), || Answer::Shown).unwrap();
        assert!(matches!(second, Instance::First(_)), "went on as first");
        assert!(
            started.elapsed() >= Duration::from_millis(600),
            "after it let go"
        );
        ends.join().unwrap();
    }

    /// The folder is taken before the window is made: a launch that knocks meanwhile is told
    /// the app is starting (its window will show by itself) and ends, rather than waiting
    /// for a folder that will not be let go. Once made, the window is brought forward.
    #[test]
    fn a_knock_before_the_window_is_made_hears_that_the_app_is_starting() {
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
        let second = || {
            claim(dir.path(), || {
                panic!("a second instance is never knocked on")
            })
        };
        assert!(matches!(
            second().unwrap(),
            Instance::Second { starting: true }
        ));
        assert!(rx.try_recv().is_err(), "no window to bring forward yet");
        knocks.window_made(&"main");
        assert!(matches!(
            second().unwrap(),
            Instance::Second { starting: false }
        ));
        assert_eq!(rx.recv_timeout(Duration::from_secs(1)), Ok("main"));
    }

    /// One that never lets go is given up on, with an error that says so.
    #[test]
    fn a_first_instance_that_never_lets_go_is_given_up_on() {
        let dir = tempfile::tempdir().unwrap();
        let Instance::First(_first) = claim(dir.path(), || Answer::Silent).unwrap() else {
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
