//! The question page's read: the question with what its header shows in
//! one statement ([`Model::find_shown`]), then its answers, comments and
//! the questions near it ([`Model::page`]).
use sea_orm::{ConnectionTrait, DatabaseBackend, FromQueryResult};

use super::{near, Column, Model, Near, RelatedCache};
use crate::{
    db::{entities::question_tags, DbResult, Sql},
    forum::{answers, comments},
    users::{Actor, Author},
    votes,
};

/// Everything the question page shows, read in a constant number of
/// queries: the question's author, tags and whether the viewer follows it
/// (one query), its answers with their authors, the comments of all of
/// them with the viewer's comment votes, and the viewer's votes.
#[derive(Debug, Clone)]
pub struct PageData {
    pub author: Author,
    pub tags: Vec<String>,
    pub following: bool,
    /// Who edited it last (when it was edited).
    pub editor: Option<String>,
    /// Close (or, when closed, reopen) votes so far, and whether the viewer
    /// cast one.
    pub close_votes: i64,
    pub my_close_vote: bool,
    /// The original, when this is a duplicate: (url, title).
    pub original: Option<(String, String)>,
    /// Duplicates of this question, then questions with similar titles.
    pub near: Vec<Near>,
    pub answers: Vec<answers::AnswerRow>,
    pub comments: Vec<comments::CommentRow>,
    /// The viewer's votes: (kind, id) → "up" / "down".
    pub mine: std::collections::HashMap<(i16, i64), &'static str>,
}

/// What the question page reads around a question: its author, its tags
/// (space-separated, in name order), whether the viewer follows it, its editor, the close
/// or reopen votes, the question it duplicates, whether any question
/// duplicates it and the viewer's vote.
#[derive(Debug, FromQueryResult)]
pub struct Around {
    username: String,
    reputation: i64,
    avatar: Option<String>,
    tags: Option<String>,
    following: bool,
    editor: Option<String>,
    close_votes: i64,
    my_close_vote: bool,
    original_id: Option<i64>,
    original_slug: Option<String>,
    original_title: Option<String>,
    /// A live question is closed as a duplicate of this one: most have
    /// none, and then their list needs no statement of its own.
    duplicated: bool,
    my_vote: Option<i16>,
}

/// The question's columns as `q.col, …` (not `q.*`: on PostgreSQL the
/// table also holds the search document, which a page never reads).
static QUESTION_COLUMNS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use sea_orm::{IdenStatic, Iterable};
    Column::iter()
        .map(|c| format!("q.{}", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
});

/// The question `id` and, in the same row, its [`Around`] as `viewer`
/// sees it (a question's author always exists: deleting a user deletes
/// their questions). No `?` in a literal: `Sql` numbers them on PostgreSQL.
fn shown_statement(backend: DatabaseBackend, id: i64, viewer: Option<i64>) -> sea_orm::Statement {
    let viewer = sea_orm::Value::from(viewer.unwrap_or(0));
    let mut q = Sql::new("SELECT ");
    q.push(QUESTION_COLUMNS.as_str())
        .push(", u.username, u.reputation, u.avatar, ")
        .push(question_tags::names_of_q(backend))
        .push(" AS tags, ")
        .push_bind(
            "EXISTS (SELECT 1 FROM follows f WHERE f.question_id = q.id AND f.user_id = ?) AS following, \
             e.username AS editor, \
             (SELECT COUNT(*) FROM close_votes cv WHERE cv.question_id = q.id AND cv.action = \
             CASE WHEN q.closed_at IS NULL THEN 'close' ELSE 'reopen' END) AS close_votes, \
             EXISTS (SELECT 1 FROM close_votes cv WHERE cv.question_id = q.id AND cv.action = \
             CASE WHEN q.closed_at IS NULL THEN 'close' ELSE 'reopen' END AND cv.user_id = ?) \
             AS my_close_vote, o.id AS original_id, o.slug AS original_slug, o.title AS original_title, \
             EXISTS (SELECT 1 FROM questions d WHERE d.duplicate_of = q.id AND d.deleted_at IS NULL) \
             AS duplicated, (SELECT mv.value FROM votes mv WHERE mv.user_id = ? AND mv.target_kind = ? AND mv.target_id = q.id) \
             AS my_vote FROM questions q JOIN users u ON u.id = q.user_id \
             LEFT JOIN users e ON e.id = q.edited_by \
             LEFT JOIN questions o ON o.id = q.duplicate_of AND o.deleted_at IS NULL WHERE q.id = ?",
            [
                viewer.clone(),
                viewer.clone(),
                viewer,
                sea_orm::Value::from(votes::QUESTION),
                sea_orm::Value::from(id),
            ],
        );
    q.build(backend)
}

impl Model {
    /// What the page reads around this question when it was not read with
    /// it (an answer's preview or refusal); a placeholder author when the
    /// question went in between.
    async fn around(&self, db: &impl ConnectionTrait, viewer: Option<i64>) -> DbResult<Around> {
        let stmt = shown_statement(db.get_database_backend(), self.id, viewer);
        Ok(Around::find_by_statement(stmt)
            .one(db)
            .await?
            .unwrap_or(Around {
                username: "?".into(),
                reputation: 0,
                avatar: None,
                tags: None,
                following: false,
                editor: None,
                close_votes: 0,
                my_close_vote: false,
                original_id: None,
                original_slug: None,
                original_title: None,
                duplicated: false,
                my_vote: None,
            }))
    }

    /// The question `id` as `viewer` may see it (as [`Self::find_visible`])
    /// with what its page reads around it, in one statement: the question
    /// page's first read, so a view runs one statement fewer.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_shown(
        db: &impl ConnectionTrait,
        id: i64,
        viewer: Option<&Actor>,
    ) -> DbResult<Option<(Self, Around)>> {
        let stmt = shown_statement(db.get_database_backend(), id, viewer.map(|v| v.id));
        let Some(row) = db.query_one_raw(stmt).await? else {
            return Ok(None);
        };
        let question = Self::from_query_result(&row, "")?;
        if !question.visible_to(viewer) {
            return Ok(None);
        }
        Ok(Some((question, Around::from_query_result(&row, "")?)))
    }

    /// What the question page shows with this question (see [`PageData`]);
    /// `around` when [`Self::find_shown`] read it with the question, read
    /// here otherwise.
    ///
    /// # Errors
    /// On database errors.
    pub async fn page(
        &self,
        db: &impl ConnectionTrait,
        related: &RelatedCache,
        viewer: Option<&Actor>,
        all_comments: bool,
        around: Option<Around>,
    ) -> DbResult<PageData> {
        let viewer_id = viewer.map(|v| v.id);
        let around = match around {
            Some(around) => around,
            None => self.around(db, viewer_id).await?,
        };
        let tags: Vec<String> = around
            .tags
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let staff = viewer.is_some_and(Actor::is_staff);
        let answers = answers::Model::for_question(db, self.id, staff, viewer_id).await?;
        let comments = comments::for_question(db, self.id, viewer_id, all_comments).await?;
        let mine = around
            .my_vote
            .map(|v| ((votes::QUESTION, self.id), v))
            .into_iter()
            .chain(
                answers
                    .iter()
                    .filter_map(|a| a.my_vote.map(|v| ((votes::ANSWER, a.id), v))),
            )
            .map(|(target, v)| (target, votes::Direction::from_value(v).as_str()))
            .collect();
        let near = near(db, related, self.id, &self.title, around.duplicated).await?;
        let original = match (
            around.original_id,
            around.original_slug,
            around.original_title,
        ) {
            (Some(id), Some(slug), Some(title)) => Some((format!("/questions/{id}/{slug}"), title)),
            _ => None,
        };
        Ok(PageData {
            author: Author::new(
                &around.username,
                around.reputation,
                around.avatar.as_deref(),
            ),
            tags,
            following: around.following,
            editor: around.editor,
            close_votes: around.close_votes,
            my_close_vote: around.my_close_vote,
            original,
            near,
            answers,
            comments,
            mine,
        })
    }
}
