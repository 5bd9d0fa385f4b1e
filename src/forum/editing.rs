//! Who may change a post, and how a change is recorded.
use crate::users::Actor;

/// What a user may do with someone's post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditRight {
    /// Edit it directly.
    Direct,
    /// Propose an edit that waits in the review queue.
    Suggest,
    None,
}

/// The edit right of `actor` on a post by `author_id`: staff always edit;
/// on an open post (not locked, not deleted) the author and users with
/// `edit_min` reputation edit directly, and everyone else above 1
/// reputation suggests.
#[must_use]
pub fn edit_right(actor: &Actor, author_id: i64, open: bool, edit_min: i64) -> EditRight {
    if actor.is_staff() {
        return EditRight::Direct;
    }
    if !open || !actor.confirmed {
        return EditRight::None;
    }
    if actor.id == author_id || actor.reputation >= edit_min {
        EditRight::Direct
    } else if actor.reputation > 1 {
        EditRight::Suggest
    } else {
        EditRight::None
    }
}

/// Checks an edit summary (optional, one line, at most 300 characters).
pub fn check_summary(summary: &str, errors: &mut crate::forms::FieldErrors) {
    if summary.chars().count() > SUMMARY_MAX {
        errors.add_with(
            "summary",
            "error-length",
            vec![("min", 0usize.into()), ("max", SUMMARY_MAX.into())],
        );
    } else if crate::text::has_forbidden_chars(summary, false) {
        errors.add("summary", "error-control-chars");
    }
}

/// Longest edit summary.
pub const SUMMARY_MAX: usize = 300;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::Role;

    fn actor(id: i64, reputation: i64, role: Role) -> Actor {
        Actor {
            id,
            role,
            reputation,
            confirmed: true,
        }
    }

    #[test]
    fn rights_follow_reputation_ownership_and_state() {
        let min = 2_000;
        assert_eq!(
            edit_right(&actor(1, 1, Role::User), 1, true, min),
            EditRight::Direct
        );
        assert_eq!(
            edit_right(&actor(2, 1, Role::User), 1, true, min),
            EditRight::None
        );
        assert_eq!(
            edit_right(&actor(2, 2, Role::User), 1, true, min),
            EditRight::Suggest
        );
        assert_eq!(
            edit_right(&actor(2, 1_999, Role::User), 1, true, min),
            EditRight::Suggest
        );
        assert_eq!(
            edit_right(&actor(2, 2_000, Role::User), 1, true, min),
            EditRight::Direct
        );
        assert_eq!(
            edit_right(&actor(1, 5_000, Role::User), 1, false, min),
            EditRight::None
        );
        assert_eq!(
            edit_right(&actor(3, 1, Role::Moderator), 1, false, min),
            EditRight::Direct
        );
    }
}
