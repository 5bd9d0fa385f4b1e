nav-notifications = Notifications
notifications-unread-count = { $count ->
    [one] { $count } unread notification
   *[other] { $count } unread notifications
}
notifications-title = Notifications
notifications-read-all = Mark all as read
notifications-settings = E-mail settings
notifications-unread = unread
notifications-reason = Reason
notifications-empty = Nothing yet. When someone answers, comments or mentions you, it shows up here.
flash-notifications-read = All notifications are marked as read.
notif-someone = Someone
notif-answer = { $count ->
    [one] { $actor } answered your question
   *[other] { $count } new answers to your question
}
notif-comment = { $count ->
    [one] { $actor } commented on your post
   *[other] { $count } new comments on your post
}
notif-mention = { $actor } mentioned you
notif-accepted = { $actor } accepted your answer
notif-followed = { $count ->
    [one] { $actor } answered a question you follow
   *[other] { $count } new answers on a question you follow
}
notif-edited = { $count ->
    [one] { $actor } edited your post
   *[other] Your post was edited { $count } times
}
notif-edited-approved = { $actor } approved your suggested edit
notif-edited-rejected = { $actor } rejected your suggested edit
notif-moderation-deleted = { $actor } deleted your post
notif-moderation-restored = { $actor } restored your post
notif-moderation-locked = { $actor } locked your question
notif-moderation-unlocked = { $actor } unlocked your question
notif-moderation-closed = Your question was closed
notif-moderation-reopened = Your question was reopened
notif-moderation-duplicate = Your question was closed as a duplicate
notif-flag-helpful = A moderator marked your flag as helpful
notif-flag-declined = A moderator declined your flag
settings-notifications = Notifications
settings-notifications-lead = Everything lands in your inbox. Choose which events also come by e-mail: at once, in one daily digest, or not at all. Mail only goes to a confirmed address.
settings-save = Save
flash-notification-settings-saved = Your notification settings are saved.
notify-kind-answer = A new answer to my question
notify-kind-comment = A comment on my post
notify-kind-mention = Someone mentions me (@name)
notify-kind-accepted = My answer is accepted
notify-kind-followed = A new answer on a question I follow
notify-kind-edited = Someone edits my post
notify-kind-moderation = My post is closed, locked or deleted
notify-kind-flag = A flag I raised is resolved
notify-kind-all = every notification
notify-mode-instant = At once
notify-mode-daily = Daily digest
notify-mode-off = Off
unsubscribe-title = E-mail notifications
unsubscribe-lead = Stop e-mails about: { $what }?
unsubscribe-done = You will no longer get e-mails about: { $what }.
unsubscribe-submit = Unsubscribe
unsubscribe-settings-hint = You can change every e-mail setting at any time:
email-notify-subject = { $message }: { $title }
email-notify-body = Hello { $username },

    { $message }: “{ $title }”
    { $reason }

    { $link }

    Choose which e-mails you get: { $settings }
    Stop e-mails like this one: { $unsubscribe }
email-digest-subject = { $count ->
    [one] Your NightCoder digest: { $count } new notification
   *[other] Your NightCoder digest: { $count } new notifications
}
email-digest-body = Hello { $username },

    here is what happened since your last digest:

    { $items }

    Choose which e-mails you get: { $settings }
    Stop all NightCoder e-mails: { $unsubscribe }
