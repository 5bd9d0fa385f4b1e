//! Tags: lower-case names `[a-z0-9+#.-]{1,32}`, created on first use, with a
//! cached question count.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Value,
};

use crate::db::entities::question_tags;
pub use crate::db::entities::tags::{self, ActiveModel, Column, Entity, Model};
use crate::db::Sql;

/// Most tags per question.
pub const MAX_TAGS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagError {
    Required,
    TooMany,
    Invalid,
}

impl TagError {
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Required => "error-tags-required",
            Self::TooMany => "error-tags-too-many",
            Self::Invalid => "error-tag-invalid",
        }
    }
}

/// True for a valid tag name.
#[must_use]
pub fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'#' | b'.' | b'-')
        })
}

/// Splits the tags field (spaces or commas), lower-cases, removes
/// duplicates (keeping the first order) and validates.
///
/// # Errors
/// None given, more than five, or a malformed name.
pub fn parse(input: &str) -> Result<Vec<String>, TagError> {
    let mut out: Vec<String> = Vec::new();
    for raw in input.split(|c: char| c.is_whitespace() || c == ',') {
        if raw.is_empty() {
            continue;
        }
        let name = raw.to_lowercase();
        if !valid_name(&name) {
            return Err(TagError::Invalid);
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    match out.len() {
        0 => Err(TagError::Required),
        n if n > MAX_TAGS => Err(TagError::TooMany),
        _ => Ok(out),
    }
}

/// The tags named, created if missing (insert-or-nothing, then one read).
///
/// # Errors
/// On database errors.
pub async fn ensure(db: &impl ConnectionTrait, names: &[String]) -> Result<Vec<Model>, DbErr> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let now = Utc::now().fixed_offset();
    let rows = names.iter().map(|name| ActiveModel {
        name: Set(name.clone()),
        question_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    });
    Entity::insert_many(rows)
        .on_conflict(OnConflict::column(Column::Name).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Entity::find()
        .filter(Column::Name.is_in(names.to_vec()))
        .all(db)
        .await
}

/// Links `question_id` to `tags` and bumps their counts.
///
/// # Errors
/// On database errors.
pub async fn attach(
    db: &impl ConnectionTrait,
    question_id: i64,
    tags: &[Model],
) -> Result<(), DbErr> {
    if tags.is_empty() {
        return Ok(());
    }
    let links = tags.iter().map(|t| question_tags::ActiveModel {
        question_id: Set(question_id),
        tag_id: Set(t.id),
    });
    question_tags::Entity::insert_many(links)
        .exec_without_returning(db)
        .await?;
    adjust_counts(db, tags.iter().map(|t| t.id), 1).await
}

/// Unlinks `question_id` from `tag_ids` and lowers their counts.
///
/// # Errors
/// On database errors.
pub async fn detach(
    db: &impl ConnectionTrait,
    question_id: i64,
    tag_ids: &[i64],
) -> Result<(), DbErr> {
    if tag_ids.is_empty() {
        return Ok(());
    }
    question_tags::Entity::delete_many()
        .filter(question_tags::Column::QuestionId.eq(question_id))
        .filter(question_tags::Column::TagId.is_in(tag_ids.to_vec()))
        .exec(db)
        .await?;
    adjust_counts(db, tag_ids.iter().copied(), -1).await
}

/// Adds `delta` to the question count of every tag in `ids`.
///
/// # Errors
/// On database errors.
pub async fn adjust_counts(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
    delta: i32,
) -> Result<(), DbErr> {
    let ids: Vec<Value> = ids.into_iter().map(Value::from).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new("UPDATE tags SET question_count = question_count + ?");
    q.push_bind("", [Value::from(delta)])
        .push(" WHERE id IN ")
        .push_in(ids);
    q.execute(db).await?;
    Ok(())
}

/// The tags (id, name) of one question, alphabetically.
///
/// # Errors
/// On database errors.
pub async fn of_question(db: &impl ConnectionTrait, question_id: i64) -> Result<Vec<Model>, DbErr> {
    let q = Sql::new(
        "SELECT t.* FROM tags t JOIN question_tags qt ON qt.tag_id = t.id WHERE qt.question_id = ? ORDER BY t.name",
    );
    let mut q = q;
    q.push_bind("", [Value::from(question_id)]);
    Model::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await
}

#[derive(Debug, FromQueryResult)]
struct TagOfQuestion {
    question_id: i64,
    name: String,
}

/// Tag names of many questions in one query.
///
/// # Errors
/// On database errors.
pub async fn for_questions(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut q = Sql::new(
        "SELECT qt.question_id, t.name FROM question_tags qt JOIN tags t ON t.id = qt.tag_id WHERE qt.question_id IN ",
    );
    q.push_in(ids.iter().map(|id| Value::from(*id)))
        .push(" ORDER BY t.name");
    let rows = TagOfQuestion::find_by_statement(q.build(db.get_database_backend()))
        .all(db)
        .await?;
    for row in rows {
        out.entry(row.question_id).or_default().push(row.name);
    }
    Ok(out)
}

/// The tag called `name`, if it exists.
///
/// # Errors
/// On database errors.
pub async fn find_by_name(db: &impl ConnectionTrait, name: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Name.eq(name)).one(db).await
}

/// A page of tags, most used first (empty tags are hidden).
///
/// # Errors
/// On database errors.
pub async fn popular(
    db: &impl ConnectionTrait,
    offset: u64,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::QuestionCount.gt(0))
        .order_by_desc(Column::QuestionCount)
        .order_by_asc(Column::Name)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await
}

impl Model {
    #[must_use]
    pub fn url(&self) -> String {
        TagLink::new(&self.name).url
    }
}

/// A tag as posts and lists link it.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq, Hash)]
pub struct TagLink {
    pub name: String,
    pub url: String,
}

impl TagLink {
    #[must_use]
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            url: format!(
                "/tags/{}",
                url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
            ),
        }
    }

    /// The tag's Atom feed (the name percent-encoded: `c#` is a tag).
    #[must_use]
    pub fn feed_url(name: &str) -> String {
        format!(
            "/feeds/tags/{}.atom",
            url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
        )
    }

    #[must_use]
    pub fn list(names: &[String]) -> Vec<Self> {
        names.iter().map(|n| Self::new(n)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalized_and_checked() {
        assert_eq!(parse("Rust  rust, c++ C#").unwrap(), ["rust", "c++", "c#"]);
        assert_eq!(parse(" "), Err(TagError::Required));
        assert_eq!(parse("a b c d e f"), Err(TagError::TooMany));
        assert_eq!(parse("ok <script>"), Err(TagError::Invalid));
        assert_eq!(parse(&"x".repeat(33)), Err(TagError::Invalid));
        assert_eq!(
            parse("node.js asp.net-core"),
            Ok(vec!["node.js".to_string(), "asp.net-core".to_string()])
        );
        assert_eq!(parse("пайтон"), Err(TagError::Invalid));
    }
}
