use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use yiqifu_central::cli::{AppealCmd, ReviewCmd};
use yiqifu_central::seed::{
    DEMO_ENTERPRISES, DEMO_PASSWORD, DEMO_REVIEWER, DEMO_REVIEWER_PASSWORD,
};
use yiqifu_central::{start, Config};

/// The Yiqifu central service (复工复产服务专窗中央服务). Without a subcommand it serves.
#[derive(Debug, Parser)]
#[command(name = "yiqifu-central", version)]
struct Cli {
    /// The database: a SQLite file, created when missing, or a PostgreSQL server's URL
    /// (`postgres://user:password@host:5432/yiqifu`).
    #[arg(long, global = true, default_value = "yiqifu-central.sqlite")]
    db: PathBuf,
    /// Where uploaded files are kept: a folder, or an S3-compatible bucket
    /// (`s3://bucket/prefix`, with its endpoint, region and keys in the AWS_* environment
    /// variables). Beside a SQLite file unless given; required with PostgreSQL, and the same
    /// for every service process against one database.
    #[arg(long)]
    uploads: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8650")]
    addr: SocketAddr,
    /// Seed the demo catalog, demo enterprises and the demo reviewer into an empty database.
    #[arg(long)]
    demo: bool,
    /// Add this many synthetic policies (for benchmarks).
    #[arg(long, default_value_t = 0)]
    scale: usize,
    /// Who the reviewer commands act as, for the timeline.
    #[arg(long = "as", global = true, default_value = "cli")]
    actor: String,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Move applications through the review workflow.
    #[command(subcommand)]
    Review(ReviewCmd),
    /// Handle appeals (诉求).
    #[command(subcommand)]
    Appeal(AppealCmd),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("yiqifu-central: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let database = yiqifu_central::Database::from_arg(&cli.db);
    runtime.block_on(async {
        let actor = format!("reviewer:{}", cli.actor);
        let outcome = match cli.command {
            Some(Command::Review(cmd)) => {
                Some(yiqifu_central::cli::review(&database, &actor, cmd).await)
            }
            Some(Command::Appeal(cmd)) => {
                Some(yiqifu_central::cli::appeal(&database, &actor, cmd).await)
            }
            None => None,
        };
        if let Some(outcome) = outcome {
            return match outcome {
                Ok(text) => {
                    if !text.is_empty() {
                        println!("{text}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("yiqifu-central: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        let running = match start(Config {
            addr: cli.addr,
            database: database.clone(),
            uploads: cli
                .uploads
                .as_deref()
                .map(yiqifu_central::Uploads::from_arg),
            demo: cli.demo,
            scale: cli.scale,
            durability: Default::default(),
            body_idle: yiqifu_central::BODY_IDLE,
            header_read: yiqifu_central::HEADER_READ,
        })
        .await
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!(
                    "yiqifu-central: cannot serve on {} with database {}: {e}",
                    cli.addr,
                    database.describe()
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
            println!("demo reviewer: {DEMO_REVIEWER} / {DEMO_REVIEWER_PASSWORD}");
        }
        let _ = tokio::signal::ctrl_c().await;
        running.stop().await;
        ExitCode::SUCCESS
    })
}
