use std::os::unix::process::CommandExt;

use loco_rs::cli;
use migration::Migrator;
use nightcoder::app::App;

/// mimalloc, not glibc's malloc: under load glibc's per-thread arenas
/// kept 115 MiB resident after the page benchmark, and malloc and free
/// were the largest items of the flame graph.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> loco_rs::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    // loco's own `--version` names loco's version; operators want ours
    if matches!(
        args.get(1).map(String::as_str),
        Some("--version" | "-V" | "version")
    ) {
        println!("nightcoder {}", env!("CARGO_PKG_VERSION"));
        return Ok(());
    }
    // `start` is quiet unless asked: the banner only with `--banner`. The
    // process replaces itself (same pid, so Docker's signals still reach
    // it) with loco's own `--no-banner` added.
    const MARK: &str = "NIGHTCODER_BANNER_DECIDED";
    if args.get(1).map(String::as_str) == Some("start")
        && !args.iter().any(|a| a == "--no-banner")
        && std::env::var_os(MARK).is_none()
    {
        let wants_banner = args.iter().any(|a| a == "--banner");
        let mut rest: Vec<&String> = args[1..].iter().filter(|a| *a != "--banner").collect();
        let no_banner = "--no-banner".to_string();
        if !wants_banner {
            rest.push(&no_banner);
        }
        let err = std::process::Command::new(std::env::current_exe()?)
            .args(rest)
            .env(MARK, "1")
            .exec();
        return Err(loco_rs::Error::Message(format!(
            "restarting quietly: {err}"
        )));
    }
    cli::main::<App, Migrator>().await
}
