//! The file-system backend for serving `dist/`: every file `ServeDir` opens (precompressed
//! copies and directory indexes included) is resolved through its symlinks first, and
//! treated as absent unless the real file lies inside `dist` and is not hidden.
//!
//! tower-http's own backend follows symlinks wherever they point, so a stray link in a
//! deployed folder (`dist/x -> /etc/passwd`) would publish that file. Links that stay
//! inside `dist` keep working.

use std::future::Future;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use tower_http::services::fs::{Backend, TokioBackend, TokioFile};

type Boxed<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

#[derive(Clone, Debug)]
pub(crate) struct ConfinedDir {
    /// `dist` with its own symlinks resolved, so a `dist` that is itself a link (a
    /// `current -> releases/42` deploy) still works.
    root: Arc<Path>,
}

impl ConfinedDir {
    pub(crate) fn new(dist: &Path) -> ConfinedDir {
        // A folder that does not exist yet cannot be resolved; its absolute path is then the
        // best guess, and requests fail as not found until it appears.
        let root =
            std::fs::canonicalize(dist).or_else(|_| std::path::absolute(dist)).unwrap_or_else(|_| dist.to_path_buf());
        ConfinedDir { root: root.into() }
    }

    /// The real path of `path`, or `NotFound` if it leaves `dist` or is hidden there: the
    /// file is then absent as far as `ServeDir` knows, so a refused precompressed copy
    /// falls back to the plain file, and a refused path gets the app's shell like any
    /// unknown route (never an error that would tell a prober the link exists).
    async fn resolve(&self, path: &Path) -> io::Result<PathBuf> {
        let real = tokio::fs::canonicalize(path).await?;
        match real.strip_prefix(&self.root) {
            Ok(inside) if !is_hidden(inside) => Ok(real),
            _ => {
                tracing::warn!(path = %path.display(), real = %real.display(), "refused a static file outside dist or hidden");
                Err(io::Error::new(io::ErrorKind::NotFound, "outside the served folder"))
            }
        }
    }
}

/// A path with any component starting with `.` (`.env`, `.git/config`).
pub(crate) fn is_hidden(relative: &Path) -> bool {
    relative.components().any(|c| match c {
        Component::Normal(name) => name.to_string_lossy().starts_with('.'),
        _ => true,
    })
}

impl Backend for ConfinedDir {
    type File = TokioFile;
    type Metadata = std::fs::Metadata;
    type OpenFuture = Boxed<TokioFile>;
    type MetadataFuture = Boxed<std::fs::Metadata>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        let this = self.clone();
        Box::pin(async move { TokioBackend.open(this.resolve(&path).await?).await })
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        let this = self.clone();
        Box::pin(async move { tokio::fs::metadata(this.resolve(&path).await?).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_components_are_hidden_and_others_are_not() {
        assert!(is_hidden(Path::new(".env")));
        assert!(is_hidden(Path::new("icons/.git/config")));
        assert!(is_hidden(Path::new("../etc/passwd")));
        assert!(!is_hidden(Path::new("icons/icon-192.png")));
        assert!(!is_hidden(Path::new("")), "dist itself");
    }
}
