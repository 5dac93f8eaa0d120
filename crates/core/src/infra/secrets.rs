//! Session tokens in the OS keychain (Windows Credential Manager, macOS Keychain, Linux
//! kernel keyutils); never in SQLite, logs or the webview.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const SERVICE: &str = "yiqifu-desktop";

/// What is stored per account; kept small because Windows caps a credential at 2,560 bytes.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    #[serde(rename = "a")]
    pub access: String,
    #[serde(rename = "r")]
    pub refresh: String,
    /// RFC 3339 expiry of the access token.
    #[serde(rename = "e")]
    pub access_expires_at: String,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens(<redacted>)")
    }
}

#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Default for Keychain {
    fn default() -> Self {
        Self::new(SERVICE)
    }
}

fn keychain_error(e: keyring::Error) -> Error {
    Error::Keychain(e.to_string())
}

impl Keychain {
    /// `service` names the keychain entries; tests use their own so they never touch the app's.
    pub fn new(service: &str) -> Self {
        Self {
            service: service.to_string(),
        }
    }

    /// The stores to use, best first: on Linux the Secret Service (persists across reboots)
    /// and then the kernel keyutils session keyring (always there, even headless); elsewhere
    /// the platform's one keychain.
    fn entries(&self, account: &str) -> Result<Vec<keyring::Entry>> {
        #[cfg(target_os = "linux")]
        {
            let mut out = Vec::new();
            if let Ok(c) =
                keyring::secret_service::SsCredential::new_with_target(None, &self.service, account)
            {
                out.push(keyring::Entry::new_with_credential(Box::new(c)));
            }
            // A process without a usable session keyring cannot even name a keyutils entry;
            // that must not hide a working Secret Service.
            match keyutils_entry(&self.service, account) {
                Ok(k) => out.push(k),
                Err(e) if out.is_empty() => return Err(e),
                Err(_) => {}
            }
            Ok(out)
        }
        #[cfg(not(target_os = "linux"))]
        {
            Ok(vec![
                keyring::Entry::new(&self.service, account).map_err(keychain_error)?
            ])
        }
    }

    /// Stores in the first store that takes it; a store that cannot be reached (no Secret
    /// Service on a headless machine) passes to the next.
    pub fn store(&self, account: &str, tokens: &Tokens) -> Result<()> {
        let json = serde_json::to_string(tokens)?;
        let mut last = None;
        for e in self.entries(account)? {
            match e.set_password(&json) {
                Ok(()) => return Ok(()),
                Err(err) => last = Some(err),
            }
        }
        Err(last
            .map(keychain_error)
            .unwrap_or_else(|| Error::Keychain("no keychain".into())))
    }

    pub fn load(&self, account: &str) -> Result<Option<Tokens>> {
        let mut failed = None;
        let mut reached = false;
        for e in self.entries(account)? {
            match e.get_password() {
                Ok(json) => return Ok(serde_json::from_str(&json).ok()),
                Err(keyring::Error::NoEntry) => reached = true,
                Err(err) => failed = Some(err),
            }
        }
        // Nothing stored anywhere reachable: signed out, unless no store could be read.
        match failed {
            Some(err) if !reached => Err(keychain_error(err)),
            _ => Ok(None),
        }
    }

    /// Wipes the tokens from every store.
    pub fn delete(&self, account: &str) -> Result<()> {
        let mut failed = None;
        let mut reached = false;
        for e in self.entries(account)? {
            match e.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => reached = true,
                Err(err) => failed = Some(err),
            }
        }
        match failed {
            Some(err) if !reached => Err(keychain_error(err)),
            _ => Ok(()),
        }
    }

    /// Where tokens would go first now, for tests and support: "secret-service", "keyutils"
    /// or "platform".
    pub fn backend_in_use(&self, account: &str) -> Result<&'static str> {
        #[cfg(target_os = "linux")]
        {
            let probe = format!("{account}#probe");
            let entries = self.entries(&probe)?;
            let secret_service = entries.first().is_some_and(|e| {
                e.get_credential()
                    .is::<keyring::secret_service::SsCredential>()
            });
            if secret_service && entries[0].set_password("probe").is_ok() {
                let _ = entries[0].delete_credential();
                return Ok("secret-service");
            }
            Ok("keyutils")
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = account;
            Ok("platform")
        }
    }
}

/// An entry in the kernel's session keyring, as seen from any thread of this process.
#[cfg(target_os = "linux")]
fn keyutils_entry(service: &str, account: &str) -> Result<keyring::Entry> {
    // A keyring is joined per thread: a thread started before the process joined one (a
    // runtime's workers, in tests) would otherwise read and write another keyring, and find
    // nothing of what the others stored.
    join_session_keyring(false).map_err(|e| Error::Keychain(format!("no session keyring: {e}")))?;
    keyring::keyutils::KeyutilsCredential::new_with_target(None, service, account)
        .map(|k| keyring::Entry::new_with_credential(Box::new(k)))
        .map_err(keychain_error)
}

/// Linux's keyutils store keeps entries in the session keyring. A process started outside a
/// login session (a service, a CI job, a test run) has none, and writes then fail; this gives
/// such a process a session keyring that its children share. It does nothing when a session
/// keyring already exists.
///
/// The keyring is named after the process and joined by name, because Linux keeps the
/// session keyring per thread: every thread of the process that calls this, whenever it
/// was started, joins the same one.
#[cfg(target_os = "linux")]
pub fn ensure_session_keyring() -> std::io::Result<()> {
    join_session_keyring(true)
}

/// Joins the process's named session keyring when this thread has none of its own (it is
/// handed the user-session keyring, which keyutils' store cannot use), and, if
/// `when_unusable`, also when its keyring cannot be read (revoked or expired). The keychain
/// passes `false`: a keyring taken away while the app runs is a keychain gone, and sign-in
/// says so rather than keep tokens somewhere new.
#[cfg(target_os = "linux")]
fn join_session_keyring(when_unusable: bool) -> std::io::Result<()> {
    const KEYCTL_GET_KEYRING_ID: libc::c_long = 0;
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    const KEY_SPEC_SESSION_KEYRING: libc::c_long = -3;
    const KEY_SPEC_USER_SESSION_KEYRING: libc::c_long = -5;
    let keyring_id = |spec: libc::c_long| {
        // SAFETY: KEYCTL_GET_KEYRING_ID takes only integer arguments.
        unsafe {
            libc::syscall(
                libc::SYS_keyctl,
                KEYCTL_GET_KEYRING_ID,
                spec,
                0 as libc::c_long,
            )
        }
    };
    let session = keyring_id(KEY_SPEC_SESSION_KEYRING);
    let none_of_its_own = session >= 0 && session == keyring_id(KEY_SPEC_USER_SESSION_KEYRING);
    if !none_of_its_own && (session >= 0 || !when_unusable) {
        return Ok(());
    }
    let name = std::ffi::CString::new(format!("yiqifu-desktop.{}", std::process::id()))
        .map_err(std::io::Error::other)?;
    // SAFETY: the name is a NUL-terminated string that outlives the call; the kernel joins
    // the keyring of that name, or creates it.
    let joined =
        unsafe { libc::syscall(libc::SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name.as_ptr()) };
    if joined < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
pub fn ensure_session_keyring() -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Runs against the real platform keychain, not a mock.
    #[test]
    fn stores_loads_and_deletes_tokens_in_the_os_keychain() {
        ensure_session_keyring().unwrap();
        let kc = Keychain::new(&format!("yiqifu-test-{}", std::process::id()));
        let account = "demo/91310115MA1K4C7P2X";
        assert_eq!(kc.load(account).unwrap(), None);
        let t = Tokens {
            access: "a".repeat(43),
            refresh: "r".repeat(43),
            access_expires_at: "2026-11-27T12:00:00Z".into(),
        };
        kc.store(account, &t).unwrap();
        assert_eq!(kc.load(account).unwrap(), Some(t.clone()));
        // The stored form stays far under Windows' 2,560-byte cap.
        assert!(serde_json::to_string(&t).unwrap().len() < 200);
        kc.delete(account).unwrap();
        assert_eq!(kc.load(account).unwrap(), None);
        kc.delete(account).unwrap();
    }

    /// A thread started before the process joined its session keyring (as a test's runtime
    /// starts its workers) reads what another thread stored, and the other way round.
    #[cfg(target_os = "linux")]
    #[test]
    fn every_thread_reaches_the_keyring_the_process_joined() {
        let service = format!("yiqifu-test-threads-{}", std::process::id());
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let (back, done) = std::sync::mpsc::channel::<Option<String>>();
        let early = {
            let service = service.clone();
            std::thread::spawn(move || {
                wait.recv().unwrap();
                let seen = keyutils_entry(&service, "first")
                    .unwrap()
                    .get_password()
                    .ok();
                keyutils_entry(&service, "second")
                    .unwrap()
                    .set_password("from the early thread")
                    .unwrap();
                back.send(seen).unwrap();
            })
        };
        ensure_session_keyring().unwrap();
        keyutils_entry(&service, "first")
            .unwrap()
            .set_password("from the test thread")
            .unwrap();
        go.send(()).unwrap();
        let seen = done.recv().unwrap();
        early.join().unwrap();
        assert_eq!(seen.as_deref(), Some("from the test thread"));
        let second = keyutils_entry(&service, "second").unwrap();
        assert_eq!(second.get_password().unwrap(), "from the early thread");
        for account in ["first", "second"] {
            keyutils_entry(&service, account)
                .unwrap()
                .delete_credential()
                .unwrap();
        }
    }

    /// The Secret Service for real: a private D-Bus session with an unlocked GNOME Keyring
    /// in a throwaway home. The test runs itself again inside that session.
    #[cfg(target_os = "linux")]
    #[test]
    fn tokens_go_to_the_secret_service_when_one_is_running() {
        let kc = Keychain::new(&format!("yiqifu-test-ss-{}", std::process::id()));
        let account = "demo/91310117MA1J5LQ06F";
        if std::env::var_os("YIQIFU_SS_CHILD").is_some() {
            assert_eq!(kc.backend_in_use(account).unwrap(), "secret-service");
            let t = Tokens {
                access: "access-ss".into(),
                refresh: "refresh-ss".into(),
                access_expires_at: "2026-11-27T12:00:00Z".into(),
            };
            kc.store(account, &t).unwrap();
            assert_eq!(kc.load(account).unwrap(), Some(t));
            // It went to the Secret Service, not to the kernel keyring.
            let k =
                keyring::keyutils::KeyutilsCredential::new_with_target(None, &kc.service, account)
                    .unwrap();
            assert!(matches!(
                keyring::Entry::new_with_credential(Box::new(k)).get_password(),
                Err(keyring::Error::NoEntry)
            ));
            kc.delete(account).unwrap();
            assert_eq!(kc.load(account).unwrap(), None);
            return;
        }
        let home = tempfile::tempdir().unwrap();
        let exe = std::env::current_exe().unwrap();
        let script = r#"printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 90
exec "$0" --exact infra::secrets::tests::tokens_go_to_the_secret_service_when_one_is_running --test-threads=1"#;
        let out = std::process::Command::new("dbus-run-session")
            .args(["--", "sh", "-c", script])
            .arg(&exe)
            .env("YIQIFU_SS_CHILD", "1")
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", home.path())
            .output()
            .expect(
                "dbus-run-session and gnome-keyring are needed (cargo xtask test installs them)",
            );
        assert!(
            out.status.success(),
            "secret service run failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed"));
    }

    #[test]
    fn debug_output_never_shows_a_token() {
        let t = Tokens {
            access: "secret-access".into(),
            refresh: "secret-refresh".into(),
            access_expires_at: String::new(),
        };
        assert!(!format!("{t:?}").contains("secret"));
    }
}
