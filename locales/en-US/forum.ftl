questions-title = All questions
question-new-title = Ask a question
question-edit-title = Edit the question
question-submit = Post your question
question-asked = asked
question-solved = Solved
question-locked-note = This question is locked: it takes no new answers or votes.
post-deleted-note = This post is deleted. Only moderators see it.
post-edited = edited
answer-answered = answered
answer-your = Your answer
answer-submit = Post your answer
answer-edit-title = Edit the answer
answer-edit-for = Answer to
answer-accept = Accept this answer
answer-unaccept = Remove the acceptance
answer-accepted = Accepted answer
answers-empty = No answers yet. Know the answer? Share it.
answer-login-cta = Log in or sign up to post an answer.
confirm-delete-question = Delete this question?
confirm-delete-answer = Delete this answer?
field-title = Title
help-title = Be specific: what are you trying to do, and what goes wrong? 10–150 characters.
field-body = Details
field-answer = Answer
help-markdown = Markdown: **bold**, *italic*, `code`, ``` fenced blocks ```, [links](https://…). 20–30 000 characters.
field-tags = Tags
help-tags = 1–5 tags separated by spaces, e.g. "rust async tokio": lower-case letters, digits and + # . -
action-search = Search
search-title = Results for "{ $query }"
search-empty = Nothing matches your search. Try fewer or different words.
questions-empty = No questions here yet.
questions-howto-title = Asking well
questions-howto = Say what you tried and what happened. Include the smallest code that shows the problem, and pick precise tags.
tags-browse = Browse all tags
tags-title = Tags
tags-empty = No tags yet.
tag-title = Questions tagged [{ $name }]
filter-tag = tag: { $name }
sort-newest = Newest
sort-votes = Votes
sort-active = Active
sort-unanswered = Unanswered
count-votes = { $count ->
    [one] { $count } vote
   *[other] { $count } votes
}
count-answers = { $count ->
    [one] { $count } answer
   *[other] { $count } answers
}
count-questions = { $count ->
    [one] { $count } question
   *[other] { $count } questions
}
count-questions-capped = more than { $count } questions
pagination-label = Pages
pagination-prev = Previous
pagination-next = Next
vote-up = This is useful (vote up)
vote-down = This is not useful (vote down)
vote-score = Score
home-latest-questions = Latest questions
home-all-questions = All questions →
home-stats = Community
stats-users = Members
stats-questions = Questions
stats-answers = Answers
stats-solved = Solved questions
stats-reviews = Course reviews
home-top = Top contributors
home-leaderboard = Full leaderboard →
error-length = Use { $min }–{ $max } characters.
error-too-deep = Nesting is too deep (more than { $max } levels of quotes, lists or HTML).
error-tags-required = Add at least one tag.
error-tags-too-many = Use at most { $max } tags.
error-tag-invalid = Tags use lower-case Latin letters, digits and + # . - (at most 32 characters each).
flash-question-posted = Your question is posted.
flash-question-saved = Your changes are saved.
flash-question-deleted = The question was deleted.
flash-answer-posted = Your answer is posted.
flash-answer-saved = The answer is saved.
flash-answer-deleted = The answer was deleted.
flash-answer-accepted = Answer accepted.
flash-answer-unaccepted = Acceptance removed.
home-latest-reviews = Latest course reviews
home-all-reviews = All reviews →
