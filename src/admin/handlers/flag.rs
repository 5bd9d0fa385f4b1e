//! Flagging: POST `/questions/{id}/flag`, `/answers/{id}/flag`,
//! `/reviews/{id}/flag` and `/comments/{id}/flag` with `reason` (and
//! `note`).
use loco_rs::prelude::*;

use crate::{
    admin::flags::{self, FlagError, FlagParams, Flagged},
    limits::{self, PostKind},
    settings::Settings,
    votes::{Kind as Post, Target, Votes},
    web::{
        error::{AppError, Result},
        flash::{self, Kind},
        Id, Member,
    },
};

/// Which kind of thing a route flags.
trait Flaggable {
    fn target(id: i64) -> Flagged;
}

struct OnQuestion;
struct OnAnswer;
struct OnReview;
struct OnComment;

impl Flaggable for OnQuestion {
    fn target(id: i64) -> Flagged {
        Flagged::Post(Target {
            kind: Post::Question,
            id,
        })
    }
}
impl Flaggable for OnAnswer {
    fn target(id: i64) -> Flagged {
        Flagged::Post(Target {
            kind: Post::Answer,
            id,
        })
    }
}
impl Flaggable for OnReview {
    fn target(id: i64) -> Flagged {
        Flagged::Post(Target {
            kind: Post::Review,
            id,
        })
    }
}
impl Flaggable for OnComment {
    fn target(id: i64) -> Flagged {
        Flagged::Comment(id)
    }
}

/// Flags the post or comment and returns to it with a message. Generic
/// over what is flagged (so without `#[debug_handler]`); the routes
/// instantiate it.
async fn flag<K: Flaggable>(
    Member(me): Member,
    State(ctx): State<AppContext>,
    Id(id): Id,
    Form(form): Form<FlagParams>,
) -> Result<Response> {
    let target = K::target(id);
    let limits = &Settings::get(&ctx).limits;
    let poster = me.actor().poster();
    limits::post(&ctx.db, limits, PostKind::Flag, poster)
        .await?
        .ok()?;
    let created = flags::create(&ctx.db, &Votes::get(&ctx), me.actor(), target, &form).await;
    if created.is_err() {
        limits::post_refund(&ctx.db, limits, PostKind::Flag, poster).await?;
    }
    let back = match target {
        Flagged::Post(post) => Some(crate::votes::back_url(&ctx.db, post).await?),
        Flagged::Comment(_) => target.url(&ctx.db).await?,
    };
    let Some(back) = back else {
        return Err(AppError::not_found());
    };
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
        .add("/comments/{id}/flag", post(flag::<OnComment>))
}
