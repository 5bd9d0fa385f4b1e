//! Courses: created by their first review, matched case- and
//! space-insensitively, with aggregates kept current by review writes.
use chrono::Utc;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, Value,
};
use serde::Serialize;

pub use crate::db::entities::courses::{ActiveModel, Column, Entity, Model};
use crate::{db::Sql, text::slugify};

/// Longest course name, in characters.
pub const NAME_MAX: usize = 120;

/// The matching key of a course name: lower-cased, whitespace collapsed.
#[must_use]
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The name as shown: trimmed, whitespace collapsed.
#[must_use]
pub fn clean_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Model {
    #[must_use]
    pub fn url(&self) -> String {
        format!("/courses/{}", self.slug)
    }

    /// Star counts for 1..=5.
    #[must_use]
    pub const fn histogram(&self) -> [i32; 5] {
        [
            self.rating_1,
            self.rating_2,
            self.rating_3,
            self.rating_4,
            self.rating_5,
        ]
    }

    /// The course at `slug`, if any.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_by_slug(
        db: &impl ConnectionTrait,
        slug: &str,
    ) -> Result<Option<Self>, DbErr> {
        Entity::find().filter(Column::Slug.eq(slug)).one(db).await
    }

    /// The course named `name`, created when it does not exist yet.
    /// Concurrent first reviews of the same course meet at the unique key.
    ///
    /// # Errors
    /// On database errors.
    pub async fn find_or_create(db: &impl ConnectionTrait, name: &str) -> Result<Self, DbErr> {
        let key = name_key(name);
        if let Some(course) = Entity::find()
            .filter(Column::NameKey.eq(&key))
            .one(db)
            .await?
        {
            return Ok(course);
        }
        let base = {
            let s = slugify(name);
            if s == "question" {
                "course".to_string()
            } else {
                s
            }
        };
        let now = Utc::now().fixed_offset();
        for attempt in 0..20 {
            let slug = if attempt == 0 {
                base.clone()
            } else {
                format!("{base}-{}", attempt + 1)
            };
            let row = ActiveModel {
                name: Set(clean_name(name)),
                name_key: Set(key.clone()),
                slug: Set(slug),
                review_count: Set(0),
                rating_sum: Set(0),
                rating_1: Set(0),
                rating_2: Set(0),
                rating_3: Set(0),
                rating_4: Set(0),
                rating_5: Set(0),
                avg_rating: Set(0.0),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            Entity::insert(row)
                .on_conflict(OnConflict::new().do_nothing().to_owned())
                .exec_without_returning(db)
                .await?;
            if let Some(course) = Entity::find()
                .filter(Column::NameKey.eq(&key))
                .one(db)
                .await?
            {
                return Ok(course);
            }
            // nothing inserted and still no course: the slug belongs to
            // another course; try the next suffix
        }
        Err(DbErr::Custom(format!("no free slug for course {key}")))
    }

    /// Adds (`sign` = 1) or removes (-1) one review with `rating` from the
    /// aggregates, atomically.
    ///
    /// # Errors
    /// On database errors.
    pub async fn count_review(
        db: &impl ConnectionTrait,
        course_id: i64,
        rating: i16,
        sign: i32,
    ) -> Result<(), DbErr> {
        let column = match rating {
            1 => "rating_1",
            2 => "rating_2",
            3 => "rating_3",
            4 => "rating_4",
            _ => "rating_5",
        };
        let points = sign * i32::from(rating);
        let mut q = Sql::new("UPDATE courses SET ");
        q.push(column).push(" = ").push(column).push_bind(
            " + ?, review_count = review_count + ?, rating_sum = rating_sum + ?, \
             avg_rating = CASE WHEN review_count + ? > 0 THEN CAST(rating_sum + ? AS DOUBLE PRECISION) / (review_count + ?) \
             ELSE 0 END, updated_at = ? WHERE id = ?",
            [
                Value::from(sign),
                Value::from(sign),
                Value::from(points),
                Value::from(sign),
                Value::from(points),
                Value::from(sign),
                Value::from(Utc::now().fixed_offset()),
                Value::from(course_id),
            ],
        );
        q.execute(db).await?;
        Ok(())
    }
}

/// How the course list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CourseSort {
    #[default]
    Rating,
    Reviews,
}

impl CourseSort {
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "rating" | "" => Some(Self::Rating),
            "reviews" => Some(Self::Reviews),
            _ => None,
        }
    }

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Rating => "rating",
            Self::Reviews => "reviews",
        }
    }
}

#[derive(Debug, FromQueryResult, Serialize)]
struct Count {
    n: i64,
}

/// A page of reviewed courses and how many there are (two queries).
///
/// # Errors
/// On database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    sort: CourseSort,
    page: u64,
    per_page: u64,
) -> Result<(Vec<Model>, u64), DbErr> {
    let backend = db.get_database_backend();
    let total = Count::find_by_statement(
        Sql::new("SELECT COUNT(*) AS n FROM courses WHERE review_count > 0").build(backend),
    )
    .one(db)
    .await?
    .map_or(0, |c| u64::try_from(c.n).unwrap_or(0));
    let mut q = Sql::new("SELECT * FROM courses WHERE review_count > 0");
    q.push(match sort {
        CourseSort::Rating => " ORDER BY avg_rating DESC, review_count DESC, id",
        CourseSort::Reviews => " ORDER BY review_count DESC, id",
    });
    q.push_bind(
        " LIMIT ? OFFSET ?",
        [
            Value::from(per_page as i64),
            Value::from(((page.max(1) - 1) * per_page) as i64),
        ],
    );
    Ok((
        Model::find_by_statement(q.build(backend)).all(db).await?,
        total,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_ignoring_case_and_spaces() {
        assert_eq!(name_key("Django Mastery"), name_key("  django   MASTERY "));
        assert_eq!(clean_name("  Rust   in  Action "), "Rust in Action");
        assert_ne!(name_key("Rust 1"), name_key("Rust 2"));
    }
}
