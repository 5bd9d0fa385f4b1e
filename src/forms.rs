//! Per-field error messages for HTML forms, already translated.
//!
//! Forms re-render with the user's input and one message per field; the
//! messages are Fluent keys resolved in the user's language here, so
//! templates only print them.
use std::collections::BTreeMap;

use serde::Serialize;

use crate::i18n::{t_args, Arg, Lang};

#[derive(Debug, Default, Clone, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a message for `field` unless it already has one (the first
    /// problem found is the one worth reporting).
    pub fn add(&mut self, lang: Lang, field: &str, key: &str) {
        self.add_args(lang, field, key, &[]);
    }

    /// Like [`Self::add`] with Fluent arguments.
    pub fn add_args(&mut self, lang: Lang, field: &str, key: &str, args: &[(&str, Arg<'_>)]) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| t_args(lang, key, args));
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
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// Merges the errors of `validator`: each error's `code` is a Fluent key
    /// and its `min`/`max` parameters become Fluent arguments.
    pub fn extend_validator(&mut self, lang: Lang, errors: &validator::ValidationErrors) {
        for (field, list) in errors.field_errors() {
            if let Some(error) = list.first() {
                let min = error.params.get("min").and_then(serde_json::Value::as_i64);
                let max = error.params.get("max").and_then(serde_json::Value::as_i64);
                let mut args: Vec<(&str, Arg<'_>)> = Vec::new();
                if let Some(min) = min {
                    args.push(("min", Arg::Num(min)));
                }
                if let Some(max) = max {
                    args.push(("max", Arg::Num(max)));
                }
                self.add_args(lang, field.as_ref(), error.code.as_ref(), &args);
            }
        }
    }
}
