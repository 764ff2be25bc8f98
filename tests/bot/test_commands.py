"""Every command, paging, feedback, salary and /forget, end to end."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot_harness import ADMIN_ID, USER_ID
from fake_telegram import FakeTelegram
from user_rows import count_rows_about, feedback_for

from bot.app import BotRuntime
from bot.storage.sources import RunCounts, SourceStateRepository


async def ask(tg: FakeTelegram, text: str, count: int = 1, user: int = USER_ID) -> list:
    before = len(tg.outbox(user))
    await tg.send_text(user, text)
    return await tg.wait_new(user, before, count)


async def test_commands_menu_set_in_both_languages(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    assert {"", "ru"} <= set(tg.commands)
    names = {c["command"] for c in tg.commands["ru"]}
    assert {"start", "skills", "jobs", "salary", "digest", "settings", "forget", "help", "cancel"} <= names
    assert "stats" not in names
    assert tg.commands["ru"][0]["description"] != tg.commands[""][0]["description"]


async def test_help_and_cancel(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    (help_message,) = await ask(tg, "/help")
    assert "/skills" in help_message.plain and "/forget" in help_message.plain
    await ask(tg, "/start")
    (cancelled,) = await ask(tg, "/cancel")
    assert "Отменено" in cancelled.plain
    # After /cancel a button of the dialogue is out of date.
    (no_state,) = await ask(tg, "/cancel")
    assert "Отменено" in no_state.plain


async def test_skills_show_and_replace(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    (none_saved,) = await ask(tg, "/skills")
    assert "не сохранены" in none_saved.plain
    (replaced,) = await ask(tg, "/skills Python, SQL, pandas, блокчейнщик")
    assert "сохранены" in replaced.plain and "pandas" in replaced.plain.lower()
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and {"python", "sql", "pandas"} <= set(profile.skills)
    (shown,) = await ask(tg, "/skills")
    assert "Ваши навыки" in shown.plain and "Что изучить" in shown.plain and "%" in shown.plain


async def test_jobs_uses_saved_profile(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    (need,) = await ask(tg, "/jobs")
    assert "Сначала пришлите навыки" in need.plain
    await ask(tg, "/skills docker, kubernetes, linux")
    recognition, vacancies = await ask(tg, "/jobs", count=2)
    assert "docker" in recognition.plain.lower()
    assert "Вакансии" in vacancies.plain
    assert "DevOps" in vacancies.plain or "Linux" in vacancies.plain


async def test_pagination_edits_the_message(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    _, first_page = await ask(tg, "python, sql, pandas", count=2)
    assert "(1–5 из" in first_page.plain
    edits = len(tg.outbox(USER_ID, methods=("editMessageText",)))
    await tg.press(USER_ID, first_page, first_page.button(data_prefix="pg:"))
    second_page = await tg.wait_edit(USER_ID, edits)
    assert second_page.message_id == first_page.message_id
    assert "(6–10 из" in second_page.plain
    assert any(d.startswith("pg:") and d.endswith(":0") for _, d in second_page.buttons())  # back
    query_id = int(first_page.button(data_prefix="pg:").split(":")[1])
    query = await bot_runtime.repo.get_query(query_id)
    assert query is not None and len(query.vacancy_keys) == 10
    # The same "more" button pressed again (twice fast): no error reaches the user.
    q1 = await tg.press(USER_ID, first_page, first_page.button(data_prefix="pg:"))
    q2 = await tg.press(USER_ID, first_page, first_page.button(data_prefix="pg:"))
    await tg.wait_callback_answer(q1)
    await tg.wait_callback_answer(q2)
    assert not [e for e in tg.errors if e[0] != "editMessageText"]
    assert len(tg.outbox(USER_ID)) == 2  # paging never sends new messages


async def test_feedback_stored_with_query(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    _, vacancies = await ask(tg, "figma, photoshop", count=2)
    like = vacancies.button(text="👍")
    dislike = vacancies.button(text="👎")
    answer = await tg.wait_callback_answer(await tg.press(USER_ID, vacancies, like))
    assert "Спасибо" in answer["text"]
    await tg.wait_callback_answer(await tg.press(USER_ID, vacancies, like))
    assert await feedback_for(bot_runtime.sessions, USER_ID) == [(int(like.split(":")[1]), 1)]
    await tg.wait_callback_answer(await tg.press(USER_ID, vacancies, dislike))
    assert await feedback_for(bot_runtime.sessions, USER_ID) == [(int(like.split(":")[1]), -1)]


async def test_salary_button_and_command(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    _, vacancies = await ask(tg, "python, sql", count=2)
    before = len(tg.outbox(USER_ID))
    await tg.press(USER_ID, vacancies, vacancies.button(data_prefix="sal:"))
    table, chart = await tg.wait_new(USER_ID, before, 2)
    assert "Оценка зарплаты" in table.plain and "<pre>" in table.text
    assert "Нет опыта" in table.plain and "Полный день" in table.plain
    assert chart.method == "sendPhoto" and chart.photo is not None and chart.photo.startswith(b"\x89PNG")
    table2, chart2 = await ask(tg, "/salary figma, ux", count=2)
    assert "figma" in table2.plain.lower() and chart2.photo
    (nothing,) = await ask(tg, "/salary ;;; ???")
    assert "не узнал" in nothing.plain


async def test_digest_subscribe_and_unsubscribe(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    (need,) = await ask(tg, "/digest")
    assert "Сначала" in need.plain
    await ask(tg, "/skills python, sql")
    (offer,) = await ask(tg, "/digest")
    edits = len(tg.outbox(USER_ID, methods=("editMessageText",)))
    await tg.press(USER_ID, offer, offer.button(data_prefix="dg:weekly"))
    done = await tg.wait_edit(USER_ID, edits)
    assert "раз в неделю" in done.plain
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and profile.digest_frequency == "weekly"
    (status,) = await ask(tg, "/digest")
    assert "подписаны" in status.plain
    await tg.press(USER_ID, status, status.button(data_prefix="dg:off"))
    await tg.wait_edit(USER_ID, edits + 1)
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and profile.digest_frequency is None


async def test_digest_says_when_and_its_settings_come_back(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    """Issue 19: /digest names the next send time in the user's zone; "⚙️ Город, опыт, график"
    opened from it has a way back to it."""
    await ask(tg, "/skills python, sql")
    await bot_runtime.repo.update_settings(USER_ID, city=("3", "Екатеринбург"))
    (offer,) = await ask(tg, "/digest")
    edits = 0

    async def press(message, data):  # type: ignore[no-untyped-def]
        nonlocal edits
        await tg.press(USER_ID, message, data)
        edited = await tg.wait_edit(USER_ID, edits)
        edits += 1
        return edited

    status = await press(offer, offer.button(data_prefix="dg:daily"))
    when = re.search(r"не раньше (\d\d\.\d\d \d\d:\d\d) \((.+?)\)", status.plain)
    assert when is not None, status.plain
    assert when.group(2) == "МСК+2, местное время"  # Екатеринбург: UTC+5
    shown = datetime.strptime(when.group(1), "%d.%m %H:%M")
    local_now = datetime.now(UTC) + timedelta(hours=5)
    # the worker looks within a minute: the next digest can go that soon
    assert (shown.hour, shown.minute) in {
        ((local_now + timedelta(minutes=m)).hour, (local_now + timedelta(minutes=m)).minute) for m in (1, 2)
    }

    menu = await press(status, status.button(text="Город, опыт, график"))
    labels = [label for label, _ in menu.buttons()]
    assert labels == ["Город", "Опыт", "График", "◀ К подборке"]
    cities = await press(menu, menu.button(text="Город"))
    summary = await press(cities, cities.button(text="Москва"))
    assert "Город: Москва" in summary.plain and "◀ К подборке" in [label for label, _ in summary.buttons()]
    experience = await press(summary, summary.button(text="Опыт"))
    summary = await press(experience, experience.button(text="Нет опыта"))
    assert "Опыт: Нет опыта" in summary.plain
    back = await press(summary, summary.button(text="К подборке"))
    assert "подписаны" in back.plain and "(МСК)" in back.plain  # Moscow now, said as Moscow time
    assert "Москва" in back.plain and "Нет опыта" in back.plain  # the digest's criteria as just set
    assert "✓ каждый день" in [label for label, _ in back.buttons()]
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and profile.digest_frequency == "daily"
    assert not tg.errors, tg.errors


async def test_settings_language_city_experience_schedule(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    (summary,) = await ask(tg, "/settings")
    assert "Настройки" in summary.plain
    edit_count = 0

    async def press_and_wait(message, data):  # type: ignore[no-untyped-def]
        nonlocal edit_count
        await tg.press(USER_ID, message, data)
        edited = await tg.wait_edit(USER_ID, edit_count)
        edit_count += 1
        return edited

    menu = await press_and_wait(summary, summary.button(data_prefix="set:city"))
    summary = await press_and_wait(menu, menu.button(text="Санкт-Петербург"))
    assert "Санкт-Петербург" in summary.plain
    menu = await press_and_wait(summary, summary.button(data_prefix="set:exp"))
    summary = await press_and_wait(menu, menu.button(data_prefix="exp:s:between1And3"))
    menu = await press_and_wait(summary, summary.button(data_prefix="set:sch"))
    summary = await press_and_wait(menu, menu.button(data_prefix="sch:s:remote"))
    menu = await press_and_wait(summary, summary.button(data_prefix="set:lang"))
    summary = await press_and_wait(menu, menu.button(text="English"))
    assert "Settings" in summary.plain and "Remote" in summary.plain and "1–3 years" in summary.plain
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None
    assert (profile.language, profile.city_name, profile.experience, profile.schedule) == (
        "en", "Санкт-Петербург", "between1And3", "remote",
    )  # fmt: skip
    (help_en,) = await ask(tg, "/help")
    assert "What I do" in help_en.plain


async def test_forget_deletes_everything(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    await ask(tg, "/skills python, sql")
    _, vacancies = await ask(tg, "python, sql", count=2)
    await tg.wait_callback_answer(await tg.press(USER_ID, vacancies, vacancies.button(text="👍")))
    (offer,) = await ask(tg, "/digest")
    await tg.press(USER_ID, offer, offer.button(data_prefix="dg:daily"))
    await tg.wait_edit(USER_ID, 0)
    assert await count_rows_about(bot_runtime.sessions, USER_ID) >= 5

    (confirm,) = await ask(tg, "/forget")
    await tg.press(USER_ID, confirm, confirm.button(data_prefix="fgt:0"))
    kept = await tg.wait_edit(USER_ID, 1)
    assert "Ничего не удалил" in kept.plain
    assert await count_rows_about(bot_runtime.sessions, USER_ID) >= 5

    (confirm,) = await ask(tg, "/forget")
    await tg.press(USER_ID, confirm, confirm.button(data_prefix="fgt:1"))
    done = await tg.wait_edit(USER_ID, 2)
    assert "всё удалено" in done.plain
    assert await count_rows_about(bot_runtime.sessions, USER_ID) == 0
    # An old feedback button on a forgotten query is answered, not crashed on.
    answer = await tg.wait_callback_answer(await tg.press(USER_ID, vacancies, vacancies.button(text="👎")))
    assert "устарела" in answer["text"]


async def test_stats_for_admin_only(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    await ask(tg, "python, sql", count=2)
    (unknown,) = await ask(tg, "/stats")
    assert "Не знаю такой команды" in unknown.plain
    (stats,) = await ask(tg, "/stats", user=ADMIN_ID)
    assert "Статистика" in stats.plain
    assert "Пользователей: 2" in stats.plain
    assert bot_runtime.holder.version is not None and bot_runtime.holder.version in stats.plain
    assert "nmf" in stats.plain  # the bundle's evaluation metrics
    assert "Сбор вакансий:\n  —" in stats.plain  # nothing collected yet


async def test_stats_show_each_sources_last_collection(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    sources = SourceStateRepository(bot_runtime.sessions)
    await sources.run_finished("hh", RunCounts(seen=120, new=40), error=None)
    await sources.run_finished("trudvsem", RunCounts(), error="stopped: Работа России refuses requests")
    (stats,) = await ask(tg, "/stats", user=ADMIN_ID)
    hh_line = next(line for line in stats.plain.splitlines() if line.strip().startswith("hh.ru:"))
    assert "ok at" in hh_line and "seen 120, new 40" in hh_line
    trudvsem = next(line for line in stats.plain.splitlines() if "Работа России:" in line)
    assert "FAILING" in trudvsem and "refuses requests" in trudvsem and "last success never" in trudvsem
