//! `posts:rerender`: renders every stored post again with today's markdown
//! rules (highlighting, raw HTML shown as text, excerpts), after an upgrade
//! changed them. Pages print stored HTML, so without this old posts keep the
//! old rendering.
//!
//! Rows are read in id order, 500 at a time, with one mention lookup per
//! batch; only rows whose HTML or excerpt really changes are written, each
//! batch in one transaction, so the task can be stopped and run again.
use loco_rs::{
    app::AppContext,
    task::{Task, TaskInfo, Vars},
    Result,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait, Value};

use crate::{
    db::Sql,
    markdown::{self, Mentions},
    text::excerpt,
    users,
};

const BATCH: i64 = 500;

/// How a table's posts are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Block markdown with an excerpt column (questions, reviews).
    WithExcerpt,
    /// Block markdown with @mentions (answers).
    WithMentions,
    /// Inline markdown with @mentions (comments).
    Inline,
}

struct Table {
    select: &'static str,
    update: &'static str,
    form: Form,
}

const TABLES: [(&str, Table); 4] = [
    (
        "questions",
        Table {
            select: "SELECT id, body, body_html, excerpt FROM questions WHERE id > ? ORDER BY id LIMIT ?",
            update: "UPDATE questions SET body_html = ?, excerpt = ? WHERE id = ? AND body = ?",
            form: Form::WithExcerpt,
        },
    ),
    (
        "answers",
        Table {
            select: "SELECT id, body, body_html, '' AS excerpt FROM answers WHERE id > ? ORDER BY id LIMIT ?",
            update: "UPDATE answers SET body_html = ? WHERE id = ? AND body = ?",
            form: Form::WithMentions,
        },
    ),
    (
        "reviews",
        Table {
            select: "SELECT id, body, body_html, excerpt FROM reviews WHERE id > ? ORDER BY id LIMIT ?",
            update: "UPDATE reviews SET body_html = ?, excerpt = ? WHERE id = ? AND body = ?",
            form: Form::WithExcerpt,
        },
    ),
    (
        "comments",
        Table {
            select: "SELECT id, body, body_html, '' AS excerpt FROM comments WHERE id > ? ORDER BY id LIMIT ?",
            update: "UPDATE comments SET body_html = ? WHERE id = ? AND body = ?",
            form: Form::Inline,
        },
    ),
];

struct Row {
    id: i64,
    body: String,
    html: String,
    excerpt: String,
}

async fn batch(db: &DatabaseConnection, table: &Table, after: i64) -> Result<Vec<Row>> {
    let mut sql = Sql::new("");
    sql.push_bind(table.select, [after.into(), Value::from(BATCH)]);
    let rows = db
        .query_all_raw(sql.build(db.get_database_backend()))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Row {
                id: r.try_get_by_index(0)?,
                body: r.try_get_by_index(1)?,
                html: r.try_get_by_index(2)?,
                excerpt: r.try_get_by_index(3)?,
            })
        })
        .collect()
}

/// The post rendered today: its HTML and, where kept, its excerpt.
fn render(form: Form, body: &str, mentions: &Mentions) -> Option<(String, String)> {
    let html = match form {
        Form::Inline => markdown::render_inline(body, mentions),
        Form::WithMentions | Form::WithExcerpt => markdown::render_with(body, mentions).ok()?,
    };
    let text = if form == Form::WithExcerpt {
        excerpt(&markdown::plain_text(&html), 300)
    } else {
        String::new()
    };
    Some((html, text))
}

/// Renders one table again; returns (rows read, rows changed).
async fn rerender(db: &DatabaseConnection, table: &Table) -> Result<(usize, usize)> {
    let (mut read, mut changed, mut after) = (0, 0, 0);
    loop {
        let rows = batch(db, table, after).await?;
        let Some(last) = rows.last() else {
            return Ok((read, changed));
        };
        after = last.id;
        read += rows.len();
        // each post's own candidates (as when it was saved), one lookup
        let candidates: Vec<Vec<String>> = rows
            .iter()
            .map(|r| match table.form {
                Form::WithExcerpt => Vec::new(),
                Form::Inline => markdown::inline_mention_candidates(&r.body),
                Form::WithMentions => markdown::mention_candidates(&r.body),
            })
            .collect();
        let known = users::Model::mentioned(db, &candidates.concat()).await?;
        let txn = db.begin().await?;
        for (row, names) in rows.iter().zip(&candidates) {
            // a body the rules now refuse keeps the HTML it was saved with
            let Some((html, text)) = render(table.form, &row.body, &known.only(names)) else {
                continue;
            };
            if html == row.html && text == row.excerpt {
                continue;
            }
            let mut values: Vec<Value> = vec![html.into()];
            if table.form == Form::WithExcerpt {
                values.push(text.into());
            }
            // a post edited meanwhile keeps its fresh HTML: the UPDATE
            // matches only the body that was rendered
            values.push(row.id.into());
            values.push(row.body.clone().into());
            let mut sql = Sql::new("");
            sql.push_bind(table.update, values);
            txn.execute_raw(sql.build(txn.get_database_backend()))
                .await?;
            changed += 1;
        }
        txn.commit().await?;
    }
}

pub struct Rerender;

#[async_trait::async_trait]
impl Task for Rerender {
    fn task(&self) -> TaskInfo {
        TaskInfo {
            name: "posts:rerender".to_string(),
            detail: "render every question, answer, review and comment again with today's markdown rules (highlighting, excerpts)"
                .to_string(),
        }
    }

    async fn run(&self, ctx: &AppContext, _vars: &Vars) -> Result<()> {
        for (name, table) in &TABLES {
            let (read, changed) = rerender(&ctx.db, table).await?;
            println!("posts:rerender: {name}: {read} read, {changed} rendered anew");
        }
        // running processes forget the pages they cached with the old HTML
        crate::web::page_cache::publish_write(&ctx.db).await?;
        Ok(())
    }
}
