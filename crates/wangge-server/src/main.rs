//! `wangge-server`: parses the command line, sets up logging and runs the server or an
//! account command. All logic lives in the library so tests can start the same server.

use wangge_server::cli::{self, Command};
use wangge_server::serve;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "wangge_server=info,tower_http=warn".into()),
        )
        .init();
    match cli::parse(std::env::args().skip(1).collect()) {
        Ok(Command::Serve(config)) => {
            serve(config, |addr| {
                // Printed on stdout (not the log) so scripts can read the bound port.
                println!("Wangge is running at http://{addr}/");
            })
            .await
        }
        Ok(command) => cli::run_user_command(command),
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    }
}
