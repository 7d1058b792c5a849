//! The Wangge server as a library: configuration, the router (JSON API under `/api` plus
//! the PWA's static files) and `serve`, so tests can start real servers on port 0.
//!
//! Map: `routes/` (HTTP handlers) → `db/` (the only SQL; pushes committed in groups by one
//! writer thread, reads on their own connections) with
//! `records` (pure record validation and scope keys), `auth` (tokens, passwords),
//! `login_guard` (pure login throttling), `password_checks` (the argon2 threads) and
//! `admin_scope` (pure: whose account an administrator manages), `admin_rules` (pure: the
//! administration routes' refusals, username shape, role/grid level),
//! `one_time_password` and `import` (reading and matching the ledgers administrators
//! upload; pure, its SQL in `db/import.rs`), `export` (the lists as .xlsx and CSV; pure,
//! its SQL in `db/export.rs`), `photos` (the photo bytes behind the `PhotoStore`
//! interface; what is known about them in `db/photos.rs`). Around everything:
//! `security_headers` (CSP and friends) and `allowed_hosts` (DNS rebinding).

pub mod account;
pub mod admin_rules;
mod admin_scope;
mod allowed_hosts;
pub mod auth;
pub mod cli;
pub mod config;
mod confined_dir;
pub mod db;
pub mod demo;
pub mod error;
mod export;
mod import;
mod json;
mod login_guard;
mod nul_guard;
pub mod one_time_password;
mod password_checks;
mod permissions;
pub mod photos;
mod records;
mod routes;
mod security_headers;
mod static_files;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::{middleware, Router};
use tokio::net::TcpListener;

pub use config::Config;
pub use db::Db;

/// Password checker threads: one per core, but no more than this. Each keeps 19 MiB, and
/// logins are rare (once per phone), so more would hold memory for throughput no one needs.
const MAX_PASSWORD_CHECKERS: usize = 4;

/// What every request handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// One thread and one permit per core (at most 4) for argon2 (`password_checks.rs`): a
    /// burst of logins waits for them instead of taking gigabytes (300 at once took 6.6 GiB).
    pub(crate) password_checks: Arc<password_checks::PasswordChecks>,
    /// Failed logins per username and per client address (`login_guard.rs`).
    pub(crate) login_guard: Arc<Mutex<login_guard::LoginGuard>>,
    /// Photo bytes by hash (`photos/`): the data folder's `photos/` on disk.
    pub(crate) photos: Arc<dyn photos::PhotoStore>,
}

impl AppState {
    /// Fails only if the password checker threads cannot be started.
    pub fn new(db: Db, config: Config) -> std::io::Result<AppState> {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let checkers = cores.min(MAX_PASSWORD_CHECKERS);
        let users = login_guard::Policy {
            free_failures: login_guard::USERNAME_FREE_FAILURES,
            base: config.login_backoff_base,
            cap: login_guard::MAX_BACKOFF,
        };
        let addrs = login_guard::Policy { free_failures: config.login_address_failures, ..users };
        let photos = Arc::new(photos::DiskPhotoStore::new(config.photos_path()));
        Ok(AppState {
            db,
            photos,
            config: Arc::new(config),
            password_checks: Arc::new(password_checks::PasswordChecks::start(checkers)?),
            login_guard: Arc::new(Mutex::new(login_guard::LoginGuard::new(users, addrs))),
        })
    }
}

/// The whole HTTP surface: `/api/...` answers JSON only (an unknown path is a JSON 404,
/// never the app's HTML); every other path is the PWA. Every answer, a refusal of the
/// host included, carries the security headers.
pub fn router(state: AppState) -> Router {
    let hosts = Arc::new(allowed_hosts::HostPolicy::from_config(&state.config));
    let app = routes::api_router();
    let app = match &state.config.static_dir {
        Some(dir) => app.merge(static_files::router(dir)),
        None => app,
    };
    app.layer(middleware::from_fn(nul_guard::refuse_nul))
        .layer(middleware::from_fn_with_state(hosts, allowed_hosts::check_host))
        .layer(middleware::from_fn(security_headers::add))
        .with_state(state)
}

/// Opens (and migrates) the database, loads the demo into an empty one if configured,
/// binds the configured address and serves until Ctrl-C. Returns the bound address through
/// `on_bound` before serving, so callers that asked for port 0 learn the real port.
pub async fn serve(config: Config, on_bound: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    use anyhow::Context;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("create data folder {}", config.data_dir.display()))?;
    let database = config.database();
    // Opened off the runtime: PostgreSQL's connections are waited on by blocking threads.
    let db = tokio::task::spawn_blocking(move || Db::open_database(&database))
        .await
        .context("database opening thread")?
        .context("open database")?;
    if config.load_demo {
        let seeding = db.clone();
        let created = tokio::task::spawn_blocking(move || demo::seed_if_empty(&seeding))
            .await
            .context("demo seeding thread")??;
        if !created.is_empty() {
            println!("{}", demo::accounts_banner(&created));
        }
    }
    let listener = TcpListener::bind(config.addr).await.with_context(|| format!("bind {}", config.addr))?;
    on_bound(listener.local_addr()?);
    if allowed_hosts::HostPolicy::from_config(&config) == allowed_hosts::HostPolicy::Any {
        tracing::warn!(
            addr = %config.addr,
            "DNS-rebinding protection is off: any Host is answered on a non-loopback address \
             until --allowed-host (or WANGGE_ALLOWED_HOSTS) names the host the server is reached by"
        );
    }
    // With the peer address, so login throttling can count failures per client address.
    let state = AppState::new(db, config).context("start the password checkers")?;
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serve HTTP")
}

/// Wall-clock unix milliseconds (the core takes time as an argument; the server owns it).
pub(crate) fn now_millis() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}
