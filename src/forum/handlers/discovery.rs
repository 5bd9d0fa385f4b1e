//! `/robots.txt`, `/sitemap.xml` (an index of `/sitemaps/questions-N.xml`
//! once the questions need more than one file) and the Atom feeds.
use std::fmt::Write as _;

use axum::{
    debug_handler,
    http::{header, HeaderValue},
};
use loco_rs::prelude::*;

use crate::{
    forum::{
        discovery::{self, AtomEntry, FeedRow},
        questions, tags,
    },
    i18n::{t, t_args, Lang},
    settings::Settings,
    web::{
        error::{AppError, Result},
        Id,
    },
};

fn absolute(ctx: &AppContext, path: &str) -> String {
    Settings::get(ctx).absolute_url(path)
}

fn typed(body: String, content_type: &'static str) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

#[debug_handler]
async fn robots(State(ctx): State<AppContext>) -> Result<Response> {
    // private pages say noindex themselves; these are not worth a crawl
    let body = format!(
        "User-agent: *\nDisallow: /admin\nDisallow: /settings\nDisallow: /notifications\n\
         Disallow: /review/\nDisallow: /login\nDisallow: /register\nDisallow: /password/\n\
         Disallow: /unsubscribe/\nDisallow: /questions/similar\nDisallow: /*/revisions\n\n\
         Sitemap: {}\n",
        absolute(&ctx, "/sitemap.xml")
    );
    Ok(typed(body, "text/plain; charset=utf-8"))
}

const XML: &str = "application/xml; charset=utf-8";
const W3C_DATE: &str = "%Y-%m-%dT%H:%M:%S%:z";

#[debug_handler]
async fn sitemap(State(ctx): State<AppContext>) -> Result<Response> {
    let files = discovery::sitemap_files(&ctx.db).await?;
    if files.iter().all(|f| f.n == 1) {
        return urlset(&ctx, 1).await;
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    if files.first().is_some_and(|f| f.n != 1) {
        // file 1 also names the lists, even when its questions are all gone
        let loc = absolute(&ctx, "/sitemaps/questions-1.xml");
        let _ = writeln!(
            xml,
            "<sitemap><loc>{}</loc></sitemap>",
            discovery::xml_escape(&loc)
        );
    }
    for f in files {
        let loc = absolute(&ctx, &format!("/sitemaps/questions-{}.xml", f.n));
        let _ = writeln!(
            xml,
            "<sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>",
            discovery::xml_escape(&loc),
            f.lastmod.format(W3C_DATE)
        );
    }
    xml.push_str("</sitemapindex>\n");
    Ok(typed(xml, XML))
}

#[debug_handler]
async fn sitemap_file(State(ctx): State<AppContext>, Path(file): Path<String>) -> Result<Response> {
    let n = file
        .strip_prefix("questions-")
        .and_then(|f| f.strip_suffix(".xml"))
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|n| (1..=100_000).contains(n))
        .ok_or_else(AppError::not_found)?;
    urlset(&ctx, n).await
}

/// Rows written per chunk of a streamed sitemap.
const CHUNK_ROWS: usize = 1_000;

/// One sitemap file, written to the client in chunks as it goes out, so a
/// 50,000-URL file never sits in memory as one string. The first file also
/// names the lists.
async fn urlset(ctx: &AppContext, n: u64) -> Result<Response> {
    let rows = discovery::sitemap_page(&ctx.db, n).await?;
    if rows.is_empty() && n > 1 {
        return Err(AppError::not_found());
    }
    let settings = Settings::get(ctx);
    let mut head = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    if n == 1 {
        for path in discovery::LIST_PAGES {
            let loc = discovery::xml_escape(&settings.absolute_url(path));
            let _ = writeln!(head, "<url><loc>{loc}</loc></url>");
        }
    }
    let mut rows = rows.into_iter().peekable();
    let body = std::iter::once(head)
        .chain(std::iter::from_fn(move || {
            rows.peek()?;
            let mut chunk = String::with_capacity(CHUNK_ROWS * 120);
            for r in rows.by_ref().take(CHUNK_ROWS) {
                let loc = discovery::xml_escape(
                    &settings.absolute_url(&format!("/questions/{}/{}", r.id, r.slug)),
                );
                let _ = writeln!(
                    chunk,
                    "<url><loc>{loc}</loc><lastmod>{}</lastmod></url>",
                    r.last_activity_at.format(W3C_DATE)
                );
            }
            Some(chunk)
        }))
        .chain(std::iter::once("</urlset>\n".to_string()))
        .map(|s| Ok::<_, std::convert::Infallible>(bytes::Bytes::from(s)));
    let mut res = axum::body::Body::from_stream(futures_util::stream::iter(body)).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(XML));
    Ok(res)
}

fn entries<'a>(ctx: &AppContext, rows: &'a [FeedRow], answers: bool) -> Vec<AtomEntry<'a>> {
    rows.iter()
        .map(|r| {
            let page = format!("/questions/{}/{}", r.id, r.slug);
            let (id, link) = if answers {
                (absolute(ctx, &format!("/answers/{}", r.id)), String::new())
            } else {
                (
                    absolute(ctx, &format!("/questions/{}", r.id)),
                    absolute(ctx, &page),
                )
            };
            AtomEntry {
                id,
                title: &r.title,
                link,
                author: &r.author,
                published: r.created_at,
                updated: r.updated_at,
                html: &r.html,
            }
        })
        .collect()
}

fn atom(xml: String) -> Response {
    typed(xml, "application/atom+xml; charset=utf-8")
}

#[debug_handler]
async fn questions_feed(State(ctx): State<AppContext>, lang: Lang) -> Result<Response> {
    let rows = discovery::newest_questions(&ctx.db, None).await?;
    let title = t(lang, "feed-questions-title");
    Ok(atom(discovery::atom(
        &title,
        &absolute(&ctx, "/feeds/questions.atom"),
        &absolute(&ctx, "/questions"),
        &entries(&ctx, &rows, false),
    )))
}

#[debug_handler]
async fn tag_feed(
    State(ctx): State<AppContext>,
    lang: Lang,
    Path(file): Path<String>,
) -> Result<Response> {
    let name = file
        .strip_suffix(".atom")
        .map(str::to_lowercase)
        .filter(|n| tags::valid_name(n))
        .ok_or_else(AppError::not_found)?;
    let tag = tags::find_by_name(&ctx.db, &name)
        .await?
        .ok_or_else(AppError::not_found)?;
    let rows = discovery::newest_questions(&ctx.db, Some(&tag.name)).await?;
    let title = t_args(lang, "feed-tag-title", &[("tag", (&tag.name).into())]);
    Ok(atom(discovery::atom(
        &title,
        &absolute(&ctx, &tags::TagLink::feed_url(&tag.name)),
        &absolute(&ctx, &tags::TagLink::new(&tag.name).url),
        &entries(&ctx, &rows, false),
    )))
}

#[debug_handler]
async fn question_feed(State(ctx): State<AppContext>, lang: Lang, Id(id): Id) -> Result<Response> {
    let question = questions::Model::find_live(&ctx.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let rows = discovery::answers(&ctx.db, id).await?;
    let page = absolute(&ctx, &question.url());
    let mut list = entries(&ctx, &rows, true);
    for (entry, row) in list.iter_mut().zip(&rows) {
        entry.link = format!("{page}#answer-{}", row.id);
    }
    let title = t_args(
        lang,
        "feed-question-title",
        &[("title", (&question.title).into())],
    );
    Ok(atom(discovery::atom(
        &title,
        &absolute(&ctx, &format!("/questions/{id}/feed.atom")),
        &page,
        &list,
    )))
}

pub fn routes() -> Routes {
    Routes::new()
        .add("/robots.txt", get(robots))
        .add("/sitemap.xml", get(sitemap))
        .add("/sitemaps/{file}", get(sitemap_file))
        .add("/feeds/questions.atom", get(questions_feed))
        .add("/feeds/tags/{file}", get(tag_feed))
        .add("/questions/{id}/feed.atom", get(question_feed))
}
