site-name = NightCoder
site-description = A developer forum: questions, answers and course reviews, with reputation.
nav-label = Main navigation
nav-toggle = Toggle navigation
nav-questions = Questions
nav-tags = Tags
nav-reviews = Reviews
nav-courses = Courses
nav-leaderboard = Leaderboard
nav-search-placeholder = Search questions…
nav-search-label = Search questions
skip-to-content = Skip to the content
nav-language = Language
lang-en-short = EN
lang-ru-short = RU
lang-en-name = English
lang-ru-name = Русский
nav-profile = Profile
nav-settings = Settings
nav-admin = Moderation
nav-logout = Log out
nav-login = Log in
nav-register = Sign up
footer-tagline = NightCoder — code doesn't sleep, neither do we.
action-close = Close
action-home = Home
action-ask = Ask a question
action-save = Save
action-cancel = Cancel
action-edit = Edit
action-delete = Delete
home-title = Home
home-hero-title = Code doesn't sleep. Neither do we.
home-hero-lead = Ask questions, share answers, review programming courses and earn reputation for helping others.
home-browse = Browse questions
role-user = User
role-moderator = Moderator
role-admin = Admin
time-just-now = just now
time-minutes-ago = { $count ->
    [one] { $count } minute ago
   *[other] { $count } minutes ago
}
time-hours-ago = { $count ->
    [one] { $count } hour ago
   *[other] { $count } hours ago
}
time-days-ago = { $count ->
    [one] { $count } day ago
   *[other] { $count } days ago
}
time-months-ago = { $count ->
    [one] { $count } month ago
   *[other] { $count } months ago
}
time-years-ago = { $count ->
    [one] { $count } year ago
   *[other] { $count } years ago
}
