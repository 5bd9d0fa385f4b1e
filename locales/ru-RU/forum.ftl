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
help-markdown = Markdown: **жирный**, *курсив*, `код`, ``` блоки кода ```, [ссылки](https://…). 20–30 000 символов.
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
