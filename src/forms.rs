//! Per-field error messages of HTML forms, as Fluent keys with arguments.
//!
//! Domain code says *what* is wrong with a field (a key such as
//! `error-length` and its `min`/`max`); the page translates it into the
//! reader's language at the edge (`FieldErrors::translate`, called by the
//! view functions), so no model ever takes a language.
use std::collections::BTreeMap;

use crate::{
    i18n::{t_args, Arg, Lang},
    markdown::{self, MarkdownError},
    text::has_forbidden_chars,
};

/// Lengths of post text (SPEC), in characters.
pub const TITLE_MIN: usize = 10;
pub const TITLE_MAX: usize = 150;
pub const BODY_MIN: usize = 20;
pub const BODY_MAX: usize = 30_000;

/// The value of a Fluent argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Num(i64),
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Self::Num(n)
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Self {
        Self::Num(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Self::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Self::Str(s)
    }
}

/// One message: a Fluent key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Value)>,
}

impl Message {
    /// The message in `lang`.
    #[must_use]
    pub fn translate(&self, lang: Lang) -> String {
        let args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .map(|(name, value)| {
                let arg = match value {
                    Value::Str(s) => Arg::Str(s),
                    Value::Num(n) => Arg::Num(*n),
                };
                (*name, arg)
            })
            .collect();
        t_args(lang, self.key, &args)
    }
}

/// The messages of a form, one per field.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, Message>);

impl FieldErrors {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key` for `field` unless it already has a message (the first
    /// problem found is the one worth reporting).
    pub fn add(&mut self, field: &str, key: &'static str) {
        self.add_with(field, key, Vec::new());
    }

    /// Like [`Self::add`] with Fluent arguments.
    pub fn add_with(&mut self, field: &str, key: &'static str, args: Vec<(&'static str, Value)>) {
        self.0
            .entry(field.to_string())
            .or_insert(Message { key, args });
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[must_use]
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    #[must_use]
    pub fn get(&self, field: &str) -> Option<&Message> {
        self.0.get(field)
    }

    /// Every message in `lang`, by field, as templates print them.
    #[must_use]
    pub fn translate(&self, lang: Lang) -> BTreeMap<String, String> {
        self.0
            .iter()
            .map(|(field, message)| (field.clone(), message.translate(lang)))
            .collect()
    }
}

/// Checks a markdown body (questions, answers and reviews share the rules)
/// and renders it; a problem goes to `field`.
pub fn check_body(field: &str, body: &str, errors: &mut FieldErrors) -> Option<String> {
    let len = body.trim().chars().count();
    if len == 0 {
        errors.add(field, "error-required");
        return None;
    }
    if len < BODY_MIN || body.chars().count() > BODY_MAX {
        errors.add_with(
            field,
            "error-length",
            vec![("min", BODY_MIN.into()), ("max", BODY_MAX.into())],
        );
        return None;
    }
    if has_forbidden_chars(body, true) {
        errors.add(field, "error-control-chars");
        return None;
    }
    match markdown::render(body) {
        Ok(html) => Some(html),
        Err(MarkdownError::TooDeep) => {
            errors.add_with(
                field,
                "error-too-deep",
                vec![("max", markdown::MAX_DEPTH.into())],
            );
            None
        }
    }
}

/// Checks a one-line title.
pub fn check_title(field: &str, title: &str, errors: &mut FieldErrors) {
    let len = title.chars().count();
    if len == 0 {
        errors.add(field, "error-required");
    } else if !(TITLE_MIN..=TITLE_MAX).contains(&len) {
        errors.add_with(
            field,
            "error-length",
            vec![("min", TITLE_MIN.into()), ("max", TITLE_MAX.into())],
        );
    } else if has_forbidden_chars(title, false) {
        errors.add(field, "error-control-chars");
    }
}

/// The body rendered as it would be saved, when a form's Preview button
/// (`preview`) was pressed; an unrenderable body previews as nothing, and
/// saving says why.
#[must_use]
pub fn preview_html(pressed: &str, body: &str) -> String {
    if pressed.is_empty() || body.chars().count() > BODY_MAX || has_forbidden_chars(body, true) {
        return String::new();
    }
    markdown::render(&crate::text::normalize_newlines(body)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_problem_of_a_field_is_kept_and_translated_late() {
        let mut errors = FieldErrors::new();
        errors.add_with(
            "title",
            "error-length",
            vec![("min", Value::Num(10)), ("max", Value::Num(150))],
        );
        errors.add("title", "error-required");
        assert_eq!(errors.get("title").unwrap().key, "error-length");
        let en = errors.translate(Lang::En);
        assert!(
            en["title"].contains("10") && en["title"].contains("150"),
            "{en:?}"
        );
        assert_ne!(en, errors.translate(Lang::Ru));
    }
}
