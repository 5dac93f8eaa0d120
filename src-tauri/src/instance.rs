//! One app per data folder. A second launch on the same folder would open the same
//! databases beside the first; instead it asks the first to bring its window forward, and
//! ends.
//!
//! The official single-instance plugin keys on the app's identifier (a D-Bus name on
//! Linux), which is one per machine: a portable copy on its own folder, or the end-to-end
//! tests running apps side by side, would each end the other. Here the key is the folder:
//! an OS file lock (released by the OS however the process ends) says who is first, and the
//! first listens on a loopback port it writes beside the lock, where a second launch knocks.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

const LOCK: &str = "instance.lock";
const PORT: &str = "instance.port";
/// What a second launch sends, so that a stray connection to the port does nothing.
const KNOCK: &[u8] = b"yiqifu-desktop: show the window\n";

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
/// `on_knock` runs on a thread of its own each time a later launch knocks.
pub fn claim(dir: &Path, on_knock: impl Fn() + Send + 'static) -> std::io::Result<Instance> {
    std::fs::create_dir_all(dir)?;
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            knock(dir);
            return Ok(Instance::Second);
        }
        Err(TryLockError::Error(e)) => return Err(e),
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    std::fs::write(dir.join(PORT), listener.local_addr()?.port().to_string())?;
    std::thread::Builder::new()
        .name("instance-knocks".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                if heard_knock(stream) {
                    on_knock();
                }
            }
        })?;
    Ok(Instance::First(First { _lock: lock }))
}

fn heard_knock(stream: TcpStream) -> bool {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut got = Vec::new();
    let _ = stream.take(KNOCK.len() as u64).read_to_end(&mut got);
    got == KNOCK
}

/// Best effort: the first instance may be starting and not listen yet, in which case it
/// shows its window anyway.
fn knock(dir: &Path) {
    let Some(port) = std::fs::read_to_string(dir.join(PORT))
        .ok()
        .and_then(|p| p.trim().parse::<u16>().ok())
    else {
        return;
    };
    let addr = (Ipv4Addr::LOCALHOST, port).into();
    if let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
        let _ = s.write_all(KNOCK);
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
        let first = match claim(dir.path(), move || tx.send(()).unwrap()).unwrap() {
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
            claim(other.path(), || ()).unwrap(),
            Instance::First(_)
        ));

        drop(first);
        assert!(matches!(
            claim(dir.path(), || ()).unwrap(),
            Instance::First(_)
        ));
    }
}
