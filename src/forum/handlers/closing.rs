//! Closing and reopening: POST `/questions/{id}/close` with `reason` (and
//! `duplicate_of`, a question's id or address, for duplicates) and POST
//! `/questions/{id}/reopen`.
use axum::{debug_handler, http::HeaderMap};
use loco_rs::prelude::*;
use serde::Deserialize;

use crate::{
    forum::{
        closing::{self, Outcome, Reason, Request, Thresholds},
        questions,
    },
    votes::Votes,
    web::{
        auth::wants_json_headers,
        error::{AppError, Result},
        flash::{self, Kind},
        CurrentUser, Id,
    },
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CloseForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    duplicate_of: String,
}

/// A question named by its id or its address (`/questions/12/…`, or the
/// full URL).
fn question_ref(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    if let Some(id) = crate::web::ids::parse(raw) {
        return Some(id);
    }
    let rest = &raw[raw.find("/questions/")? + "/questions/".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    crate::web::ids::parse(&digits)
}

fn thresholds(ctx: &AppContext) -> Thresholds {
    let settings = Votes::get(ctx).rules().settings().clone();
    Thresholds {
        min: settings.close_min,
        votes: settings.close_votes,
    }
}

async fn answer(
    ctx: &AppContext,
    headers: &HeaderMap,
    id: i64,
    outcome: Outcome,
) -> Result<Response> {
    let question = questions::Model::find_live(&ctx.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if wants_json_headers(headers) {
        let (votes, needed) = match outcome {
            Outcome::Counted { votes, needed } => (votes, needed),
            _ => (0, 0),
        };
        return crate::web::json(serde_json::json!({
            "closed": question.closed_at.is_some(),
            "votes": votes,
            "needed": needed,
        }));
    }
    let key = match outcome {
        Outcome::Counted { .. } => "flash-close-vote-counted",
        Outcome::Closed => "flash-question-closed",
        Outcome::Reopened => "flash-question-reopened",
    };
    Ok(flash::redirect(&question.url(), Kind::Success, key))
}

#[debug_handler]
async fn close(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    Id(id): Id,
    Form(form): Form<CloseForm>,
) -> Result<Response> {
    let reason = Reason::parse(&form.reason).ok_or(AppError::bad_request("unknown reason"))?;
    let duplicate_of = if reason == Reason::Duplicate {
        Some(question_ref(&form.duplicate_of).ok_or(crate::forum::Error::BadDuplicate)?)
    } else {
        None
    };
    let request = Request::Close {
        reason,
        duplicate_of,
    };
    let outcome = closing::vote(&ctx.db, me.actor(), id, request, thresholds(&ctx)).await?;
    answer(&ctx, &headers, id, outcome).await
}

#[debug_handler]
async fn reopen(
    me: CurrentUser,
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Response> {
    let outcome = closing::vote(&ctx.db, me.actor(), id, Request::Reopen, thresholds(&ctx)).await?;
    answer(&ctx, &headers, id, outcome).await
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/questions/{id}/close", post(close))
        .add("/questions/{id}/reopen", post(reopen))
}

#[cfg(test)]
mod tests {
    use super::question_ref;

    #[test]
    fn duplicates_are_named_by_id_or_address() {
        assert_eq!(question_ref(" 12 "), Some(12));
        assert_eq!(question_ref("/questions/34/some-slug"), Some(34));
        assert_eq!(
            question_ref("https://forum.example/questions/56/x?y#z"),
            Some(56)
        );
        for junk in ["", "abc", "/questions/", "/questions/x", "-1"] {
            assert_eq!(question_ref(junk), None, "{junk}");
        }
    }
}
