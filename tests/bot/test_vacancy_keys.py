"""A vacancy is referred to by its key ("source:id") in the answer state; the buttons carry only
its place on the page, so Работа России's UUID ids never meet Telegram's 64-byte callback limit."""

from __future__ import annotations

from bot.keyboards import ActionCb
from bot.services.advisor import PAGE_SIZE
from bot.services.answering import AnswerState
from recommender.data import Vacancy

UUID = "0c1a3b5e-8f7d-4e6a-9b2c-1d3e5f7a9b0c"


def test_the_longest_action_button_fits_telegrams_limit() -> None:
    longest = ActionCb(query_id=2**63 - 1, action="reject", n=PAGE_SIZE - 1).pack()
    assert len(longest.encode("utf-8")) <= 64


def test_the_answer_state_keeps_keys_of_both_sources() -> None:
    key = Vacancy(UUID, "Курьер", source="trudvsem").key
    shown = ((key, "Курьер", "Почта", f"https://trudvsem.ru/vacancy/card/1/{UUID}"), ("hh:101", "t", "e", ""))
    state = AnswerState(shown=shown)
    again = AnswerState.from_dict(state.to_dict())
    assert again.shown == shown and again.shown_keys == [f"trudvsem:{UUID}", "hh:101"]
