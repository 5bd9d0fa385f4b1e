## Модерация и администрирование (/admin), жалобы, журнал действий.

admin-nav = Разделы администрирования
admin-title = Модерация
admin-dashboard = Сводка
admin-flags = Жалобы
admin-users = Пользователи
admin-deleted = Удалённые записи
admin-audit = Журнал действий
admin-pending-flags = Жалобы на рассмотрении
admin-no-flags = Жалоб нет.
admin-all-flags = Все жалобы →
admin-recent-actions = Последние действия
admin-no-actions = Действий пока не было.
admin-flag-count = { $count ->
    [one] { $count } жалоба на эту запись
    [few] { $count } жалобы на эту запись
   *[many] { $count } жалоб на эту запись
}
admin-already-deleted = уже удалено
admin-flagged-by = пожаловался { $name }
admin-note-placeholder = Заметка для автора жалобы (необязательно)
admin-followup = Дальнейшее действие
admin-followup-none = Ничего не делать
admin-followup-delete = Удалить запись
admin-followup-lock = Закрыть вопрос
admin-helpful = Обоснована
admin-decline = Отклонить
admin-user-search = Имя или e-mail
admin-role = Роль
admin-status = Состояние
admin-suspended = Заблокирован
admin-deleted-user = Удалён
admin-active = Активен
admin-no-users = Никого не найдено.
admin-sessions = Активные сеансы
admin-suspended-until = Заблокирован до { $until }
admin-public-profile = Публичный профиль
admin-full-history = Вся история →
admin-unsuspend = Снять блокировку
admin-suspend = Заблокировать
admin-change-role = Сменить роль
admin-adjust = Изменить репутацию
admin-logout-everywhere = Выйти на всех устройствах
admin-logout-confirm = Завершить все сеансы этого пользователя?
admin-cannot-moderate = Вы не можете модерировать эту учётную запись.
admin-flags-raised = Поданные жалобы
admin-filter-action = Действие
admin-all-actions = Все действия
admin-filter-actor = Имя модератора
admin-when = Когда
admin-actor = Кто
admin-action = Действие
admin-target = Объект
admin-author = Автор
admin-restore = Восстановить
admin-nothing-deleted = Ничего не удалено.
admin-lock = Закрыть
admin-unlock = Открыть

field-reason = Причина
field-until = Заблокирован до
field-delta = Баллы (+ или −)

audit-user-suspend = заблокировал пользователя
audit-user-unsuspend = снял блокировку
audit-user-role = сменил роль
audit-user-reputation = изменил репутацию
audit-user-logout = завершил все сеансы пользователя
audit-question-lock = закрыл вопрос
audit-question-unlock = открыл вопрос
audit-question-close = закрыл вопрос
audit-question-reopen = переоткрыл вопрос
audit-post-edit = отредактировал запись
audit-post-delete = удалил запись
audit-post-restore = восстановил запись
audit-flag-resolve = рассмотрел жалобу

flag-summary = Пожаловаться
flag-submit = Отправить жалобу
flag-note-placeholder = Что не так? (обязательно для «другое»)
flag-reason-spam = Спам
flag-reason-offensive = Грубость или оскорбление
flag-reason-off_topic = Не по теме
flag-reason-other = Другое
flag-status-pending = На рассмотрении
flag-status-helpful = Обоснована
flag-status-declined = Отклонена
flag-error-not-found = Этой записи больше нет.
flag-error-own = Нельзя пожаловаться на свою запись.
flag-error-reputation = Чтобы подавать жалобы, пока не хватает репутации.
flag-error-duplicate = Вы уже пожаловались на эту запись.
flag-error-reason = Выберите причину жалобы.
flag-error-note = Опишите проблему не длиннее 500 символов (обязательно для «другое»).
flag-error-resolved = Эта жалоба уже рассмотрена.
profile-my-flags = Мои жалобы

error-suspend-until = Выберите дату в будущем.
error-reason-required = Укажите причину не длиннее { $max } символов.
error-delta = Введите ненулевое число от −{ $max } до { $max }.

flash-user-suspended = Пользователь заблокирован, все его сеансы завершены.
flash-user-unsuspended = Блокировка снята.
flash-user-role = Роль изменена.
flash-user-reputation = Репутация изменена.
flash-user-logged-out = Все сеансы пользователя завершены.
flash-question-locked = Вопрос закрыт.
flash-question-unlocked = Вопрос открыт.
flash-post-restored = Запись восстановлена.
flash-restore-duplicate = Нельзя восстановить: автор уже написал другой отзыв об этом курсе.
flash-flagged = Спасибо, модераторы рассмотрят жалобу.
flash-flag-resolved = Жалоба рассмотрена.
admin-users-search = Поиск пользователей
