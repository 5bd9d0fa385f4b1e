use loco_rs::cli;
use migration::Migrator;
use nightcoder::app::App;

#[tokio::main]
async fn main() -> loco_rs::Result<()> {
    // loco's own `--version` names loco's version; operators want ours
    if matches!(
        std::env::args().nth(1).as_deref(),
        Some("--version" | "-V" | "version")
    ) {
        println!("nightcoder {}", env!("CARGO_PKG_VERSION"));
        return Ok(());
    }
    cli::main::<App, Migrator>().await
}
