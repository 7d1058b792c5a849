//! Photos in backups. `wangge-server backup FILE` copies the database to `FILE` and the
//! photo files to a `photos/` folder beside it, **only those not there yet**: a photo
//! never changes under its hash, so one folder serves every backup kept in that place and
//! a nightly backup copies only the day's photos. The database is copied first, so every
//! photo it references (whose file is written before its upload is acknowledged) is in
//! the folder. `restore FILE` copies back the photos the data folder lacks.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use wangge_core::photo::PhotoHash;

/// The photo folder that goes with the backup file `file`.
pub fn folder_beside(file: &Path) -> PathBuf {
    file.parent().unwrap_or(Path::new(".")).join("photos")
}

/// Copies every photo under `from` that `to` does not hold (each through a temporary
/// name, so a copy cut short is never taken for a photo); returns how many it copied.
/// Only files named by a hash in a folder named by its first two characters are photos;
/// anything else (an upload's leftover temporary file) is skipped.
pub fn copy_new(from: &Path, to: &Path) -> io::Result<usize> {
    if !from.is_dir() {
        return Ok(0);
    }
    let mut copied = 0;
    for shard in fs::read_dir(from)? {
        let shard = shard?;
        if !shard.file_type()?.is_dir() {
            continue;
        }
        for file in fs::read_dir(shard.path())? {
            let file = file?;
            let name = file.file_name();
            let Some(hash) = name.to_str().and_then(|n| PhotoHash::parse(n).ok()) else { continue };
            if *shard.file_name() != *hash.shard() || !file.file_type()?.is_file() {
                continue;
            }
            let dest = to.join(hash.shard()).join(hash.as_str());
            if dest.exists() {
                continue;
            }
            fs::create_dir_all(to.join(hash.shard()))?;
            let temp = to.join(hash.shard()).join(format!(".copy-{}", hash.as_str()));
            fs::copy(file.path(), &temp)?;
            fs::File::open(&temp)?.sync_all()?;
            fs::rename(&temp, &dest)?;
            copied += 1;
        }
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_photos_not_yet_in_the_backup_are_copied() {
        let (data, backup) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (a, b) = ("aa".repeat(32), "bb".repeat(32));
        for (shard, name) in [("aa", a.as_str()), ("bb", b.as_str()), ("bb", ".upload-x"), ("cc", a.as_str())] {
            fs::create_dir_all(data.path().join(shard)).unwrap();
            fs::write(data.path().join(shard).join(name), name).unwrap();
        }
        assert_eq!(copy_new(data.path(), backup.path()).unwrap(), 2);
        assert_eq!(fs::read_to_string(backup.path().join("aa").join(&a)).unwrap(), a);
        assert!(!backup.path().join("bb/.upload-x").exists());
        assert!(!backup.path().join("cc").exists(), "a hash filed under another shard is not a photo");
        assert_eq!(copy_new(data.path(), backup.path()).unwrap(), 0, "nothing new the second time");
        assert_eq!(copy_new(&data.path().join("none"), backup.path()).unwrap(), 0);
        assert_eq!(folder_beside(Path::new("/b/x.sqlite3")), PathBuf::from("/b/photos"));
    }
}
