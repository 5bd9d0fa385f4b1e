nav-notifications = Уведомления
notifications-unread-count = { $count ->
    [one] { $count } непрочитанное уведомление
    [few] { $count } непрочитанных уведомления
   *[many] { $count } непрочитанных уведомлений
}
notifications-title = Уведомления
notifications-read-all = Отметить все прочитанными
notifications-settings = Настройки писем
notifications-unread = не прочитано
notifications-reason = Причина
notifications-empty = Пока ничего. Когда вам ответят, оставят комментарий или упомянут вас, это появится здесь.
flash-notifications-read = Все уведомления отмечены прочитанными.
notif-someone = Кто-то
notif-answer = { $count ->
    [one] { $actor } ответил(а) на ваш вопрос
    [few] { $count } новых ответа на ваш вопрос
   *[many] { $count } новых ответов на ваш вопрос
}
notif-comment = { $count ->
    [one] { $actor } прокомментировал(а) вашу публикацию
    [few] { $count } новых комментария к вашей публикации
   *[many] { $count } новых комментариев к вашей публикации
}
notif-mention = { $actor } упомянул(а) вас
notif-accepted = { $actor } принял(а) ваш ответ
notif-followed = { $count ->
    [one] { $actor } ответил(а) на вопрос, за которым вы следите
    [few] { $count } новых ответа на вопрос, за которым вы следите
   *[many] { $count } новых ответов на вопрос, за которым вы следите
}
notif-edited = { $count ->
    [one] { $actor } отредактировал(а) вашу публикацию
    [few] Вашу публикацию отредактировали { $count } раза
   *[many] Вашу публикацию отредактировали { $count } раз
}
notif-edited-approved = { $actor } одобрил(а) вашу правку
notif-edited-rejected = { $actor } отклонил(а) вашу правку
notif-moderation-deleted = { $actor } удалил(а) вашу публикацию
notif-moderation-restored = { $actor } восстановил(а) вашу публикацию
notif-moderation-locked = { $actor } заблокировал(а) ваш вопрос
notif-moderation-unlocked = { $actor } разблокировал(а) ваш вопрос
notif-moderation-closed = Ваш вопрос закрыт
notif-moderation-reopened = Ваш вопрос снова открыт
notif-moderation-duplicate = Ваш вопрос закрыт как дубликат
notif-flag-helpful = Модератор признал вашу жалобу полезной
notif-flag-declined = Модератор отклонил вашу жалобу
settings-notifications = Уведомления
settings-notifications-lead = Всё приходит во входящие на сайте. Выберите, о чём также писать на почту: сразу, одной ежедневной сводкой или никогда. Письма уходят только на подтверждённый адрес.
settings-save = Сохранить
flash-notification-settings-saved = Настройки уведомлений сохранены.
notify-kind-answer = Новый ответ на мой вопрос
notify-kind-comment = Комментарий к моей публикации
notify-kind-mention = Меня упомянули (@имя)
notify-kind-accepted = Мой ответ приняли
notify-kind-followed = Новый ответ на вопрос, за которым я слежу
notify-kind-edited = Мою публикацию отредактировали
notify-kind-moderation = Мою публикацию закрыли, заблокировали или удалили
notify-kind-flag = Мою жалобу рассмотрели
notify-kind-all = все уведомления
notify-mode-instant = Сразу
notify-mode-daily = Ежедневная сводка
notify-mode-off = Не присылать
unsubscribe-title = Уведомления по почте
unsubscribe-lead = Больше не присылать письма о событии: { $what }?
unsubscribe-done = Письма больше не будут приходить: { $what }.
unsubscribe-submit = Отписаться
unsubscribe-settings-hint = Любую настройку писем можно изменить в любой момент:
email-notify-subject = { $message }: { $title }
email-notify-body = Здравствуйте, { $username }!

    { $message }: «{ $title }»
    { $reason }

    { $link }

    Выбрать, какие письма получать: { $settings }
    Отписаться от таких писем: { $unsubscribe }
email-digest-subject = { $count ->
    [one] Сводка NightCoder: { $count } новое уведомление
    [few] Сводка NightCoder: { $count } новых уведомления
   *[many] Сводка NightCoder: { $count } новых уведомлений
}
email-digest-body = Здравствуйте, { $username }!

    Вот что произошло со времени прошлой сводки:

    { $items }

    Выбрать, какие письма получать: { $settings }
    Отписаться от всех писем NightCoder: { $unsubscribe }
