//! Builders for forum content, straight through the models.
use nightcoder::{
    forum::{
        answers,
        questions::{self, QuestionParams},
    },
    users,
};

use super::TestApp;

/// A body long enough to pass validation.
pub fn body(text: &str) -> String {
    format!("{text}\n\nThis paragraph makes the body long enough to be accepted.")
}

impl TestApp {
    /// A question by `author` with `tags` (space-separated).
    pub async fn question(
        &self,
        author: &users::Model,
        title: &str,
        tags: &str,
    ) -> questions::Model {
        let params = QuestionParams {
            title: title.to_string(),
            body: body(title),
            tags: tags.to_string(),
            ..Default::default()
        };
        let valid = params.validate().expect("valid question");
        questions::Model::create(&self.ctx.db, author.id, valid)
            .await
            .expect("create question")
    }

    /// An answer by `author` to `question`.
    pub async fn answer(
        &self,
        author: &users::Model,
        question: &questions::Model,
        text: &str,
    ) -> answers::Model {
        let body = body(text);
        let html = nightcoder::markdown::render(&body).unwrap();
        answers::Model::create(&self.ctx.db, question.id, author.id, body, html)
            .await
            .map_err(|e| format!("{e:?}"))
            .expect("create answer")
    }

    pub async fn reload_question(&self, id: i64) -> questions::Model {
        use sea_orm::EntityTrait;
        questions::Entity::find_by_id(id)
            .one(&self.ctx.db)
            .await
            .unwrap()
            .unwrap()
    }

    pub async fn reload_answer(&self, id: i64) -> answers::Model {
        use sea_orm::EntityTrait;
        answers::Entity::find_by_id(id)
            .one(&self.ctx.db)
            .await
            .unwrap()
            .unwrap()
    }

    pub async fn reload_user(&self, id: i64) -> users::Model {
        use sea_orm::EntityTrait;
        users::Entity::find_by_id(id)
            .one(&self.ctx.db)
            .await
            .unwrap()
            .unwrap()
    }
}

impl TestApp {
    /// A review of `course` by `author` with `rating`.
    pub async fn review(
        &self,
        author: &users::Model,
        course: &str,
        title: &str,
        rating: i16,
    ) -> nightcoder::reviews::Model {
        let params = nightcoder::reviews::ReviewParams {
            course: course.to_string(),
            title: title.to_string(),
            body: body(title),
            rating: rating.to_string(),
            ..Default::default()
        };
        let valid = params.validate().expect("valid review");
        nightcoder::reviews::Model::create(&self.ctx.db, author.id, valid)
            .await
            .map_err(|e| format!("{e:?}"))
            .expect("create review")
    }
}
