use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use yiqifu_central::seed::{DEMO_ENTERPRISES, DEMO_PASSWORD};
use yiqifu_central::{start, Config};

/// The Yiqifu central service (复工复产服务专窗中央服务).
#[derive(Debug, Parser)]
#[command(name = "yiqifu-central", version)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8650")]
    addr: SocketAddr,
    /// The database file; created when missing.
    #[arg(long, default_value = "yiqifu-central.sqlite")]
    db: PathBuf,
    /// Seed the demo catalog and demo enterprises into an empty database.
    #[arg(long)]
    demo: bool,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("yiqifu-central: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let running = match start(Config {
            addr: cli.addr,
            db_path: cli.db.clone(),
            demo: cli.demo,
        })
        .await
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!(
                    "yiqifu-central: cannot serve on {} with database {}: {e}",
                    cli.addr,
                    cli.db.display()
                );
                return ExitCode::FAILURE;
            }
        };
        println!("yiqifu-central listening on {}", running.url());
        if cli.demo {
            println!("demo enterprises (password {DEMO_PASSWORD}):");
            for e in DEMO_ENTERPRISES {
                println!("  {}  {}  {}", e.credit_code(), e.name, e.district);
            }
        }
        let _ = tokio::signal::ctrl_c().await;
        running.stop().await;
        ExitCode::SUCCESS
    })
}
