"""Field buttons end to end through the fake Bot API: an answer whose matches split across job
families offers them, a press re-ranks within one and is remembered, the next answer uses it;
and a nurse, a teacher and an accountant get their own field (issue 19 items 2, 3)."""

from __future__ import annotations

from bot_harness import USER_ID
from fake_telegram import FakeTelegram, Sent

from bot.app import BotRuntime
from recommender.topics.families import in_family, title_family


async def ask(tg: FakeTelegram, text: str, count: int = 2) -> list[Sent]:
    before = len(tg.outbox(USER_ID))
    await tg.send_text(USER_ID, text)
    return await tg.wait_new(USER_ID, before, count)


async def press(tg: FakeTelegram, message: Sent, data: str) -> Sent:
    edits = ("editMessageText", "editMessageReplyMarkup")
    before = len(tg.outbox(USER_ID, methods=edits))
    await tg.press(USER_ID, message, data)
    return await tg.wait_edit(USER_ID, before)


def field_buttons(message: Sent) -> list[tuple[str, str]]:
    return [(label, data) for label, data in message.buttons() if data.startswith("fd:")]


def titles_of(message: Sent) -> list[str]:
    """The vacancy titles of an answer: each vacancy block's first line after its number."""
    lines = [line.strip() for line in message.plain.splitlines()]
    return [line.split(". ", 1)[1].split(" — ")[0] for line in lines if line[:1].isdigit() and ". " in line]


async def test_field_buttons_rerank_and_are_remembered(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    _, answer = await ask(tg, "python, sql, pandas, statistics")
    offered = field_buttons(answer)
    assert len(offered) >= 2, answer.buttons()
    label, data = offered[0]
    chosen = await press(tg, answer, data)
    assert any(lbl.startswith("✓ ") and lbl.endswith(label) for lbl, _ in field_buttons(chosen))
    titles = titles_of(chosen)
    assert titles
    family = tuple(title_family(label)[:2])
    assert all(in_family(frozenset(title_family(t, limit=None)), family) for t in titles), (label, titles)
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and profile.field_choice is not None
    # the next answer offering that field is answered within it
    _, again = await ask(tg, "python, sql, pandas, statistics")
    assert any(lbl.startswith("✓ ") for lbl, _ in field_buttons(again))
    # pressing the chosen field again clears it
    cleared = await press(tg, again, next(d for lbl, d in field_buttons(again) if lbl.startswith("✓ ")))
    assert not any(lbl.startswith("✓ ") for lbl, _ in field_buttons(cleared))
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and profile.field_choice is None
    assert not tg.errors, tg.errors


async def test_an_accountant_gets_accounting(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    recognition, answer = await ask(tg, "1с, бухгалтерия, excel")
    assert "бухгалтер" in recognition.plain.lower()
    assert "программист" not in recognition.plain.lower()
    assert titles_of(answer) and all("бухгалтер" in t.lower() for t in titles_of(answer)[:3])


async def test_a_chosen_field_offers_its_narrower_fields(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    _, answer = await ask(tg, "python, sql, pandas, statistics")
    analysts = next(data for label, data in field_buttons(answer) if label == "Аналитик данных")
    chosen = await press(tg, answer, analysts)
    narrower = [(lbl, d) for lbl, d in field_buttons(chosen) if lbl.startswith("↳ ")]
    assert narrower and "маркетплейс" in narrower[0][0], field_buttons(chosen)
    within = await press(tg, chosen, narrower[0][1])
    assert any(lbl.startswith("✓ ↳ ") and "маркетплейс" in lbl for lbl, _ in field_buttons(within))
    titles = titles_of(within)
    assert titles and all("маркетплейс" in t for t in titles), titles
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and profile.field_choice is not None and "маркет" in profile.field_choice
    # pressed again: back to the field it narrows, not to every field
    back = await press(tg, within, next(d for lbl, d in field_buttons(within) if lbl.startswith("✓ ")))
    assert any(lbl == "✓ Аналитик данных" for lbl, _ in field_buttons(back)), field_buttons(back)
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and profile.field_choice is not None and "маркет" not in profile.field_choice
    assert not tg.errors, tg.errors
