"""One router per feature; the order matters: specific ones first, the fallback last.
Routers are built fresh for each dispatcher (a router can have only one parent)."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram import Router

from bot.handlers import account, admin, basics, dialogue, fallback, fields, profile, results


def build_root_router(admin_ids: Iterable[int]) -> Router:
    root = Router(name="root")
    # Group messages never reach a router: ContextMiddleware drops them before any profile is
    # touched (the one private-chat filter).
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
