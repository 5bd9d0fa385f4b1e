# validation
error-required = Обязательное поле.
error-too-long = Не больше { $max } символов.
error-control-chars = Управляющие символы не допускаются.
error-username-email = Имя пользователя не может быть похоже на адрес почты.
error-username-format = { $min }–{ $max } символов: латинские буквы, цифры, «_» или «-».
error-username-taken = Это имя уже занято.
error-email-invalid = Введите корректный адрес почты.
error-email-taken = Аккаунт с такой почтой уже существует.
error-password-too-short = Не меньше { $min } символов.
error-password-too-long = Не больше { $max } символов.
error-password-common = Этот пароль слишком распространён. Выберите тот, который сложнее угадать.
error-password-like-name = Пароль слишком похож на имя пользователя или почту.
error-password-mismatch = Пароли не совпадают.
error-login-failed = Неверное имя пользователя, почта или пароль.
error-account-suspended = Аккаунт заблокирован до { $until }. Причина: { $reason }
error-current-password = Текущий пароль указан неверно.
error-website-invalid = Укажите полный адрес, начинающийся с http:// или https://.
error-birthday-range = Укажите дату между { $min } и { $max } годом.
error-avatar-too-large = Изображение больше { $max } КБ.
error-avatar-format = Загрузите изображение PNG, JPEG или WebP.
error-avatar-pixels = Слишком большое изображение: не больше { $megapixels } мегапикселей (например, 4000×4000).

# flash messages
flash-logged-in = С возвращением!
flash-welcome = Добро пожаловать в NightCoder! Аккаунт создан.
flash-logged-out = Вы вышли из аккаунта.
flash-reset-sent = Если этот адрес привязан к аккаунту, мы отправили на него ссылку для смены пароля.
flash-password-reset = Пароль изменён. Войдите с новым паролем.
flash-profile-saved = Профиль сохранён.
flash-password-changed = Пароль изменён. Остальные сеансы завершены.
flash-registered-confirm = Почти готово: мы отправили ссылку для подтверждения на вашу почту. Откройте её, затем войдите. (Если у адреса уже есть аккаунт, его владелец получил письмо.)
flash-email-confirmed = Адрес почты подтверждён. Добро пожаловать на NightCoder!
flash-confirmation-sent = Мы отправили новую ссылку для подтверждения на вашу почту.
confirm-title = Подтверждение адреса почты
confirm-invalid = Ссылка для подтверждения недействительна, уже использована или устарела. Ссылка работает один раз в течение { $hours } { $hours ->
    [one] часа
   *[other] часов
}.
confirm-resend-where = Отправить новую ссылку из настроек
confirm-banner = Адрес почты ещё не подтверждён, поэтому публиковать, голосовать, комментировать и отправлять жалобы пока нельзя. Откройте ссылку из нашего письма.
confirm-resend = Отправить ссылку ещё раз

# login and registration
login-title = Вход
field-login = Имя пользователя или почта
field-password = Пароль
login-submit = Войти
login-forgot = Забыли пароль?
login-no-account = Нет аккаунта? Зарегистрируйтесь
register-title = Регистрация
field-username = Имя пользователя
help-username = 3–32 символа: латинские буквы, цифры, «_» или «-».
field-email = Почта
help-password = { $min }–{ $max } символов. Длинные фразы приветствуются.
field-password-confirm = Повторите пароль
register-submit = Зарегистрироваться
register-have-account = Уже есть аккаунт?

# password reset
forgot-title = Сброс пароля
forgot-lead = Укажите почту вашего аккаунта, и мы пришлём ссылку для выбора нового пароля.
forgot-submit = Отправить ссылку
reset-title = Новый пароль
field-new-password = Новый пароль
reset-submit = Сменить пароль
reset-invalid = Ссылка недействительна, уже использована или устарела. Ссылка работает один раз в течение часа.
reset-request-new = Запросить новую ссылку
email-reset-subject = Сброс пароля NightCoder
email-reset-body = Здравствуйте, { $username }!

    Кто-то (надеемся, вы) запросил сброс пароля вашего аккаунта NightCoder.
    Откройте ссылку, чтобы выбрать новый пароль:

    { $link }

    Ссылка работает один раз и действует { $minutes } минут. Если вы ничего не запрашивали, просто проигнорируйте письмо: пароль останется прежним.
email-confirm-subject = Подтвердите адрес почты на NightCoder
email-confirm-body = Здравствуйте, { $username }!

    Добро пожаловать на NightCoder! Откройте ссылку, чтобы подтвердить адрес электронной почты:

    { $link }

    Ссылка работает один раз в течение { $hours } { $hours ->
        [one] часа
       *[other] часов
    }. До подтверждения можно читать и редактировать профиль, но нельзя публиковать, голосовать, комментировать и отправлять жалобы. Если вы не создавали этот аккаунт, просто проигнорируйте письмо.
email-taken-subject = Кто-то пытался зарегистрироваться с вашим адресом
email-taken-body = Здравствуйте, { $username }!

    Кто-то (возможно, вы) пытался создать новый аккаунт NightCoder с этим адресом почты. Адрес уже принадлежит вашему аккаунту, поэтому новый аккаунт не создан.

    Если это были вы, войдите здесь: { $login }
    Если вы забыли пароль, выберите новый здесь: { $reset }

    Если это были не вы, просто проигнорируйте письмо.

# profile and settings
profile-reputation = репутация
profile-member-since = С нами с { $date }
profile-birthday = День рождения: { $date }
profile-edit = Редактировать профиль
profile-about = О себе
profile-no-bio = Пользователь пока ничего о себе не рассказал.
settings-title = Настройки
settings-profile = Профиль
settings-password = Пароль
settings-view-profile = Открыть профиль
field-avatar = Аватар
help-avatar = PNG, JPEG или WebP, до 1 МБ. Уменьшается до 256×256.
field-remove-avatar = Удалить текущий аватар
field-bio = О себе
field-website = Сайт
help-website = Полный адрес, начинающийся с https://
field-birthday = День рождения
settings-password-lead = Смена пароля завершает все остальные ваши сеансы.
field-current-password = Текущий пароль
settings-password-submit = Сменить пароль
profile-accepted = Принятых ответов
profile-latest-questions = Последние вопросы
profile-latest-answers = Последние ответы
profile-no-questions = Вопросов пока нет.
profile-no-answers = Ответов пока нет.
