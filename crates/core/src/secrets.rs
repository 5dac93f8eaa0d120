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

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(keychain_error)
    }

    pub fn store(&self, account: &str, tokens: &Tokens) -> Result<()> {
        let json = serde_json::to_string(tokens)?;
        self.entry(account)?
            .set_password(&json)
            .map_err(keychain_error)
    }

    pub fn load(&self, account: &str) -> Result<Option<Tokens>> {
        match self.entry(account)?.get_password() {
            Ok(json) => Ok(serde_json::from_str(&json).ok()),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    pub fn delete(&self, account: &str) -> Result<()> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// Linux's keyutils store keeps entries in the session keyring. A process started outside a
/// login session (a service, a CI job, a test run) has none, and writes then fail; this gives
/// such a process an anonymous session keyring that its children share. It does nothing when
/// a session keyring already exists.
#[cfg(target_os = "linux")]
pub fn ensure_session_keyring() -> std::io::Result<()> {
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
    // Without a session keyring of its own, a process is handed the user-session keyring,
    // which keyutils' store cannot use; only a distinct session keyring will do.
    let session = keyring_id(KEY_SPEC_SESSION_KEYRING);
    if session >= 0 && session != keyring_id(KEY_SPEC_USER_SESSION_KEYRING) {
        return Ok(());
    }
    // SAFETY: a null name asks for a new anonymous keyring; no memory is passed.
    let joined = unsafe {
        libc::syscall(
            libc::SYS_keyctl,
            KEYCTL_JOIN_SESSION_KEYRING,
            std::ptr::null::<libc::c_char>(),
        )
    };
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
