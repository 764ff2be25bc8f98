"""Specialization labels in the user's language (bot.services.titles)."""

from __future__ import annotations

import pytest

from bot.services.titles import english_title, title_for


@pytest.mark.parametrize(
    ("label", "english"),
    [
        ("Системный аналитик", "Systems analyst"),
        ("Frontend-разработчик", "Frontend developer"),
        ("Программист 1С", "1C programmer"),
        ("Аналитик данных", "Data analyst"),
        ("Менеджер по продажам", "Sales manager"),
        ("Инженер-программист микроконтроллеров", "Microcontroller software engineer"),
        ("UI/UX дизайнер", "UI/UX designer"),
        ("Ведущий Java разработчик", "Lead Java developer"),
        ("Специалист по информационной безопасности", "Information security specialist"),
        ("Бухгалтер / Главный бухгалтер", "Accountant / Chief accountant"),
        # already English, or a word the glossary does not know: the corpus's own title
        ("Python Developer", "Python Developer"),
        ("Python / NLP / Machine Learning", "Python / NLP / Machine Learning"),
        ("Оператор-геймер", "Оператор-геймер"),
    ],
)
def test_english_title(label, english):
    assert english_title(label) == english


def test_russian_users_see_the_label_as_it_is():
    assert title_for("ru", "Системный аналитик") == "Системный аналитик"
    assert title_for("en", "Системный аналитик") == "Systems analyst"
