//! [`DiskPhotoStore`]: photos as files under the data folder, `photos/<first two hex>/<hash>`
//! (256 folders, so none grows to hundreds of thousands of entries). A photo is written to
//! a temporary file in its own folder, flushed to disk, then renamed into place, and the
//! folder is flushed too: a file under a hash's name is always whole, and an upload the
//! server acknowledged survives `kill -9` or a power cut.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use wangge_core::photo::PhotoHash;

use super::PhotoStore;

/// Photo files in one folder (`<data>/photos`).
#[derive(Debug, Clone)]
pub struct DiskPhotoStore {
    root: PathBuf,
}

impl DiskPhotoStore {
    /// The store under `root`, created on the first `put`.
    pub fn new(root: impl Into<PathBuf>) -> DiskPhotoStore {
        DiskPhotoStore { root: root.into() }
    }

    /// Where the photo `hash` lives (the hash is 64 hex characters: no path tricks).
    pub fn path_of(&self, hash: &PhotoHash) -> PathBuf {
        self.root.join(hash.shard()).join(hash.as_str())
    }

    /// The folder (for backups).
    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl PhotoStore for DiskPhotoStore {
    fn put(&self, hash: &PhotoHash, bytes: &[u8]) -> io::Result<()> {
        let dir = self.root.join(hash.shard());
        fs::create_dir_all(&dir)?;
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
        let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
        // In the same folder, so the rename is atomic; a leftover from a crash is named
        // apart from any hash and is never served.
        let temp = dir.join(format!(".upload-{}-{suffix}", hash.as_str()));
        let written = (|| {
            let mut file = File::create(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::rename(&temp, dir.join(hash.as_str()))
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written?;
        // The rename itself is durable only once the folder is.
        File::open(&dir)?.sync_all()
    }

    fn get(&self, hash: &PhotoHash) -> io::Result<Option<Bytes>> {
        match fs::read(self.path_of(hash)) {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn exists(&self, hash: &PhotoHash) -> io::Result<bool> {
        self.path_of(hash).try_exists()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_put_is_read_back_under_its_shard_and_no_temporary_file_stays() {
        let dir = tempfile::tempdir().unwrap();
        let store = DiskPhotoStore::new(dir.path().join("photos"));
        let hash = PhotoHash::parse(&"ab".repeat(32)).unwrap();
        assert!(!store.exists(&hash).unwrap());
        assert_eq!(store.get(&hash).unwrap(), None);
        store.put(&hash, b"bytes").unwrap();
        store.put(&hash, b"bytes").unwrap();
        assert!(store.exists(&hash).unwrap());
        assert_eq!(store.get(&hash).unwrap().as_deref(), Some(&b"bytes"[..]));
        let names: Vec<_> =
            fs::read_dir(dir.path().join("photos/ab")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [std::ffi::OsString::from("ab".repeat(32))]);
    }
}
