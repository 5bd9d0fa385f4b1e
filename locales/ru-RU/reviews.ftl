reviews-title = Отзывы о курсах
reviews-empty = Отзывов пока нет.
reviews-stats = Отзывы
reviews-search-placeholder = Поиск по курсу, заголовку или тексту отзыва…
reviews-by-title = Отзывы { $name }
reviews-average = средняя оценка { $average }
review-write = Написать отзыв
review-new-title = Отзыв о курсе
review-edit-title = Редактирование отзыва
review-submit = Опубликовать отзыв
review-written = отзыв
review-more-by = Другие отзывы { $name }
review-all-by = Все отзывы { $name } →
review-no-more = Других отзывов пока нет.
review-duplicate-lead = Вы уже написали отзыв об этом курсе.
review-duplicate-link = Откройте его, чтобы отредактировать.
review-helpful-count = { $count ->
    [one] { $count } человек счёл отзыв полезным
    [few] { $count } человека сочли отзыв полезным
   *[many] { $count } человек сочли отзыв полезным
}
confirm-delete-review = Удалить этот отзыв?
field-course = Курс
help-course = Название курса, например «Rust in Action». Регистр и пробелы не важны: курс найдётся.
field-review-title = Заголовок отзыва
field-rating = Ваша оценка
field-review-body = Ваш отзыв
rating-1 = Плохо
rating-2 = Так себе
rating-3 = Хорошо
rating-4 = Очень хорошо
rating-5 = Отлично
rating-label = Оценка { $rating } из 5
rating-average-label = Средняя оценка { $average } из 5
count-reviews = { $count ->
    [one] { $count } отзыв
    [few] { $count } отзыва
   *[many] { $count } отзывов
}
courses-title = Курсы
courses-empty = Отзывов о курсах пока нет.
courses-browse = Все курсы →
courses-sort-rating = Лучшие оценки
courses-sort-reviews = Больше отзывов
course-sort-newest = Новые
course-sort-helpful = Самые полезные
course-histogram = Оценки по числу звёзд
error-rating = Выберите оценку от 1 до 5 звёзд.
error-review-duplicate = Вы уже написали отзыв об этом курсе.
flash-review-posted = Отзыв опубликован.
flash-review-saved = Отзыв сохранён.
flash-review-deleted = Отзыв удалён.
reviews-search = Поиск отзывов
