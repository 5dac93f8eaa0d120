//! The byte path of packaging. Two SHA-256 passes per byte are unavoidable: the source's,
//! proving each stored copy is still the accepted file, and the package's own. They run on
//! two threads: a reader thread reads each source once into a few fixed 1 MiB buffers and
//! hashes it, as `openssl dgst` would; the writing thread deflates or stores the same
//! buffers, computes the zip's CRC-32 and the package's SHA-256, and writes. Neither copies
//! a buffer, and memory is the same whatever the package size.

use std::{
    fs::File,
    io::{self, Read, Write},
    sync::{
        mpsc::{sync_channel, Receiver, SyncSender},
        Arc,
    },
};

use sha2::{Digest, Sha256};

use super::{file_name, Entry};
use crate::{check::read_full, Error};

pub(crate) const CHUNK: usize = 1024 * 1024;
/// One buffer being read and hashed, one being written, one in between: neither thread
/// waits for the other unless it is really behind.
const BUFFERS: usize = 3;

/// Hashes and counts every byte that reaches the inner writer.
pub(crate) struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    written: u64,
}

impl<W: Write> HashingWriter<W> {
    pub(crate) fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            written: 0,
        }
    }

    pub(crate) fn finish(self) -> (W, [u8; 32], u64) {
        (self.inner, self.hasher.finalize().into(), self.written)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        // Only what the inner writer took: a short write is retried with the rest.
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What the reader thread sends the writing thread, in entry order.
pub(crate) enum Read1 {
    /// The next `n` bytes of the current entry.
    Chunk(Arc<Vec<u8>>, usize),
    /// The current entry was read whole and matches its size and SHA-256.
    EntryDone,
    /// Reading stopped: a source is missing, unreadable or changed.
    Failed(Error),
}

/// The reader thread's channels, seen from the writing thread.
pub(crate) struct Reader {
    pub from_reader: Receiver<Read1>,
    /// Buffers go back once written, so the reader reuses them.
    pub to_reader: SyncSender<Arc<Vec<u8>>>,
}

/// The reader thread: reads every entry in order, hashes it, and reports whether it
/// matched. Stops at the first failure, or when the writing side hangs up.
pub(crate) fn read_sources(
    entries: &[&Entry],
    to_writer: SyncSender<Read1>,
    returned: Receiver<Arc<Vec<u8>>>,
) {
    let mut free: Vec<Arc<Vec<u8>>> = (0..BUFFERS).map(|_| Arc::new(vec![0; CHUNK])).collect();
    for entry in entries {
        let outcome = read_one(entry, &to_writer, &returned, &mut free);
        let message = match outcome {
            Ok(true) => Read1::EntryDone,
            Ok(false) => return, // the writing side is gone
            Err(e) => Read1::Failed(e),
        };
        let failed = matches!(message, Read1::Failed(_));
        if to_writer.send(message).is_err() || failed {
            return;
        }
    }
}

/// Ok(false) when the writing side hung up (it failed and reports its own error).
fn read_one(
    entry: &Entry,
    to_writer: &SyncSender<Read1>,
    returned: &Receiver<Arc<Vec<u8>>>,
    free: &mut Vec<Arc<Vec<u8>>>,
) -> Result<bool, Error> {
    let name = file_name(&entry.path);
    let unreadable = |source| Error::SourceUnreadable {
        name: name.clone(),
        source,
    };
    // One byte past the expected size is enough to know the copy grew.
    let mut source = File::open(&entry.source)
        .map_err(unreadable)?
        .take(entry.size.saturating_add(1));
    let mut hasher = Sha256::new();
    let mut bytes = 0u64;
    loop {
        let mut buf = match free.pop() {
            Some(buf) => buf,
            None => match returned.recv() {
                Ok(buf) => buf,
                Err(_) => return Ok(false),
            },
        };
        // The writing side hands a buffer back only after dropping its own reference,
        // so this is unique; a fresh buffer is the safe answer if it ever were not.
        if Arc::get_mut(&mut buf).is_none() {
            buf = Arc::new(vec![0; CHUNK]);
        }
        let n = match Arc::get_mut(&mut buf) {
            Some(v) => read_full(&mut source, v).map_err(unreadable)?,
            None => 0,
        };
        if n == 0 {
            free.push(buf);
            break;
        }
        // Sent before hashing, so the writing side works on it meanwhile.
        if to_writer.send(Read1::Chunk(Arc::clone(&buf), n)).is_err() {
            return Ok(false);
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
        if n < CHUNK {
            break;
        }
    }
    let sha256 = hex::encode(hasher.finalize());
    if bytes != entry.size || !sha256.eq_ignore_ascii_case(&entry.sha256) {
        return Err(Error::SourceChanged { name });
    }
    Ok(true)
}

/// The channels between the two threads, sized so the buffers in flight stay at BUFFERS.
pub(crate) fn channels() -> (Reader, SyncSender<Read1>, Receiver<Arc<Vec<u8>>>) {
    let (to_writer, from_reader) = sync_channel(BUFFERS + 1);
    let (to_reader, returned) = sync_channel(BUFFERS);
    (
        Reader {
            from_reader,
            to_reader,
        },
        to_writer,
        returned,
    )
}
