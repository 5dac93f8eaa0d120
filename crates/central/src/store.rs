//! Where upload bytes live: a folder on this machine, or an S3-compatible bucket that every
//! service process behind a load balancer shares. Both sit behind object_store's one
//! interface, so the tus code above them is the same.
//!
//! An object store cannot append, so a tus upload is kept as one object per PATCH (a part,
//! recorded in `upload_parts`) until its last byte is in; then the parts are joined into one
//! object named by the upload's id, which is also where uploads from before this lived on disk.

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use object_store::buffered::BufWriter;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::error::{Error, Result};

/// Where a service keeps upload bytes, as it was started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Uploads {
    /// A folder on this machine (or one every service process mounts).
    Disk(PathBuf),
    /// An S3-compatible bucket, `s3://bucket` or `s3://bucket/prefix`. The endpoint, region
    /// and keys come from `options` (object_store's `aws_*` configuration keys), then from
    /// the `AWS_*` environment variables.
    S3 {
        url: String,
        options: Vec<(String, String)>,
    },
}

impl Uploads {
    /// `--uploads`: an `s3://` URL or a folder.
    pub fn from_arg(arg: &str) -> Self {
        if arg.starts_with("s3://") {
            Self::S3 {
                url: arg.to_string(),
                options: Vec::new(),
            }
        } else {
            Self::Disk(PathBuf::from(arg))
        }
    }

    /// What a log line or an error message calls it (never a key).
    pub fn describe(&self) -> String {
        match self {
            Self::Disk(dir) => dir.display().to_string(),
            Self::S3 { url, .. } => url.clone(),
        }
    }
}

/// Bytes buffered before a write becomes a multipart upload, and the size of its parts: one
/// client chunk (1 MiB) goes up in one request, and S3's smallest part (5 MiB) is met.
const BUFFER: usize = 5 * 1024 * 1024;
/// Parts in flight at once: with [`BUFFER`], what one write holds in memory is bounded
/// (about 15 MiB) however large the PATCH body a client sends.
const PARTS_IN_FLIGHT: usize = 2;

/// The upload store of a running service.
#[derive(Clone, Debug)]
pub struct Store {
    inner: Arc<dyn ObjectStore>,
    /// Set for a folder, so that tests and tools can reach the files.
    folder: Option<PathBuf>,
}

impl Store {
    /// Opens the store and proves it can be written, so that a service that cannot keep
    /// uploads says so at start, not at an officer's first file.
    pub async fn open(uploads: &Uploads) -> Result<Self> {
        let store = match uploads {
            Uploads::Disk(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::Config(format!(
                        "无法创建上传文件夹 {}：{e} / cannot create the upload folder {}: {e}",
                        dir.display(),
                        dir.display()
                    ))
                })?;
                let local = object_store::local::LocalFileSystem::new_with_prefix(dir)?
                    .with_automatic_cleanup(true);
                Self {
                    inner: Arc::new(local),
                    folder: Some(dir.clone()),
                }
            }
            Uploads::S3 { url, options } => Self {
                inner: s3(url, options)?,
                folder: None,
            },
        };
        let probe = Path::from(format!(".probe/{}", crate::db::new_id("probe")));
        let written = async {
            store
                .inner
                .put(&probe, PutPayload::from_static(b""))
                .await?;
            store.inner.delete(&probe).await
        }
        .await;
        written.map_err(|e| {
            Error::Config(format!(
                "上传存储 {} 不可写：{e} / the upload store {} cannot be written: {e}; check the \
                 folder's permissions, or the bucket, its endpoint and keys",
                uploads.describe(),
                uploads.describe()
            ))
        })?;
        Ok(store)
    }

    /// The folder of a store on disk.
    pub fn folder(&self) -> Option<&std::path::Path> {
        self.folder.as_deref()
    }

    /// The object of a complete upload.
    pub fn file(id: &str) -> Path {
        Path::from(id)
    }

    fn parts_of(id: &str) -> Path {
        Path::from(format!("parts/{id}"))
    }

    /// A new part of upload `id` starting at `offset`. Each PATCH writes a fresh name, so a
    /// PATCH repeated by another process never overwrites a part already recorded.
    pub fn part(id: &str, offset: u64) -> Path {
        Path::from(format!(
            "parts/{id}/{offset:012}-{}",
            crate::db::new_id("p")
        ))
    }

    /// A writer that sends small objects in one request and large ones in parts.
    pub fn writer(&self, path: Path) -> BufWriter {
        BufWriter::with_capacity(self.inner.clone(), path, BUFFER)
            .with_max_concurrency(PARTS_IN_FLIGHT)
    }

    /// Appends the object `path` to `out`, feeding `hasher`; returns its length.
    pub async fn append_to(
        &self,
        path: &Path,
        out: &mut tokio::fs::File,
        hasher: &mut Sha256,
    ) -> Result<u64> {
        let mut stream = self.inner.get(path).await?.into_stream();
        let mut n = 0u64;
        while let Some(bytes) = stream.next().await {
            let bytes = bytes?;
            hasher.update(&bytes);
            out.write_all(&bytes).await?;
            n += bytes.len() as u64;
        }
        Ok(n)
    }

    /// Copies a local file into the object `path`.
    pub async fn put_file(&self, file: &std::path::Path, path: Path) -> Result<()> {
        use tokio::io::AsyncReadExt;
        let mut f = tokio::fs::File::open(file).await?;
        let mut writer = self.writer(path);
        let mut buf = vec![0u8; 1024 * 1024];
        let copied = async {
            loop {
                let n = f.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                writer.put(Bytes::copy_from_slice(&buf[..n])).await?;
            }
            Ok::<_, Error>(())
        }
        .await;
        match copied {
            // A failed shutdown aborts its multipart upload itself.
            Ok(()) => Ok(writer.shutdown().await?),
            Err(e) => {
                let _ = writer.abort().await;
                Err(e)
            }
        }
    }

    /// The object `path` in a temporary file, for checks that read a file.
    pub async fn download(&self, path: &Path) -> Result<tempfile::TempPath> {
        let temp = tempfile::NamedTempFile::new()?.into_temp_path();
        let mut out = tokio::fs::File::create(&temp).await?;
        self.append_to(path, &mut out, &mut Sha256::new()).await?;
        out.flush().await?;
        Ok(temp)
    }

    /// The bytes of the object `path`, or `None` when there is none.
    pub async fn read(&self, path: &Path) -> Result<Option<Bytes>> {
        match self.inner.get(path).await {
            Ok(got) => Ok(Some(got.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes `bytes` as the object `path`, whole or not at all.
    pub async fn write(&self, path: &Path, bytes: Bytes) -> Result<()> {
        self.inner.put(path, bytes.into()).await?;
        Ok(())
    }

    /// The names of every object under `prefix`, sorted.
    pub async fn names(&self, prefix: &str) -> Result<Vec<String>> {
        let prefix = Path::from(prefix);
        let mut out = Vec::new();
        let mut listed = self.inner.list(Some(&prefix));
        while let Some(meta) = listed.next().await {
            out.push(meta?.location.to_string());
        }
        out.sort();
        Ok(out)
    }

    /// Deletes one object; one already gone is no error.
    pub async fn remove(&self, path: &Path) -> Result<()> {
        match self.inner.delete(path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes everything of upload `id`: its object and every part, recorded or left by a
    /// PATCH that was cut off before it was recorded.
    pub async fn remove_upload(&self, id: &str) -> Result<()> {
        self.remove(&Self::file(id)).await?;
        let parts = self
            .inner
            .list(Some(&Self::parts_of(id)))
            .map(|meta| meta.map(|m| m.location))
            .boxed();
        let mut deleted = self.inner.delete_stream(parts);
        while let Some(done) = deleted.next().await {
            match done {
                Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}

#[cfg(feature = "s3")]
fn s3(url: &str, options: &[(String, String)]) -> Result<Arc<dyn ObjectStore>> {
    use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
    let bad = |what: String| {
        Error::Config(format!(
            "上传存储 {url} 无法使用：{what} / the upload store {url} cannot be used: {what}"
        ))
    };
    let parsed = url::Url::parse(url).map_err(|e| bad(e.to_string()))?;
    let bucket = parsed
        .host_str()
        .filter(|b| !b.is_empty())
        .ok_or_else(|| bad("no bucket: write s3://bucket or s3://bucket/prefix".into()))?;
    let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
    for (key, value) in options {
        let key: AmazonS3ConfigKey = key.parse().map_err(|e| bad(format!("{key}: {e}")))?;
        builder = builder.with_config(key, value);
    }
    let s3 = builder.build().map_err(|e| bad(e.to_string()))?;
    let prefix = parsed.path().trim_matches('/');
    Ok(if prefix.is_empty() {
        Arc::new(s3)
    } else {
        Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
    })
}

#[cfg(not(feature = "s3"))]
fn s3(url: &str, _options: &[(String, String)]) -> Result<Arc<dyn ObjectStore>> {
    Err(Error::Config(format!(
        "此版本不支持 S3 上传存储 {url} / this build keeps uploads in a folder only: {url} \
         needs the service built with its s3 feature"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s3_url_is_a_bucket_and_anything_else_a_folder() {
        assert_eq!(
            Uploads::from_arg("s3://materials/city"),
            Uploads::S3 {
                url: "s3://materials/city".into(),
                options: vec![]
            }
        );
        assert_eq!(
            Uploads::from_arg("/srv/uploads"),
            Uploads::Disk("/srv/uploads".into())
        );
    }

    #[tokio::test]
    async fn a_folder_that_cannot_be_made_is_refused_at_open_saying_which() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let err = Store::open(&Uploads::Disk(file.join("under")))
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("a-file"),
            "names the folder: {err}"
        );
    }

    #[tokio::test]
    async fn an_upload_is_removed_with_every_part_recorded_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&Uploads::Disk(dir.path().into()))
            .await
            .unwrap();
        for path in [
            Store::file("up_1"),
            Store::part("up_1", 0),
            Store::part("up_1", 1024),
            Store::part("up_10", 0),
        ] {
            let mut w = store.writer(path);
            w.put(Bytes::from_static(b"bytes")).await.unwrap();
            w.shutdown().await.unwrap();
        }
        store.remove_upload("up_1").await.unwrap();
        let left: Vec<String> = store
            .inner
            .list(None)
            .map(|m| m.unwrap().location.to_string())
            .collect()
            .await;
        assert_eq!(left.len(), 1, "only up_10's part is left: {left:?}");
        assert!(left[0].starts_with("parts/up_10/"), "{left:?}");
        // Removing what is already gone is no error.
        store.remove_upload("up_1").await.unwrap();
    }
}
