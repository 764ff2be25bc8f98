"""One router per feature; the order matters: specific ones first, the fallback last.
Routers are built fresh for each dispatcher (a router can have only one parent)."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram import F, Router
from aiogram.enums import ChatType

from bot.handlers import account, admin, basics, dialogue, fallback, fields, profile, results


def build_root_router(admin_ids: Iterable[int]) -> Router:
    root = Router(name="root")
    # A personal assistant: profiles are keyed by the private chat, so groups are ignored.
    root.message.filter(F.chat.type == ChatType.PRIVATE)
    root.include_routers(
        basics.build_router(),
        dialogue.build_router(),
        profile.build_router(),
        account.build_router(),
        results.build_router(),
        fields.build_router(),
        admin.build_router(admin_ids),
        fallback.build_router(),
    )
    return root
