questions-title = Все вопросы
question-new-title = Задать вопрос
question-edit-title = Редактирование вопроса
question-submit = Опубликовать вопрос
question-asked = задан
question-solved = Решён
question-locked-note = Вопрос закрыт: новые ответы и голоса не принимаются.
post-deleted-note = Эта публикация удалена. Её видят только модераторы.
post-edited = изменён
answer-answered = ответ
answer-your = Ваш ответ
answer-submit = Опубликовать ответ
answer-edit-title = Редактирование ответа
answer-edit-for = Ответ на вопрос
answer-accept = Принять этот ответ
answer-unaccept = Отменить принятие
answer-accepted = Принятый ответ
answers-empty = Ответов пока нет. Знаете ответ? Поделитесь.
answer-login-cta = Войдите или зарегистрируйтесь, чтобы ответить.
confirm-delete-question = Удалить этот вопрос?
confirm-delete-answer = Удалить этот ответ?
field-title = Заголовок
help-title = Конкретно: что вы пытаетесь сделать и что идёт не так? 10–150 символов.
field-body = Подробности
field-answer = Ответ
help-markdown = Markdown: **жирный**, *курсив*, `код`, ``` блоки кода ```, [ссылки](https://…). 20–30 000 символов.
field-tags = Метки
help-tags = 1–5 меток через пробел, например «rust async tokio»: строчные латинские буквы, цифры и + # . -
action-search = Найти
search-title = Результаты по запросу «{ $query }»
search-empty = Ничего не найдено. Попробуйте другие или более общие слова.
questions-empty = Вопросов пока нет.
questions-howto-title = Как хорошо спросить
questions-howto = Расскажите, что вы пробовали и что получилось. Приложите минимальный код, воспроизводящий проблему, и выберите точные метки.
tags-browse = Все метки
tags-title = Метки
tags-empty = Меток пока нет.
tag-title = Вопросы с меткой [{ $name }]
filter-tag = метка: { $name }
sort-newest = Новые
sort-votes = По голосам
sort-active = Активные
sort-unanswered = Без ответа
count-votes = { $count ->
    [one] { $count } голос
    [few] { $count } голоса
   *[many] { $count } голосов
}
count-answers = { $count ->
    [one] { $count } ответ
    [few] { $count } ответа
   *[many] { $count } ответов
}
count-questions = { $count ->
    [one] { $count } вопрос
    [few] { $count } вопроса
   *[many] { $count } вопросов
}
count-questions-capped = больше { $count } вопросов
pagination-label = Страницы
pagination-prev = Назад
pagination-next = Вперёд
vote-up = Полезно (голос за)
vote-down = Бесполезно (голос против)
vote-score = Рейтинг
home-latest-questions = Новые вопросы
home-all-questions = Все вопросы →
home-stats = Сообщество
stats-users = Участников
stats-questions = Вопросов
stats-answers = Ответов
stats-solved = Решённых вопросов
stats-reviews = Отзывов о курсах
home-top = Лучшие участники
home-leaderboard = Весь рейтинг →
error-length = От { $min } до { $max } символов.
error-too-deep = Слишком глубокая вложенность (больше { $max } уровней цитат, списков или HTML).
error-tags-required = Добавьте хотя бы одну метку.
error-tags-too-many = Не больше { $max } меток.
error-tag-invalid = Метки состоят из строчных латинских букв, цифр и + # . - (до 32 символов).
flash-question-posted = Вопрос опубликован.
flash-question-saved = Изменения сохранены.
flash-question-deleted = Вопрос удалён.
flash-answer-posted = Ответ опубликован.
flash-answer-saved = Ответ сохранён.
flash-answer-deleted = Ответ удалён.
flash-answer-accepted = Ответ принят.
flash-answer-unaccepted = Принятие отменено.
home-latest-reviews = Новые отзывы о курсах
home-all-reviews = Все отзывы →
question-follow = Следить
question-following = Вы следите
flash-following = Вы следите за вопросом: новые ответы появятся в уведомлениях.
flash-unfollowed = Вы больше не следите за этим вопросом.
profile-following = Вопросы, за которыми вы следите
profile-following-empty = Вы пока ни за чем не следите. За своими вопросами и теми, на которые вы ответили, вы следите автоматически.
comment-add = Добавить комментарий
comment-submit = Отправить комментарий
comment-edit-title = Правка комментария
comment-edited = изменён
comment-vote = Полезный комментарий
confirm-delete-comment = Удалить этот комментарий?
comments-show-all = { $count ->
    [one] Показать { $count } комментарий
    [few] Показать все { $count } комментария
   *[many] Показать все { $count } комментариев
}
field-comment = Комментарий
help-comment-markdown = 15–600 символов. `код`, **жирный**, *курсив* и [ссылки](https://…); @имя уведомит пользователя.
flash-comment-posted = Комментарий опубликован.
flash-comment-edited = Комментарий сохранён.
flash-comment-deleted = Комментарий удалён.
comment-error-too-late = Комментарий можно править только 5 минут после публикации.
comment-error-own = Нельзя голосовать за свой комментарий.
error-locked = Вопрос заблокирован: новые ответы, комментарии и голоса не принимаются.
error-reputation-needed = Для этого нужна репутация { $needed }.
post-edited-by = пользователем { $name }
action-suggest = Предложить правку
suggest-title = Предложить правку
suggest-lead = Вы можете улучшить эту публикацию: правка попадёт в очередь проверки, и пользователи с правом проверки примут или отклонят её. За принятую правку вы получите 2 очка репутации.
suggest-submit = Отправить на проверку
flash-suggestion-sent = Спасибо! Ваша правка ждёт проверки.
flash-no-change = Ничего не изменилось.
flash-suggestion-approved = Правка принята и применена.
flash-suggestion-rejected = Правка отклонена.
suggestion-error-pending = У этой публикации уже есть правка, ожидающая проверки. Попробуйте после неё.
suggestion-error-reviewed = Эту правку уже кто-то проверил.
suggestion-error-reason = Укажите причину отказа: она поможет автору.
suggestion-error-own = Нельзя проверять собственную правку.
field-summary = Описание правки
help-summary = Необязательно: что и зачем вы изменили? До 300 символов.
nav-review-edits = Проверка правок
review-edits-title = Предложенные правки
review-edits-lead = { $count ->
    [one] Ждёт проверки { $count } правка.
    [few] Ждут проверки { $count } правки.
   *[many] Ждут проверки { $count } правок.
}
review-edits-empty = Сейчас проверять нечего.
review-approve = Принять
review-reject = Отклонить
review-reject-reason = Почему отклонить?
history-title = История «{ $title }»
history-back-question = Вернуться к вопросу
history-back-answer = Вернуться к ответу
history-back-review = Вернуться к отзыву
history-legend = Изменения относительно предыдущей версии:
history-removed = удалено
history-added = добавлено
history-revision = Версия { $number }
history-kind-create = исходная
history-kind-edit = правка
history-kind-rollback = откат к версии
history-kind-suggestion = принятая правка
history-rollback = Откатить к этой версии
history-rollback-confirm = Откатить к версии { $number }? Текущий текст останется в истории.
history-current = текущая
flash-rolled-back = Откат выполнен. История хранит все версии.
question-closed-note = Закрыт: { $reason }. Новые ответы не принимаются; голоса и комментарии — да.
question-duplicate-note = Закрыт как дубликат. Ответы — у исходного вопроса:
question-closed-answers = Вопрос закрыт, новые ответы не принимаются.
question-linked = Связанные вопросы
question-related = Похожие вопросы
close-reason-duplicate = дубликат другого вопроса
close-reason-off-topic = не по теме
close-reason-needs-details = нужны подробности или ясность
close-reason-opinion-based = основан на мнениях
close-close = Голосовать за закрытие
close-reopen = Голосовать за открытие
close-why = Почему его стоит закрыть?
close-duplicate-of = Для дубликата: адрес или номер исходного вопроса
close-duplicate-placeholder = /questions/123
close-submit = Голосовать за закрытие
reopen-submit = Голосовать за открытие
close-voted-close = Вы проголосовали за закрытие этого вопроса.
close-voted-reopen = Вы проголосовали за открытие этого вопроса.
flash-close-vote-counted = Ваш голос учтён.
flash-question-closed = Вопрос закрыт.
flash-question-reopened = Вопрос снова открыт.
close-error-voted = Вы уже проголосовали.
close-error-state = Вопрос уже не в том состоянии, которое меняет этот голос (его уже закрыли или открыли).
close-error-duplicate = Укажите исходный вопрос (номер или адрес): другой существующий вопрос.
error-closed = Вопрос закрыт: новые ответы не принимаются.
similar-check = Найти похожие вопросы
similar-title = Похожие вопросы, которые, возможно, уже отвечают на ваш
similar-none = Похожих вопросов не найдено.
questions-search = Поиск и фильтр вопросов
vote-login-hint = Войдите, чтобы голосовать

## feeds
feed-questions-title = NightCoder: новые вопросы
feed-tag-title = NightCoder: новые вопросы с меткой { $tag }
feed-question-title = Ответы на «{ $title }»
feed-link-questions = Новые вопросы (лента Atom)
feed-link-tag = Новые вопросы с меткой { $tag } (лента Atom)
feed-link-question = Ответы на этот вопрос (лента Atom)

## preview
preview-title = Предпросмотр
preview-button = Предпросмотр
error-preview-too-long = Слишком длинный текст для предпросмотра (не более 30 000 символов).
error-preview-too-deep = Слишком глубокая вложенность для предпросмотра.
