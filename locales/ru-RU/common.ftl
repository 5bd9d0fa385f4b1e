site-name = NightCoder
site-description = Форум разработчиков: вопросы, ответы и отзывы о курсах, с репутацией.
nav-label = Главное меню
nav-toggle = Открыть меню
nav-questions = Вопросы
nav-tags = Метки
nav-reviews = Отзывы
nav-courses = Курсы
nav-leaderboard = Рейтинг
nav-search-placeholder = Поиск по вопросам…
nav-search-label = Поиск по вопросам
skip-to-content = Перейти к содержимому
nav-language = Язык
lang-en-short = EN
lang-ru-short = RU
lang-en-name = English
lang-ru-name = Русский
nav-profile = Профиль
nav-settings = Настройки
nav-admin = Модерация
nav-logout = Выйти
nav-login = Войти
nav-register = Регистрация
footer-tagline = NightCoder — код не спит, и мы тоже.
action-close = Закрыть
action-home = На главную
action-ask = Задать вопрос
action-save = Сохранить
action-cancel = Отмена
action-edit = Изменить
action-delete = Удалить
home-title = Главная
home-hero-title = Код не спит. И мы тоже.
home-hero-lead = Задавайте вопросы, отвечайте, пишите отзывы о курсах программирования и зарабатывайте репутацию, помогая другим.
home-browse = Все вопросы
role-user = Участник
role-moderator = Модератор
role-admin = Администратор
time-just-now = только что
time-minutes-ago = { $count ->
    [one] { $count } минуту назад
    [few] { $count } минуты назад
   *[many] { $count } минут назад
}
time-hours-ago = { $count ->
    [one] { $count } час назад
    [few] { $count } часа назад
   *[many] { $count } часов назад
}
time-days-ago = { $count ->
    [one] { $count } день назад
    [few] { $count } дня назад
   *[many] { $count } дней назад
}
time-months-ago = { $count ->
    [one] { $count } месяц назад
    [few] { $count } месяца назад
   *[many] { $count } месяцев назад
}
time-years-ago = { $count ->
    [one] { $count } год назад
    [few] { $count } года назад
   *[many] { $count } лет назад
}
