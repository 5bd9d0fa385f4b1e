reviews-title = Course reviews
reviews-empty = No reviews here yet.
reviews-stats = Reviews
reviews-search-placeholder = Search reviews by course, title or text…
reviews-by-title = Reviews by { $name }
reviews-average = average rating { $average }
review-write = Write a review
review-new-title = Review a course
review-edit-title = Edit the review
review-submit = Publish the review
review-written = reviewed
review-more-by = More reviews by { $name }
review-all-by = All reviews by { $name } →
review-no-more = No other reviews yet.
review-duplicate-lead = You have already reviewed this course.
review-duplicate-link = Open your review to edit it.
review-helpful-count = { $count ->
    [one] { $count } person found this helpful
   *[other] { $count } people found this helpful
}
confirm-delete-review = Delete this review?
field-course = Course
help-course = The course's name, e.g. "Rust in Action". The same course is matched whatever the case and spacing.
field-review-title = Title of your review
field-rating = Your rating
field-review-body = Your review
rating-1 = Poor
rating-2 = Fair
rating-3 = Good
rating-4 = Very good
rating-5 = Excellent
rating-label = Rated { $rating } out of 5
rating-average-label = Average rating { $average } out of 5
count-reviews = { $count ->
    [one] { $count } review
   *[other] { $count } reviews
}
courses-title = Courses
courses-empty = No course has been reviewed yet.
courses-browse = Browse courses →
courses-sort-rating = Best rated
courses-sort-reviews = Most reviewed
course-sort-newest = Newest
course-sort-helpful = Most helpful
course-histogram = Ratings by number of stars
error-rating = Pick a rating from 1 to 5 stars.
error-review-duplicate = You have already reviewed this course.
flash-review-posted = Your review is published.
flash-review-saved = The review is saved.
flash-review-deleted = The review was deleted.
reviews-search = Search reviews
