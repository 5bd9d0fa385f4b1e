//! Reviews: programming courses and their reviews (a rating from 1 to 5),
//! one review per user and course.
//!
//! Owns the tables `courses` and `reviews`, and the pages `/reviews…`,
//! `/courses…` and `/users/{name}/reviews`.
//!
//! Offers the other modules: the `reviews` table ([`Model`], [`list`] with
//! [`ReviewFilter`], [`latest`] and [`latest_by_user`], the
//! [`ReviewSummary`] rows lists show, [`user_stats`], `set_deleted` for
//! moderation) and [`courses`].
pub mod courses;
mod handlers;
mod listing;
#[expect(
    clippy::module_inception,
    reason = "the reviews module's table of reviews, next to courses"
)]
mod reviews;
mod views;

pub use handlers::routes;
pub use listing::{
    latest, latest_by_user, list, page, user_stats, CourseLink, ReviewFilter, ReviewPage,
    ReviewSummary, Total, UserReviewStats, PER_PAGE,
};
pub use reviews::{
    set_deleted, set_visibility, ActiveModel, Column, Entity, Model, ReviewError, ReviewParams,
    ValidReview,
};
