"""The conversation around an answer, end to end through the fake Bot API: dates and the data
period, sort and filter buttons (an old message pages with its own settings), relaxing one
filter at a time, weaker matches after strong ones, hide / save / "не подходит", /saved."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot_harness import USER_ID
from fake_telegram import FakeTelegram, Sent
from user_rows import count_rows_about, rejections

from bot.app import BotRuntime

DATE = re.compile(r"🗓 (\d{1,2} \w{3} \d{4}|сегодня|вчера|\d+ \w+ назад)")
MONTHS = {
    m: i
    for i, m in enumerate(
        ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"), 1
    )
}


async def ask(tg: FakeTelegram, text: str, count: int = 1) -> list[Sent]:
    before = len(tg.outbox(USER_ID))
    await tg.send_text(USER_ID, text)
    return await tg.wait_new(USER_ID, before, count)


async def press(tg: FakeTelegram, message: Sent, data: str) -> Sent:
    """Press a button that edits the message; the message as edited."""
    edits = ("editMessageText", "editMessageReplyMarkup")
    before = len(tg.outbox(USER_ID, methods=edits))
    await tg.press(USER_ID, message, data)
    return await tg.wait_edit(USER_ID, before)


def dates_of(message: Sent) -> list[date]:
    found = []
    for text in DATE.findall(message.plain):
        day, month, year = text.split()
        found.append(date(int(year), MONTHS[month], int(day)))
    return found


def links_of(message: Sent) -> list[str]:
    return re.findall(r'href="https://hh\.ru/vacancy/(\d+)"', message.text)


async def test_vacancy_lines_show_date_schedule_and_the_data_period(
    tg: FakeTelegram, bot_runtime: BotRuntime
) -> None:
    _, vacancies = await ask(tg, "python, sql, pandas", count=2)
    assert len(dates_of(vacancies)) == 5  # every vacancy has its publication date
    assert any(s in vacancies.plain for s in ("Полный день", "Удалённо", "Гибкий", "Сменный"))
    assert any(e in vacancies.plain for e in ("Нет опыта", "1–3 года", "3–6 лет", "Более 6 лет"))
    # the synthetic corpus is of 2021: the answer says so first, with its newest date
    newest = max(dates_of(vacancies))
    assert (
        vacancies.plain.startswith(f"⏳ Вакансии собраны до {newest.day} ")
        and "многие уже закрыты" in vacancies.plain
    )
    (help_message,) = await ask(tg, "/help")
    assert "опубликованы с" in help_message.plain and "2021" in help_message.plain


async def test_sort_buttons_and_an_old_message_keeps_its_own_settings(
    tg: FakeTelegram, bot_runtime: BotRuntime
) -> None:
    _, old = await ask(tg, "python, sql, pandas", count=2)
    # old vacancies are never called new: the date sort is "по дате"
    assert not any("новые" in label for label, _ in old.buttons())
    by_date = await press(tg, old, old.button(text="По дате"))
    assert (
        by_date.message_id == old.message_id and "по дате" in by_date.plain and "новые" not in by_date.plain
    )
    shown = dates_of(by_date)
    assert shown == sorted(shown, reverse=True)
    assert any(label.startswith("✓ По дате") for label, _ in by_date.buttons())
    by_salary = await press(tg, by_date, by_date.button(text="По зарплате"))
    assert "з/п не указана" not in by_salary.plain.split("\n\n")[1]  # the best paid one first

    # The user moves to Kazan: new answers are filtered, the old message is not.
    await bot_runtime.repo.update_settings(USER_ID, city=("88", "Казань"))
    _, new = await ask(tg, "python, sql, pandas", count=2)
    assert "Москва" not in new.plain and "Казань" in new.plain
    page_two = await press(tg, by_salary, by_salary.button(data_prefix="pg:"))
    assert "(6–10 из" in page_two.plain and "по зарплате" in page_two.plain
    assert "Москва" in page_two.plain or "Санкт-Петербург" in page_two.plain
    query = await bot_runtime.repo.get_query(int(old.button(data_prefix="pg:").split(":")[1]))
    assert (
        query is not None
        and query.state["filters"] == {"sort": "salary", "country": "Россия"}
        and query.state["page"] == 1
    )


async def test_filter_buttons(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    _, answer = await ask(tg, "javascript, react, css", count=2)
    menu = await press(tg, answer, answer.button(text="Фильтры"))
    labels = [label for label, _ in menu.buttons()]
    assert any("только с зарплатой" in s for s in labels) and any("Занятость" in s for s in labels)
    paid = await press(tg, menu, menu.button(text="только с зарплатой"))
    assert "з/п не указана" not in paid.plain and "₽" in paid.plain
    minimum = await press(tg, paid, paid.button(text="Мин. зарплата"))
    assert any("Мин. зарплата: 50k" in label for label, _ in minimum.buttons())
    employment = await press(tg, minimum, minimum.button(text="Занятость"))
    assert "полная" in employment.plain and "частичная" not in employment.plain
    part_time = await press(tg, employment, employment.button(text="Занятость"))
    assert "частичная" in part_time.plain and "полная" not in part_time.plain.replace("полная", "", 0)
    back = await press(tg, part_time, part_time.button(text="Готово"))
    assert any(data.startswith("so:") for _, data in back.buttons())


async def test_relaxing_one_filter_says_which(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    await ask(tg, "/help")  # the user exists from the first message on
    await bot_runtime.repo.update_settings(USER_ID, city=(None, "Томск"), experience=("between3And6",))
    _, answer = await ask(tg, "docker, kubernetes, linux", count=2)
    assert "Томск: таких нет — показываю удалённые по всей России" in answer.plain
    assert "по всей России." not in answer.plain.replace("удалённые по всей России.", "")
    for facts in re.findall(r"🗓 ([^\n]+)", answer.plain):
        assert "Удалённо" in facts and "3–6 лет" in facts  # experience kept, remote anywhere
    # paging keeps the relaxation and says it again
    if answer.button(data_prefix="pg:"):
        page_two = await press(tg, answer, answer.button(data_prefix="pg:"))
        assert "показываю удалённые" in page_two.plain


async def test_weaker_matches_follow_strong_ones(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    _, answer = await ask(tg, "excel, git", count=2)
    # paging goes on past the strong matches: the ▶ is there and later pages say they are weaker
    page = answer
    for _ in range(30):
        more = [d for label, d in page.buttons() if d.startswith("pg:") and "▶" in label]
        if "слабее" in page.plain or not more:
            break
        page = await press(tg, page, more[0])
    assert "Дальше — слабее" in page.plain or "сильных совпадений" in answer.plain


async def test_hide_save_and_reject_a_vacancy(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    _, answer = await ask(tg, "figma, photoshop, ux", count=2)
    first_ids = links_of(answer)
    actions = await press(tg, answer, answer.button(text="Скрыть"))
    labels = [label for label, _ in actions.buttons()]
    assert {"🙈 1", "⭐ 1", "👎 1", "🙈 5"} <= set(labels)

    hidden = await press(tg, actions, actions.button(text="🙈 1"))
    assert first_ids[0] not in links_of(hidden) and links_of(hidden)[0] == first_ids[1]
    saved_id = links_of(hidden)[0]
    answer_q = await tg.wait_callback_answer(await tg.press(USER_ID, hidden, hidden.button(text="⭐ 1")))
    assert "Сохранил" in answer_q["text"]
    rejected = await tg.wait_callback_answer(await tg.press(USER_ID, hidden, hidden.button(text="👎 2")))
    assert "не подходит" in rejected["text"]
    query_id = int(answer.button(data_prefix="pg:").split(":")[1])
    assert await rejections(bot_runtime.sessions, USER_ID) == [(query_id, f"hh:{links_of(hidden)[1]}")]

    # hidden for good: later answers (and pages) never show it
    _, again = await ask(tg, "figma, photoshop, ux", count=2)
    assert first_ids[0] not in links_of(again)
    (saved,) = await ask(tg, "/saved")
    assert "Сохранённые вакансии" in saved.plain and f"hh.ru/vacancy/{saved_id}" in saved.text

    (confirm,) = await ask(tg, "/forget")
    await tg.press(USER_ID, confirm, confirm.button(data_prefix="fgt:1"))
    await tg.wait_until(
        lambda: (
            "всё удалено" in (tg.outbox(USER_ID, methods=("editMessageText",)) or [Sent("", 0, 0)])[-1].plain
        )
    )
    assert await count_rows_about(bot_runtime.sessions, USER_ID) == 0
    assert await rejections(bot_runtime.sessions, USER_ID) == []


async def test_saved_shows_salary_dates_links_and_removes(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    _, answer = await ask(tg, "python, sql, pandas", count=2)
    ids = links_of(answer)
    actions = await press(tg, answer, answer.button(text="Скрыть"))
    for n in ("⭐ 1", "⭐ 2"):
        await tg.wait_callback_answer(await tg.press(USER_ID, actions, actions.button(text=n)))
    (saved,) = await ask(tg, "/saved")
    entries = saved.plain.split("\n")
    assert "(2)" in entries[0]
    # newest first: the second saved comes first; each with its link, salary, dates
    assert saved.text.index(f"hh.ru/vacancy/{ids[1]}") < saved.text.index(f"hh.ru/vacancy/{ids[0]}")
    details = [line for line in entries if "сохранена" in line]
    assert len(details) == 2
    assert all(("₽" in line or "з/п не указана" in line) and "опубликована" in line for line in details)
    assert [label for label, _ in saved.buttons()] == ["✖ 1", "✖ 2"]

    removed = await press(tg, saved, saved.button(text="✖ 1"))
    assert f"hh.ru/vacancy/{ids[1]}" not in removed.text and f"hh.ru/vacancy/{ids[0]}" in removed.text
    assert [label for label, _ in removed.buttons()] == ["✖ 1"]
    # the old message's ✖ 1 for the same vacancy: already done, nothing else removed
    reply = await tg.wait_callback_answer(await tg.press(USER_ID, saved, saved.button(text="✖ 1")))
    assert "Уже" in reply["text"]
    assert [s.vacancy_key for s in await bot_runtime.repo.saved_vacancies(USER_ID)] == [f"hh:{ids[0]}"]
    empty = await press(tg, removed, removed.button(text="✖ 1"))
    assert "пока нет" in empty.plain and not empty.buttons()
    assert not tg.errors, tg.errors


async def test_every_answer_is_within_telegram_limits(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    """The fake server refuses over-long texts, bad HTML and long callback data: none happened."""
    _, answer = await ask(
        tg, "python, sql, pandas, machine learning, statistics, tableau, excel, numpy", count=2
    )
    answer = await press(tg, answer, answer.button(text="По зарплате"))
    answer = await press(tg, answer, answer.button(text="Фильтры"))
    assert all(len(data.encode()) <= 64 for _, data in answer.buttons())
    assert not tg.errors


async def test_near_certain_typo_is_corrected_and_said(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    recognition, vacancies = await ask(tg, "pyton, sql", count=2)
    assert "Понял «pyton» как Python." in recognition.plain
    assert "Python" in recognition.plain.split("Распознал навыки:")[1].split("\n")[0]
    assert "не хватает: Python" not in vacancies.plain
    query = await bot_runtime.repo.get_query(int(vacancies.button(data_prefix="pg:").split(":")[1]))
    assert query is not None and "python" in query.recognized_skills


async def test_typo_suggestion_buttons_apply_the_correction(
    tg: FakeTelegram, bot_runtime: BotRuntime
) -> None:
    recognition, _ = await ask(tg, "sql, pandsa, tablo", count=2)
    typo_buttons = [(label, data) for label, data in recognition.buttons() if data.startswith("ty:")]
    assert typo_buttons, recognition.plain
    label, data = next((lb, d) for lb, d in typo_buttons if "→" in lb)
    term, skill = (part.strip(" ?") for part in label.split("→"))
    # the skill the user probably meant is neither advised back nor listed as lacking
    learn = recognition.plain.split("Что изучить")[-1] if "Что изучить" in recognition.plain else ""
    first_suggestion = typo_buttons[0][0].split("→")[1].strip(" ?")
    assert f"• {first_suggestion}:" not in learn
    before = len(tg.outbox(USER_ID))
    await tg.press(USER_ID, recognition, data)
    again, answer = await tg.wait_new(USER_ID, before, 2)
    assert f"Понял «{term}» как {skill}." in again.plain
    assert skill in again.plain.split("Распознал навыки:")[1].split("\n")[0]
    assert "Вакансии" in answer.plain


async def test_typo_targets_never_lacking_on_any_page(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    """Issue 20: page 2 rebuilt the query without its typed terms, and listed what the user
    meant by a typo as lacking; every page (and a re-sort) has page 1's notion of the query."""
    recognition, first = await ask(tg, "sql, pandsa, tablo", count=2)
    suggested = {label.split("→")[1].strip(" ?") for label, d in recognition.buttons() if d.startswith("ty:")}
    targets = suggested & {"Pandas", "Tableau"}  # the first suggestions in this corpus
    assert targets, recognition.buttons()

    def lacking(message: Sent) -> str:
        return "\n".join(line for line in message.plain.splitlines() if line.startswith("✗"))

    pages = [first]
    while len(pages) < 4 and any("▶" in label for label, _ in pages[-1].buttons()):
        more = next(d for label, d in pages[-1].buttons() if "▶" in label)
        pages.append(await press(tg, pages[-1], more))
    pages.append(await press(tg, pages[-1], pages[-1].button(text="По зарплате")))
    assert len(pages) >= 3
    assert all(lacking(page) for page in pages[1:])  # vacancies there do lack skills...
    for page in pages:
        assert not any(target in lacking(page) for target in targets), lacking(page)  # ...not these
    assert not tg.errors


async def test_suggestions_are_the_same_every_time(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    first, _ = await ask(tg, "sql, pandsa, tablo", count=2)
    second, _ = await ask(tg, "sql, pandsa, tablo", count=2)
    assert [label for label, _ in first.buttons()] == [label for label, _ in second.buttons()]


async def test_greeting_gets_a_welcome_with_examples(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    (welcome,) = await ask(tg, "Привет!")
    assert "Пришлите навыки" in welcome.plain and "не узнал" not in welcome.plain
    example = welcome.button(data_prefix="ex:")
    before = len(tg.outbox(USER_ID))
    await tg.press(USER_ID, welcome, example)
    recognition, vacancies = await tg.wait_new(USER_ID, before, 2)
    assert "Распознал навыки" in recognition.plain and "Вакансии" in vacancies.plain


async def test_salary_question_names_a_title(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    note, table, chart = await ask(tg, "сколько получает бухгалтер?", count=3)
    assert "Понял «бухгалтер» как профессию" in note.plain
    assert "Оценка зарплаты" in table.plain and chart.photo is not None
    assert "1С" in table.plain or "Бухгалтерский учет" in table.plain  # the field's skills


async def test_salary_command_reads_text_as_free_text_does(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    """Issue 20: /salary X goes through the same autocorrect and title-as-field as free text,
    and gives the same figures as the salary question typed freely."""
    note, table, chart = await ask(tg, "/salary бухгалтер", count=3)
    assert "Понял «бухгалтер» как профессию" in note.plain
    assert "Оценка зарплаты" in table.plain and chart.photo is not None
    _, free_table, _ = await ask(tg, "сколько получает бухгалтер?", count=3)
    assert free_table.plain == table.plain
    corrected, typo_table, _ = await ask(tg, "/salary pyton, sql", count=3)
    assert "Понял «pyton» как Python." in corrected.plain
    assert "Python" in typo_table.plain.split("\n")[0]  # the header names the corrected skill
    assert not tg.errors


async def test_a_job_title_alone_is_a_field(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    recognition, vacancies = await ask(tg, "бухгалтер", count=2)
    assert "как профессию" in recognition.plain and "не узнал" not in recognition.plain
    titles = re.findall(r"^\d+\. (.+)$", vacancies.plain, flags=re.M)
    assert titles and sum("ухгалтер" in title for title in titles) >= 4


CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


async def test_english_answer_has_no_russian_outside_names(
    tg: FakeTelegram, bot_runtime: BotRuntime, bundle: Any
) -> None:
    """Issue 19: skills (their English spelling), every label, the salary table: English; Russian
    only in proper names, the employers', cities' and vacancy titles' own (the corpus's strings)."""
    english = 3003
    tg.add_user(english, language_code="en")
    await bot_runtime.repo.touch_user(english, "en")
    await bot_runtime.repo.update_settings(english, city=("1", "Москва"), experience=("noExperience",))
    index = bundle.index
    names = sorted({*index.titles, *index.employers, *index.areas}, key=len, reverse=True)
    replies = []
    for query in ("python, sql, statistics", "figma, ux, prototyping", "1c, accounting, excel"):
        before = len(tg.outbox(english))
        await tg.send_text(english, query)
        replies += await tg.wait_new(english, before, 2)
    before = len(tg.outbox(english))
    await tg.send_text(english, "/salary python, sql")
    replies += await tg.wait_new(english, before, 2)
    for reply in replies:
        text = reply.plain if reply.method != "sendPhoto" else str(reply.params.get("caption", ""))
        for name in names:
            text = text.replace(name, "")
        assert not CYRILLIC.search(text), [line for line in text.splitlines() if CYRILLIC.search(line)]
    assert not tg.errors


async def test_english_user_gets_english_labels_dates_and_salaries(
    tg: FakeTelegram, bot_runtime: BotRuntime
) -> None:
    english = 3000
    tg.add_user(english, language_code="en")
    await tg.send_text(english, "python, sql, pandas")
    recognition, vacancies = await tg.wait_new(english, 0, 2)
    assert "Skills recognized" in recognition.plain and "Vacancies" in vacancies.plain
    specialization = next(line for line in recognition.plain.splitlines() if "Your specialization" in line)
    assert not re.search(r"[а-яё]", specialization, re.IGNORECASE)  # the field's title in English too
    assert re.search(r"🗓 \d{1,2} (Oct|Nov) 2021", vacancies.plain)
    assert any(s in vacancies.plain for s in ("Full day", "Remote", "Flexible", "Shifts"))
    assert (
        vacancies.plain.startswith("⏳ Vacancies collected up to ")
        and "Today's vacancies: hh.ru" in vacancies.plain
    )
    assert "от " not in vacancies.plain and "до " not in vacancies.plain  # hh's salary strings in English
    assert re.search(r"\d{2,3},\d{3}", vacancies.plain)
    menu_before = len(tg.outbox(english, methods=("editMessageText", "editMessageReplyMarkup")))
    await tg.press(english, vacancies, vacancies.button(text="Filters"))
    await tg.wait_until(
        lambda: len(tg.outbox(english, methods=("editMessageText", "editMessageReplyMarkup"))) > menu_before
    )
    labels = [label for label, _ in tg.outbox(english, methods=("editMessageText",))[-1].buttons()]
    assert any("salary stated" in label for label in labels) and any(
        "Employment" in label for label in labels
    )
