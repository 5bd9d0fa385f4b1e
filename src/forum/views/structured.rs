//! schema.org `QAPage` data for search engines: the question and its
//! answers as JSON-LD in the page's head, so results can show the accepted
//! answer and vote counts.
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::show::{AnswerView, QuestionView};
use crate::{markdown, text::excerpt, users::Author, web::page::site_url};

/// Google shows a few lines of each; more only weighs the page (and costs
/// time on every anonymous render).
const TEXT_MAX: usize = 500;

fn date(ts: i64) -> String {
    DateTime::<Utc>::from_timestamp(ts, 0)
        .unwrap_or_default()
        .to_rfc3339()
}

fn person(author: &Author) -> Value {
    json!({
        "@type": "Person",
        "name": author.name,
        "url": format!("{}{}", site_url(), author.url),
    })
}

/// The plain text of a post, reading no more HTML than the text can use.
fn text(html: &str) -> String {
    let mut end = html.len().min(TEXT_MAX * 4);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let mut head = &html[..end];
    // a tag cut in half would read as text
    if let Some(lt) = head.rfind('<').filter(|&lt| !head[lt..].contains('>')) {
        head = &head[..lt];
    }
    excerpt(&markdown::plain_text(head), TEXT_MAX)
}

fn answer(q: &QuestionView, a: &AnswerView) -> Value {
    json!({
        "@type": "Answer",
        "text": text(&a.body_html),
        "dateCreated": date(a.created_ts),
        "upvoteCount": a.vote.score,
        "url": format!("{}{}#answer-{}", site_url(), q.url, a.id),
        "author": person(&a.author),
    })
}

/// The JSON-LD for a question page, safe inside `<script>`: `<`, `>` and
/// `&` are written as `\u` escapes, so no text can close the element.
#[must_use]
pub fn qa_page_jsonld(q: &QuestionView, answers: &[AnswerView]) -> String {
    let visible = answers.iter().filter(|a| !a.deleted);
    let accepted: Vec<Value> = visible
        .clone()
        .filter(|a| a.accepted)
        .map(|a| answer(q, a))
        .collect();
    let suggested: Vec<Value> = visible
        .filter(|a| !a.accepted)
        .map(|a| answer(q, a))
        .collect();
    let mut question = json!({
        "@type": "Question",
        "name": q.title,
        "text": text(&q.body_html),
        "answerCount": accepted.len() + suggested.len(),
        "upvoteCount": q.vote.score,
        "dateCreated": date(q.created_ts),
        "author": person(&q.author),
    });
    if let Some(first) = accepted.into_iter().next() {
        question["acceptedAnswer"] = first;
    }
    if !suggested.is_empty() {
        question["suggestedAnswer"] = Value::Array(suggested);
    }
    let page = json!({
        "@context": "https://schema.org",
        "@type": "QAPage",
        "mainEntity": question,
    });
    script_safe(&page.to_string())
}

fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::script_safe;

    #[test]
    fn nothing_in_the_data_can_close_the_script() {
        let json = serde_json::json!({ "t": "</script><!-- & \u{2028}" }).to_string();
        let safe = script_safe(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["t"], "</script><!-- & \u{2028}");
    }
}
