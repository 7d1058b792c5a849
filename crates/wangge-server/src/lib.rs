//! The Wangge server as a library: configuration, the router (JSON API under `/api` plus
//! the PWA's static files) and `serve`, so tests can start real servers on port 0.
//!
//! Map: `routes/` (HTTP handlers) → `db/` (the only SQL; pushes committed in groups by one
//! writer thread, reads on their own connections) with
//! `records` (pure record validation and scope keys) and `auth` (tokens, passwords).

pub mod account;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
mod json;
mod permissions;
mod records;
mod routes;
mod static_files;

use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

pub use config::Config;
pub use db::Db;

/// What every request handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
}

/// The whole HTTP surface: `/api/...` answers JSON only (an unknown path is a JSON 404,
/// never the app's HTML); every other path is the PWA.
pub fn router(state: AppState) -> Router {
    let app = routes::api_router();
    let app = match &state.config.static_dir {
        Some(dir) => app.merge(static_files::router(dir)),
        None => app,
    };
    app.with_state(state)
}

/// Opens (and migrates) the database, loads the demo into an empty one if configured,
/// binds the configured address and serves until Ctrl-C. Returns the bound address through
/// `on_bound` before serving, so callers that asked for port 0 learn the real port.
pub async fn serve(config: Config, on_bound: impl FnOnce(std::net::SocketAddr)) -> anyhow::Result<()> {
    use anyhow::Context;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("create data folder {}", config.data_dir.display()))?;
    let db = Db::open(&config.database_path()).context("open database")?;
    if config.load_demo {
        let seeding = db.clone();
        let created = tokio::task::spawn_blocking(move || demo::seed_if_empty(&seeding))
            .await
            .context("demo seeding thread")??;
        if !created.is_empty() {
            println!("{}", demo::accounts_banner(&created));
        }
    }
    let listener = TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("bind {}", config.addr))?;
    on_bound(listener.local_addr()?);
    let state = AppState { db, config: Arc::new(config) };
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serve HTTP")
}

/// Wall-clock unix milliseconds (the core takes time as an argument; the server owns it).
pub(crate) fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
