//! Answers: create, edit, accept, and the list under a question.
use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{
    prelude::DateTimeWithTimeZone, ActiveValue::Set, DatabaseTransaction, FromQueryResult, Value,
};
use serde::{Deserialize, Serialize};

use super::{questions, Error};
pub use crate::db::entities::answers::{self, ActiveModel, Column, Entity, Model};
use crate::revisions::EditBy;
use crate::{
    audit::{self, Action, Subject},
    counters,
    db::{DbResult, Sql},
    markdown,
    notifications::{self, follows, Kind},
    revisions, search,
    users::{self, Actor},
    votes::{self, Reason, Target, Votes},
};

/// The answer form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerParams {
    #[serde(default)]
    pub body: String,
    /// The edit summary (edits only).
    #[serde(default)]
    pub summary: String,
    /// Set by the Preview button: show the rendered body, save nothing.
    #[serde(default)]
    pub preview: String,
}

/// What a POST to accept did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptOutcome {
    Accepted,
    Unaccepted,
}

/// An answer with its author, for the question page.
#[derive(Debug, Clone, FromQueryResult)]
pub struct AnswerRow {
    pub id: i64,
    pub body_html: String,
    pub score: i32,
    pub up_count: i32,
    pub down_count: i32,
    pub is_accepted: bool,
    pub created_at: DateTimeWithTimeZone,
    pub edited_at: Option<DateTimeWithTimeZone>,
    pub deleted_at: Option<DateTimeWithTimeZone>,
    pub user_id: i64,
    pub author_name: String,
    pub author_reputation: i64,
    pub author_avatar: Option<String>,
    pub editor_name: Option<String>,
    /// The viewer's vote on the answer (`votes.value`), when there is one.
    pub my_vote: Option<i16>,
}

impl Model {
    #[must_use]
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    /// Owners edit their own answers while the question is open; staff edit
    /// anything.
    #[must_use]
    pub fn can_edit(&self, user: &Actor, question: &questions::Model) -> bool {
        user.is_staff()
            || (user.id == self.user_id
                && !self.is_deleted()
                && !question.is_locked()
                && !question.is_deleted())
    }

    /// A live answer under a live question, with that question.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_live(
        db: &impl ConnectionTrait,
        id: i64,
    ) -> DbResult<Option<(Self, questions::Model)>> {
        let Some(answer) = Entity::find_by_id(id)
            .filter(Column::DeletedAt.is_null())
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let question = questions::Model::find_live(db, answer.question_id).await?;
        Ok(question.map(|q| (answer, q)))
    }

    /// Posts an answer to question `question_id`: the answerer follows the
    /// question from now on; the asker, the followers and the people the
    /// answer mentions are notified, all in one transaction.
    ///
    /// # Errors
    /// `NotFound` for a missing or deleted question, `Locked` for a locked one.
    pub async fn create(
        db: &DatabaseConnection,
        question_id: i64,
        author_id: i64,
        body: String,
        body_html: String,
    ) -> Result<Self, Error> {
        let txn = crate::db::write_txn(db).await?;
        let question = questions::Model::lock(&txn, question_id)
            .await?
            .filter(|q| !q.is_deleted())
            .ok_or(Error::NotFound)?;
        if question.is_locked() {
            return Err(Error::Locked);
        }
        if question.closed_at.is_some() {
            return Err(Error::Closed);
        }
        let mentions = users::Model::mentioned(&txn, &markdown::mention_candidates(&body)).await?;
        let body_html = if mentions.is_empty() {
            body_html
        } else {
            markdown::render_with(&body, &mentions).unwrap_or(body_html)
        };
        let now = Utc::now().fixed_offset();
        let answer = ActiveModel {
            question_id: Set(question_id),
            user_id: Set(author_id),
            body: Set(body),
            body_html: Set(body_html),
            score: Set(0),
            up_count: Set(0),
            down_count: Set(0),
            is_accepted: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        Sql::new("UPDATE questions SET answer_count = answer_count + 1, last_activity_at = ? WHERE id = ?")
            .push_bind("", [Value::from(now), Value::from(question_id)])
            .execute(&txn)
            .await?;
        search::reindex_question(&txn, question_id).await?;
        counters::add(&txn, counters::ANSWERS, 1).await?;
        users::post_counts::add(&txn, author_id, 0, 1).await?;
        follows::follow(&txn, author_id, question_id).await?;
        let content = revisions::Content {
            body: answer.body.clone(),
            ..Default::default()
        };
        let change = revisions::Change {
            post: revisions::Post::Answer(answer.id),
            kind: revisions::Kind::Create,
            user_id: author_id,
            content: &content,
            summary: None,
            rolled_back_to: None,
        };
        revisions::record(&txn, &change).await?;
        let anchor = || Some(format!("answer-{}", answer.id));
        let to_asker = question
            .note(Kind::Answer, Some(author_id), anchor())
            .group(format!("answer:{question_id}"));
        notifications::notify(&txn, &[question.user_id], &to_asker).await?;
        let to_followers = question
            .note(Kind::Followed, Some(author_id), anchor())
            .group(format!("followed:{question_id}"));
        notifications::notify_followers(&txn, question_id, &[question.user_id], &to_followers)
            .await?;
        let mention = question.note(Kind::Mention, Some(author_id), anchor());
        notifications::notify(&txn, &mentions.ids(), &mention).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Applies an edit in its own transaction (see [`apply_edit`]).
    ///
    /// # Errors
    /// On database errors.
    pub async fn update_body(
        self,
        db: &DatabaseConnection,
        by: EditBy<'_>,
        body: String,
        body_html: String,
    ) -> DbResult<Self> {
        let txn = crate::db::write_txn(db).await?;
        if questions::Model::lock(&txn, self.question_id)
            .await?
            .is_none()
        {
            return Ok(self);
        }
        let Some(current) = Entity::find_by_id(self.id).one(&txn).await? else {
            return Ok(self);
        };
        let answer = apply_edit(&txn, current, by, body, body_html).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// The answers under a question, accepted first, then by score, then
    /// oldest first; one query with their authors.
    ///
    /// # Errors
    /// On database errors.
    pub async fn for_question(
        db: &impl ConnectionTrait,
        question_id: i64,
        include_deleted: bool,
        viewer: Option<i64>,
    ) -> DbResult<Vec<AnswerRow>> {
        // the viewer's votes ride along (one unique-index probe per answer)
        // rather than costing the page a query of their own
        let mut q = Sql::new(
            "SELECT a.id, a.body_html, a.score, a.up_count, a.down_count, a.is_accepted, a.created_at, \
             a.edited_at, a.deleted_at, a.user_id, u.username AS author_name, \
             u.reputation AS author_reputation, u.avatar AS author_avatar, e.username AS editor_name, \
             mv.value AS my_vote \
             FROM answers a JOIN users u ON u.id = a.user_id LEFT JOIN users e ON e.id = a.edited_by \
             LEFT JOIN votes mv ON mv.user_id = ? AND mv.target_kind = ? AND mv.target_id = a.id \
             WHERE a.question_id = ?",
        );
        q.push_bind(
            "",
            [
                Value::from(viewer.unwrap_or(0)),
                Value::from(votes::ANSWER),
                Value::from(question_id),
            ],
        );
        if !include_deleted {
            q.push(" AND a.deleted_at IS NULL");
        }
        q.push(" ORDER BY a.is_accepted DESC, a.score DESC, a.id ASC");
        AnswerRow::find_by_statement(q.build(db.get_database_backend()))
            .all(db)
            .await
    }
}

/// Accepts answer `answer_id`, or un-accepts it when it is the accepted one;
/// accepting another answer moves the mark. Only the question's owner may.
///
/// The question row is locked first, so concurrent clicks run one after the
/// other; the partial unique index on accepted answers is the backstop.
///
/// # Errors
/// `NotFound`, `Forbidden` (not the owner), `Locked`.
pub async fn toggle_accept(
    db: &DatabaseConnection,
    votes: &Votes,
    answer_id: i64,
    actor: &Actor,
) -> Result<AcceptOutcome, Error> {
    let txn = crate::db::write_txn(db).await?;
    let answer = Entity::find_by_id(answer_id)
        .filter(Column::DeletedAt.is_null())
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let question = questions::Model::lock(&txn, answer.question_id)
        .await?
        .filter(|q| !q.is_deleted())
        .ok_or(Error::NotFound)?;
    if question.user_id != actor.id {
        return Err(Error::Forbidden);
    }
    if question.is_locked() {
        return Err(Error::Locked);
    }
    // read again under the lock: another click may have changed it
    let answer = Entity::find_by_id(answer_id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let previous = question.accepted_answer_id;
    let outcome = if answer.is_accepted {
        set_accepted(&txn, question.id, None).await?;
        counters::add(&txn, counters::SOLVED, -1).await?;
        crate::votes::acceptance_changed(votes, &txn, &[answer.id], actor.id).await?;
        AcceptOutcome::Unaccepted
    } else {
        set_accepted(&txn, question.id, Some(answer.id)).await?;
        if previous.is_none() {
            counters::add(&txn, counters::SOLVED, 1).await?;
        }
        let mut moved: Vec<i64> = previous.into_iter().collect();
        moved.push(answer.id);
        crate::votes::acceptance_changed(votes, &txn, &moved, actor.id).await?;
        let note = question
            .note(
                Kind::Accepted,
                Some(actor.id),
                Some(format!("answer-{}", answer.id)),
            )
            .group(format!("accepted:{}", answer.id));
        notifications::notify(&txn, &[answer.user_id], &note).await?;
        AcceptOutcome::Accepted
    };
    txn.commit().await?;
    Ok(outcome)
}

/// Moves the accepted mark of `question_id` to `answer_id` (or clears it):
/// the old mark is removed before the new one is set, as the unique index
/// demands.
///
/// # Errors
/// On database errors.
pub async fn set_accepted(
    db: &impl ConnectionTrait,
    question_id: i64,
    answer_id: Option<i64>,
) -> Result<(), sea_orm::DbErr> {
    Sql::new("UPDATE answers SET is_accepted = ? WHERE question_id = ? AND is_accepted = ?")
        .push_bind(
            "",
            [
                Value::from(false),
                Value::from(question_id),
                Value::from(true),
            ],
        )
        .execute(db)
        .await?;
    if let Some(id) = answer_id {
        Sql::new("UPDATE answers SET is_accepted = ? WHERE id = ?")
            .push_bind("", [Value::from(true), Value::from(id)])
            .execute(db)
            .await?;
    }
    Sql::new("UPDATE questions SET accepted_answer_id = ? WHERE id = ?")
        .push_bind("", [Value::from(answer_id), Value::from(question_id)])
        .execute(db)
        .await?;
    Ok(())
}

/// Applies an edit to `answer` inside `txn` (the caller holds its
/// question's lock). Nothing is written when the body stays the same;
/// otherwise a revision records who did it, a moderator's edit is audited
/// and the author hears of someone else's edit.
///
/// # Errors
/// On database errors.
pub async fn apply_edit(
    txn: &DatabaseTransaction,
    answer: Model,
    by: EditBy<'_>,
    body: String,
    body_html: String,
) -> DbResult<Model> {
    if answer.body == body {
        return Ok(answer);
    }
    let now = Utc::now().fixed_offset();
    let question_id = answer.question_id;
    let content = revisions::Content {
        body: body.clone(),
        ..Default::default()
    };
    let mut active: ActiveModel = answer.into();
    active.body = Set(body);
    active.body_html = Set(body_html);
    active.edited_at = Set(Some(now));
    active.edited_by = Set(Some(by.editor_id));
    active.updated_at = Set(now);
    let answer = active.update(txn).await?;
    Sql::new("UPDATE questions SET last_activity_at = ? WHERE id = ?")
        .push_bind("", [Value::from(now), Value::from(question_id)])
        .execute(txn)
        .await?;
    search::reindex_question(txn, question_id).await?;
    let change = revisions::Change {
        post: revisions::Post::Answer(answer.id),
        kind: by.kind,
        user_id: by.editor_id,
        content: &content,
        summary: by.summary,
        rolled_back_to: by.rolled_back_to,
    };
    revisions::record(txn, &change).await?;
    audit::record_unless_author(
        txn,
        &audit::Entry::new(by.editor_id, Action::PostEdit, Subject::Answer, answer.id),
        answer.user_id,
    )
    .await?;
    if let Some(question) = questions::Model::find_live(txn, question_id).await? {
        let note = question
            .note(
                Kind::Edited,
                Some(by.editor_id),
                Some(format!("answer-{}", answer.id)),
            )
            .group(format!("edited:answer:{}", answer.id));
        notifications::notify(txn, &[answer.user_id], &note).await?;
    }
    Ok(answer)
}

/// Rolls answer `id` back to revision `number` (a new revision records
/// it). Only its author and staff may.
///
/// # Errors
/// `NotFound` (answer or revision), `Forbidden`.
pub async fn rollback(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    number: i32,
) -> Result<(Model, questions::Model), Error> {
    let txn = crate::db::write_txn(db).await?;
    let answer = Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let question = questions::Model::lock(&txn, answer.question_id)
        .await?
        .ok_or(Error::NotFound)?;
    let answer = Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    if !answer.can_edit(actor, &question) || !(actor.is_staff() || actor.id == answer.user_id) {
        return Err(Error::Forbidden);
    }
    let revision = revisions::get(&txn, revisions::Post::Answer(id), number)
        .await?
        .ok_or(Error::NotFound)?;
    let html = markdown::render(&revision.body).map_err(|_| Error::Forbidden)?;
    let answer = apply_edit(
        &txn,
        answer,
        EditBy::rollback(actor.id, number),
        revision.body,
        html,
    )
    .await?;
    txn.commit().await?;
    Ok((answer, question))
}

/// Soft-deletes (`deleted`) or restores answer `id` in its own transaction;
/// an accepted answer loses its mark (and the question its
/// "solved"), which a restore does not bring back; a moderator's change is audited with `reason`. Returns false
/// when there was nothing to change.
///
/// # Errors
/// On database errors.
pub async fn set_visibility(
    db: &DatabaseConnection,
    votes: &Votes,
    id: i64,
    actor_id: i64,
    deleted: bool,
    reason: &str,
) -> DbResult<bool> {
    let entry = audit::Entry::visibility(actor_id, deleted, Subject::Answer, id).reason(reason);
    audit::post_visibility(db, &entry, async |txn| {
        set_deleted(txn, votes, id, actor_id, deleted, reason).await
    })
    .await
}

/// Deletes or restores answer `id` inside `txn`; the author hears of it
/// (with `reason`) when someone else did it. Returns the author when it
/// changed something.
///
/// # Errors
/// On database errors.
pub async fn set_deleted(
    txn: &DatabaseTransaction,
    votes: &Votes,
    id: i64,
    actor_id: i64,
    deleted: bool,
    reason: &str,
) -> DbResult<Option<i64>> {
    let Some(answer) = Entity::find_by_id(id).one(txn).await? else {
        return Ok(None);
    };
    let Some(question) = questions::Model::lock(txn, answer.question_id).await? else {
        return Ok(None);
    };
    // read again under the question lock
    let Some(answer) = Entity::find_by_id(id)
        .one(txn)
        .await?
        .filter(|a| a.is_deleted() != deleted)
    else {
        return Ok(None);
    };
    let note = question
        .note(
            Kind::Moderation,
            Some(actor_id),
            Some(format!("answer-{}", answer.id)),
        )
        .detail(if deleted { "deleted" } else { "restored" })
        .reason(reason);
    notifications::notify(txn, &[answer.user_id], &note).await?;
    let now = Utc::now().fixed_offset();
    if deleted && answer.is_accepted {
        set_accepted(txn, question.id, None).await?;
        crate::votes::acceptance_changed(votes, txn, &[answer.id], actor_id).await?;
        if !question.is_deleted() {
            counters::add(txn, counters::SOLVED, -1).await?;
        }
    }
    let sign: i32 = if deleted { -1 } else { 1 };
    let mut active: ActiveModel = answer.clone().into();
    active.deleted_at = Set(deleted.then_some(now));
    active.deleted_by = Set(deleted.then_some(actor_id));
    active.is_accepted = Set(false);
    active.updated_at = Set(now);
    active.update(txn).await?;
    Sql::new("UPDATE questions SET answer_count = answer_count + ? WHERE id = ?")
        .push_bind("", [Value::from(sign), Value::from(question.id)])
        .execute(txn)
        .await?;
    if !question.is_deleted() {
        counters::add(txn, counters::ANSWERS, i64::from(sign)).await?;
    }
    users::post_counts::add(txn, answer.user_id, 0, i64::from(sign)).await?;
    search::reindex_question(txn, question.id).await?;
    let reason = if deleted {
        Reason::PostDeleted
    } else {
        Reason::PostRestored
    };
    crate::votes::post_visibility_changed(votes, txn, Target::answer(answer.id), reason, actor_id)
        .await?;
    Ok(Some(answer.user_id))
}

/// An answer in a user's list, with the question it answers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnswerSummary {
    pub url: String,
    pub title: String,
    pub score: i32,
    pub accepted: bool,
    pub ts: i64,
}

#[derive(Debug, Clone, FromQueryResult)]
struct UserAnswerRow {
    id: i64,
    score: i32,
    is_accepted: bool,
    created_at: DateTimeWithTimeZone,
    question_id: i64,
    question_title: String,
    question_slug: String,
}

/// The latest live answers of `user_id` under live questions.
///
/// # Errors
/// On database errors.
pub async fn latest_by_user(
    db: &impl ConnectionTrait,
    user_id: i64,
    limit: u64,
) -> DbResult<Vec<AnswerSummary>> {
    let mut q = Sql::new(
        "SELECT a.id, a.score, a.is_accepted, a.created_at, q.id AS question_id, q.title AS question_title, \
         q.slug AS question_slug FROM answers a JOIN questions q ON q.id = a.question_id \
         WHERE a.user_id = ? AND a.deleted_at IS NULL AND q.deleted_at IS NULL ORDER BY a.id DESC LIMIT ?",
    );
    q.push_bind("", [Value::from(user_id), Value::from(limit as i64)]);
    Ok(
        UserAnswerRow::find_by_statement(q.build(db.get_database_backend()))
            .all(db)
            .await?
            .into_iter()
            .map(|a| AnswerSummary {
                url: format!(
                    "/questions/{}/{}#answer-{}",
                    a.question_id, a.question_slug, a.id
                ),
                title: a.question_title,
                score: a.score,
                accepted: a.is_accepted,
                ts: a.created_at.timestamp(),
            })
            .collect(),
    )
}
