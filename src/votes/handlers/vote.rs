//! One vote handler for every kind of post: POST `/questions/{id}/vote`,
//! `/answers/{id}/vote` and `/reviews/{id}/vote` with `direction` = up|down.
//! Without JavaScript the form posts and the user comes back to the post
//! (303, anchor kept); with it, the vote script asks for JSON and updates
//! the widget in place.
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{
    i18n::{t, t_args, Arg, Lang},
    limits,
    settings::Settings,
    votes::{
        self,
        repository::{VoteRepository, VoteTx},
        Direction, Kind as PostKind, Target, VoteError, VoteOutcome, Votes,
    },
    web::{
        auth::wants_json_headers,
        error::{AppError, Result},
        error_pages::json_error,
        flash::{self, Kind},
        Id, Member,
    },
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VoteForm {
    #[serde(default)]
    direction: String,
}

/// Which kind of post a route votes on.
trait Votable {
    const KIND: PostKind;
}

struct OnQuestion;
struct OnAnswer;
struct OnReview;

impl Votable for OnQuestion {
    const KIND: PostKind = PostKind::Question;
}
impl Votable for OnAnswer {
    const KIND: PostKind = PostKind::Answer;
}
impl Votable for OnReview {
    const KIND: PostKind = PostKind::Review;
}

fn status_of(err: &VoteError) -> StatusCode {
    match err {
        VoteError::NotFound => StatusCode::NOT_FOUND,
        VoteError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::FORBIDDEN,
    }
}

fn refusal(lang: Lang, err: &VoteError) -> String {
    match err {
        VoteError::NotEnoughReputation { needed } => t_args(
            lang,
            "vote-error-reputation-needed",
            &[("needed", Arg::Num(*needed))],
        ),
        other => t(lang, other.key()),
    }
}

/// Casts the vote and counts it against the voter's daily limit in the
/// same transaction (the store counts it with the vote's reads): a
/// refused vote (own post, too little reputation) counts nothing, and a
/// vote over the limit writes nothing.
async fn cast_counted(
    ctx: &AppContext,
    voter: i64,
    target: Target,
    direction: Direction,
) -> Result<Result<VoteOutcome, VoteError>> {
    let votes = Votes::get(ctx);
    let mut tx = votes.repo().begin().await?;
    // read once the transaction has begun (SQLite may have waited for it)
    let tick = limits::Tick::vote(&Settings::get(ctx).limits, voter);
    let day = Utc::now().date_naive();
    let outcome = match votes
        .cast_in(&mut tx, voter, target, direction, day, Some(&tick))
        .await
    {
        Ok(outcome) => outcome,
        Err(VoteError::Db(e)) => return Err(e.into()),
        Err(refused) => return Ok(Err(refused)),
    };
    // the SQL store counts every tick it is given; only the in-memory
    // store of the rule tests counts none, and it never serves this route
    let hits = outcome
        .ticked
        .ok_or_else(|| AppError::internal("the vote store counted no daily-limit tick"))?;
    tick.decide(hits).ok()?;
    tx.commit().await?;
    // after the commit and outside the vote: on PostgreSQL a failed
    // statement inside would abort the transaction and lose the vote
    limits::sweep_now_and_then(&ctx.db).await;
    metrics::counter!("nightcoder_votes_total").increment(1);
    Ok(Ok(outcome))
}

/// Casts the vote and answers in the form the client asked for. Generic
/// over the kind of post, so `#[debug_handler]` cannot check it; the three
/// routes below instantiate it.
async fn vote<K: Votable>(
    Member(me): Member,
    lang: Lang,
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<VoteForm>,
) -> Result<Response> {
    let target = Target { kind: K::KIND, id };
    let json = wants_json_headers(&headers);
    let Some(direction) = Direction::parse(&form.direction) else {
        if json {
            let message = t(lang, "vote-error-direction");
            return Ok(json_error(StatusCode::BAD_REQUEST, message));
        }
        return Err(AppError::bad_request("direction must be up or down"));
    };
    let result = cast_counted(&ctx, me.id, target, direction).await?;
    match (result, json) {
        (Ok(VoteOutcome { tally, mine, .. }), true) => crate::web::json(serde_json::json!({
            "score": tally.score(),
            "up": tally.up,
            "down": tally.down,
            "user_vote": mine.map(Direction::as_str),
        })),
        (Ok(_), false) => {
            let back = votes::back_url(&ctx.db, target).await?;
            Ok(axum::response::Redirect::to(&back).into_response())
        }
        (Err(VoteError::Db(e)), _) => Err(e.into()),
        (Err(err), true) => Ok(json_error(status_of(&err), refusal(lang, &err))),
        (Err(VoteError::NotFound), false) => Err(AppError::not_found()),
        (Err(err), false) => Ok(flash::redirect(
            &votes::back_url(&ctx.db, target).await?,
            Kind::Danger,
            err.key(),
        )),
    }
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/questions/{id}/vote", post(vote::<OnQuestion>))
        .add("/answers/{id}/vote", post(vote::<OnAnswer>))
        .add("/reviews/{id}/vote", post(vote::<OnReview>))
}
