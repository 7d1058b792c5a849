//! `wangge-server`: parses flags, sets up logging and runs the server. All logic lives in
//! the library so tests can start the same server in-process.

use wangge_server::{serve, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "wangge_server=info,tower_http=warn".into()),
        )
        .init();
    let config = match Config::from_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    serve(config, |addr| {
        // Printed on stdout (not the log) so scripts can read the bound port.
        println!("Wangge is running at http://{addr}/");
    })
    .await
}
