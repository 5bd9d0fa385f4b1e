//! Command-line tasks: `cargo loco task <name> key:value …`.
use loco_rs::task::Tasks;

pub mod admin;
pub mod bulk;
pub mod demo;
pub mod reputation;
pub mod rerender;
pub mod sessions;

pub fn register(tasks: &mut Tasks) {
    tasks.register(admin::MakeAdmin);
    tasks.register(sessions::Purge);
    tasks.register(demo::SeedDemo);
    tasks.register(bulk::SeedBulk);
    tasks.register(reputation::Verify);
    tasks.register(reputation::Rebuild);
    tasks.register(rerender::Rerender);
}
