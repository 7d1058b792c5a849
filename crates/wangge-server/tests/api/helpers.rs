//! `spawn_app`: a real server on port 0 over a fresh database, torn down with the test.

use std::net::SocketAddr;
use std::path::PathBuf;

use wangge_server::{serve, Config};

pub(crate) struct TestApp {
    pub(crate) addr: SocketAddr,
    pub(crate) client: reqwest::Client,
    /// Kept so the database folder lives as long as the test.
    pub(crate) data: tempfile::TempDir,
}

impl TestApp {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request reaches the server")
    }
}

pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with_static(None).await
}

pub(crate) async fn spawn_app_with_static(static_dir: Option<PathBuf>) -> TestApp {
    let data = tempfile::tempdir().expect("temp dir");
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: data.path().to_path_buf(),
        static_dir,
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        serve(config, move |addr| {
            let _ = tx.send(addr);
        })
        .await
        .expect("server runs");
    });
    let addr = rx.await.expect("server bound a port");
    TestApp { addr, client: reqwest::Client::new(), data }
}
