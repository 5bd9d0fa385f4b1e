//! Flagging posts: POST `/questions/{id}/flag`, `/answers/{id}/flag`,
//! `/reviews/{id}/flag` with `reason` (and `note`).
use axum::debug_handler;
use loco_rs::prelude::*;

use crate::web::error::Result;

use crate::{
    controllers::{questions::parse_id, votes::back_url},
    models::flags::{self, FlagParams},
    votes::{Target, Votes},
    web::{
        auth::Member,
        flash::{self, Kind},
        CurrentUser, Page,
    },
};
use crate::{
    limits::{self, PostKind},
    settings::Settings,
};

async fn flag(
    ctx: &AppContext,
    v: &TeraView,
    page: &Page,
    me: &CurrentUser,
    target: Option<Target>,
    form: &FlagParams,
) -> Result<Response> {
    let Some(target) = target else {
        return page.not_found(v);
    };
    let limits = &Settings::get(ctx).limits;
    limits::post(&ctx.db, limits, PostKind::Flag, me.poster())
        .await?
        .ok()?;
    let created = flags::create(&ctx.db, &Votes::get(ctx), me, target, form).await?;
    if created.is_err() {
        limits::post_refund(&ctx.db, limits, PostKind::Flag, me.poster()).await?;
    }
    match created {
        Ok(_) => Ok(flash::redirect(
            &back_url(ctx, target).await?,
            Kind::Success,
            "flash-flagged",
        )),
        Err(flags::FlagError::NotFound) => page.not_found(v),
        Err(err) => Ok(flash::redirect(
            &back_url(ctx, target).await?,
            Kind::Warning,
            err.key(),
        )),
    }
}

/// One handler per post kind: the same form, a different target.
macro_rules! flag_handler {
    ($name:ident, $target:path) => {
        #[debug_handler]
        async fn $name(
            ViewEngine(v): ViewEngine<TeraView>,
            Member(me): Member,
            page: Page,
            State(ctx): State<AppContext>,
            Path(id): Path<String>,
            Form(form): Form<FlagParams>,
        ) -> Result<Response> {
            flag(&ctx, &v, &page, &me, parse_id(&id).map($target), &form).await
        }
    };
}

flag_handler!(question, Target::question);
flag_handler!(answer, Target::answer);
flag_handler!(review, Target::review);

pub fn routes() -> Routes {
    Routes::new()
        .add("/questions/{id}/flag", post(question))
        .add("/answers/{id}/flag", post(answer))
        .add("/reviews/{id}/flag", post(review))
}
