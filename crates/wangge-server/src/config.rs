//! Server configuration from command-line flags, with defaults that make a bare
//! `wangge-server` usable on a laptop.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::allowed_hosts;
use crate::db::Database;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Folder holding the SQLite database (and its WAL files) and the photos.
    pub data_dir: PathBuf,
    /// The database, when not the SQLite file in `data_dir`: `--database` or
    /// `WANGGE_DATABASE` (`sqlite:DIR` or `postgres://…`).
    pub database: Option<Database>,
    /// Built PWA (trunk's dist folder). `None` serves the API only.
    pub static_dir: Option<PathBuf>,
    /// Fill an empty database with the demo data set and demo accounts on start.
    pub load_demo: bool,
    /// The first wait after too many failed logins; each further failure doubles it (up
    /// to 15 minutes). Tests shorten it.
    pub login_backoff_base: Duration,
    /// Failed logins from one client address (any usernames) before it has to wait. Higher
    /// than the per-username 5: phones behind one carrier or office NAT share an address.
    /// Behind a reverse proxy every client has the proxy's address: raise it there.
    pub login_address_failures: u32,
    /// A device token unused for longer than this is refused (401 `token_expired`) and the
    /// phone logs in again; recording offline never needs the token, and the outbox waits.
    /// `--token-idle-days`; tests shorten it.
    pub token_idle: Duration,
    /// Host names (lower case, no port) this server answers to besides the loopback names;
    /// any other `Host` gets 421 (`allowed_hosts.rs`). Empty: loopback names only when
    /// bound to a loopback address, any host otherwise.
    pub allowed_hosts: Vec<String>,
}

/// The default idle period: a month without a sync is a phone lost or put away.
pub const DEFAULT_TOKEN_IDLE_DAYS: u64 = 30;

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database: None,
            static_dir: None,
            load_demo: true,
            login_backoff_base: Duration::from_secs(1),
            login_address_failures: 20,
            token_idle: days(DEFAULT_TOKEN_IDLE_DAYS),
            allowed_hosts: Vec::new(),
        }
    }
}

impl Config {
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(crate::db::SQLITE_FILE)
    }

    /// The database this server opens: `--database`, else the SQLite file in the data folder.
    pub fn database(&self) -> Database {
        self.database.clone().unwrap_or_else(|| Database::Sqlite(self.database_path()))
    }

    /// Folder of the photo files (`photos/<first two hex>/<sha-256>`).
    pub fn photos_path(&self) -> PathBuf {
        self.data_dir.join("photos")
    }

    /// Parses `--addr A --data DIR --static DIR --no-demo --login-address-failures N
    /// --token-idle-days N --allowed-host H` (repeatable); anything else is an error a
    /// person can read.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut config = Config::default();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--addr" => {
                    let v = value()?;
                    config.addr = v.parse().map_err(|_| format!("--addr: not an address: {v}"))?;
                }
                "--data" => config.data_dir = PathBuf::from(value()?),
                "--database" => config.database = Some(Database::parse(&value()?)?),
                "--static" => config.static_dir = Some(PathBuf::from(value()?)),
                "--no-demo" => config.load_demo = false,
                "--login-address-failures" => {
                    let v = value()?;
                    config.login_address_failures =
                        v.parse().map_err(|_| format!("--login-address-failures: not a count: {v}"))?;
                }
                "--token-idle-days" => {
                    let v = value()?;
                    let n: u64 =
                        v.parse().ok().filter(|n| (1..=3650).contains(n)).ok_or_else(|| {
                            format!("--token-idle-days: a whole number of days from 1 to 3650, not {v}")
                        })?;
                    config.token_idle = days(n);
                }
                "--allowed-host" => {
                    let v = value()?;
                    config.allowed_hosts.push(
                        allowed_hosts::host_name(&v).ok_or_else(|| format!("--allowed-host: not a host name: {v}"))?,
                    );
                }
                other => return Err(format!("unknown argument: {other}\n{USAGE}")),
            }
        }
        Ok(config)
    }

    /// `WANGGE_DATABASE`, read by `cli::parse`: used only when no `--database` was given.
    pub fn with_database_env(mut self, value: Option<&str>) -> Result<Config, String> {
        if let Some(value) = value.filter(|v| !v.is_empty() && self.database.is_none()) {
            self.database = Some(Database::parse(value).map_err(|e| format!("WANGGE_DATABASE: {e}"))?);
        }
        Ok(self)
    }

    /// `WANGGE_ALLOWED_HOSTS` (comma-separated), read by `cli::parse`: used only when no
    /// `--allowed-host` flag was given, so a flag on the command line always wins.
    pub fn with_allowed_hosts_env(mut self, value: Option<&str>) -> Result<Config, String> {
        let Some(value) = value.filter(|_| self.allowed_hosts.is_empty()) else { return Ok(self) };
        for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let name = allowed_hosts::host_name(item)
                .ok_or_else(|| format!("WANGGE_ALLOWED_HOSTS: not a host name: {item}"))?;
            self.allowed_hosts.push(name);
        }
        Ok(self)
    }
}

fn days(n: u64) -> Duration {
    Duration::from_secs(n * 24 * 60 * 60)
}

pub const USAGE: &str = "usage: wangge-server [--addr 127.0.0.1:8080] [--data DIR] [--database sqlite:DIR|postgres://USER@HOST:PORT/DB] [--static DIST_DIR] [--no-demo]
                     [--login-address-failures 20] [--token-idle-days 30] [--allowed-host HOST]...
       wangge-server init --admin USERNAME --district NAME [--display-name N] [--code 500110] [--password-stdin] [--data DIR]
                     (a real deployment's first start: the district grid and its administrator; password from
                     stdin or WANGGE_PASSWORD, else generated and printed once; refused on a database with data)
       wangge-server user add --username U --password P --name N --grid GRID_ID --role ROLE [--role ROLE] [--person ID] [--data DIR]
       wangge-server user list [--data DIR]
       wangge-server user disable USERNAME [--data DIR]   (no login; its phones are refused until enabled)
       wangge-server user enable USERNAME [--data DIR]
       wangge-server user set-password USERNAME (--password P | --password-stdin) [--data DIR]
                     (or the password in WANGGE_PASSWORD; signs out every device of the account)
       wangge-server device list [--user USERNAME] [--data DIR]
       wangge-server device revoke DEVICE_ID [--data DIR]   (a lost phone: its token is refused from now on)
       wangge-server backup FILE [--data DIR]     (a consistent copy, while the server runs; new photos go to photos/ beside FILE)
       wangge-server restore FILE [--data DIR]    (server stopped; phones re-sync under a new epoch)
       wangge-server migrate --from sqlite:DIR --to postgres://USER@HOST:PORT/DB   (or the URL in WANGGE_DATABASE)
                     (copies DIR's database into an empty PostgreSQL database in one transaction and verifies every
                     table; stop the server first to keep the epoch: a copy taken while it writes gets a new one)";

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn flags_override_the_defaults() {
        let c = Config::from_args(args(
            "--addr 127.0.0.1:9000 --data /tmp/x --static dist --no-demo --login-address-failures 500 --token-idle-days 7",
        ))
        .unwrap();
        assert_eq!(c.addr.port(), 9000);
        assert_eq!(c.database_path(), PathBuf::from("/tmp/x/wangge.sqlite3"));
        assert_eq!(c.static_dir, Some(PathBuf::from("dist")));
        assert!(!c.load_demo);
        assert_eq!(c.login_address_failures, 500);
        assert_eq!(c.token_idle, Duration::from_secs(7 * 86_400));
        let plain = Config::from_args(args("")).unwrap();
        assert!(plain.load_demo);
        assert_eq!(plain.token_idle, Duration::from_secs(30 * 86_400));
    }

    #[test]
    fn a_token_idle_period_must_be_whole_days() {
        for bad in ["0", "1.5", "-3", "forever"] {
            let err = Config::from_args(args(&format!("--token-idle-days {bad}"))).unwrap_err();
            assert!(err.contains("whole number of days"), "{err}");
        }
    }

    #[test]
    fn allowed_hosts_come_from_flags_or_else_the_environment() {
        let c = Config::from_args(args("--allowed-host Wangge.Example.org --allowed-host [::2]:8443")).unwrap();
        assert_eq!(c.allowed_hosts, ["wangge.example.org", "[::2]"]);
        let c = c.with_allowed_hosts_env(Some("other.example.org")).unwrap();
        assert_eq!(c.allowed_hosts, ["wangge.example.org", "[::2]"], "a flag wins over the environment");
        let c = Config::from_args(args(""))
            .unwrap()
            .with_allowed_hosts_env(Some(" a.example.org, b.example.org:443 ,"))
            .unwrap();
        assert_eq!(c.allowed_hosts, ["a.example.org", "b.example.org"]);
        assert!(Config::from_args(args("--allowed-host a/b")).unwrap_err().contains("not a host name"));
        assert!(Config::default().with_allowed_hosts_env(Some("a b")).unwrap_err().contains("WANGGE_ALLOWED_HOSTS"));
    }

    #[test]
    fn a_bad_address_is_reported() {
        let err = Config::from_args(args("--addr nowhere")).unwrap_err();
        assert!(err.contains("not an address"), "{err}");
    }

    #[test]
    fn a_missing_value_is_reported() {
        assert!(Config::from_args(args("--data")).unwrap_err().contains("needs a value"));
    }
}
