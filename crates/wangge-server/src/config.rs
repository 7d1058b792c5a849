//! Server configuration from command-line flags, with defaults that make a bare
//! `wangge-server` usable on a laptop.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Folder holding the SQLite database (and its WAL files).
    pub data_dir: PathBuf,
    /// Built PWA (trunk's dist folder). `None` serves the API only.
    pub static_dir: Option<PathBuf>,
    /// Fill an empty database with the demo data set and demo accounts on start.
    pub load_demo: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            static_dir: None,
            load_demo: true,
        }
    }
}

impl Config {
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("wangge.sqlite3")
    }

    /// Parses `--addr A --data DIR --static DIR --no-demo`; anything else is an error a
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
                "--static" => config.static_dir = Some(PathBuf::from(value()?)),
                "--no-demo" => config.load_demo = false,
                other => return Err(format!("unknown argument: {other}\n{USAGE}")),
            }
        }
        Ok(config)
    }
}

pub const USAGE: &str = "usage: wangge-server [--addr 127.0.0.1:8080] [--data DIR] [--static DIST_DIR] [--no-demo]
       wangge-server user add --username U --password P --name N --grid GRID_ID --role ROLE [--role ROLE] [--person ID] [--data DIR]
       wangge-server user list [--data DIR]
       wangge-server backup FILE [--data DIR]     (a consistent copy, while the server runs)
       wangge-server restore FILE [--data DIR]    (server stopped; phones re-sync under a new epoch)";

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn flags_override_the_defaults() {
        let c = Config::from_args(args("--addr 127.0.0.1:9000 --data /tmp/x --static dist --no-demo")).unwrap();
        assert_eq!(c.addr.port(), 9000);
        assert_eq!(c.database_path(), PathBuf::from("/tmp/x/wangge.sqlite3"));
        assert_eq!(c.static_dir, Some(PathBuf::from("dist")));
        assert!(!c.load_demo);
        assert!(Config::from_args(args("")).unwrap().load_demo);
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
