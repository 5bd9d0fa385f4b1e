//! Flagging posts: POST `/questions/{id}/flag`, `/answers/{id}/flag`,
//! `/reviews/{id}/flag` with `reason` (and `note`).
use loco_rs::prelude::*;

use crate::{
    admin::flags::{self, FlagError, FlagParams},
    limits::{self, PostKind},
    settings::Settings,
    votes::{self, Kind as Post, Target, Votes},
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        Id, Member,
    },
};

/// Which kind of post a route flags.
trait Flaggable {
    const KIND: Post;
}

struct OnQuestion;
struct OnAnswer;
struct OnReview;

impl Flaggable for OnQuestion {
    const KIND: Post = Post::Question;
}
impl Flaggable for OnAnswer {
    const KIND: Post = Post::Answer;
}
impl Flaggable for OnReview {
    const KIND: Post = Post::Review;
}

/// Flags the post and returns to it with a message. Generic over the kind
/// of post (so without `#[debug_handler]`); the routes instantiate it.
async fn flag<K: Flaggable>(
    Member(me): Member,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<FlagParams>,
) -> Result<Response> {
    let target = Target { kind: K::KIND, id };
    let limits = &Settings::get(&ctx).limits;
    let poster = me.actor().poster();
    limits::post(&ctx.db, limits, PostKind::Flag, poster)
        .await?
        .ok()?;
    let created = flags::create(&ctx.db, &Votes::get(&ctx), me.actor(), target, &form).await;
    if created.is_err() {
        limits::post_refund(&ctx.db, limits, PostKind::Flag, poster).await?;
    }
    let back = votes::back_url(&ctx.db, target).await?;
    match created {
        Ok(_) => Ok(flash::redirect(&back, Kind::Success, "flash-flagged")),
        Err(FlagError::NotFound) => Err(AppError::not_found()),
        Err(err @ (FlagError::Db(_) | FlagError::Review(_))) => Err(err.into()),
        Err(err) => Ok(flash::redirect(&back, Kind::Warning, err.key())),
    }
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/questions/{id}/flag", post(flag::<OnQuestion>))
        .add("/answers/{id}/flag", post(flag::<OnAnswer>))
        .add("/reviews/{id}/flag", post(flag::<OnReview>))
}
