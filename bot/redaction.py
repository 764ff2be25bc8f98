"""Secrets never reach a log: every log record is scrubbed of them when it is made.

aiogram and aiohttp put the bot token in request URLs ("…/bot123:AA…/getMe"), so it shows
up in their exception texts and log lines. The record factory (not a handler filter) does
the scrubbing, so records reaching any handler, added now or later, are already clean.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

MASK = "***"
_secrets: set[str] = set()
_original_factory = logging.getLogRecordFactory()


def _variants(secret: str) -> set[str]:
    """The secret as it may be written: plain, URL-quoted, and a token's part after the colon
    (the bot id before it is public, the rest alone is enough to use the bot)."""
    found = {secret, quote(secret, safe=""), quote(secret)}
    if ":" in secret:
        found.add(secret.split(":", 1)[1])
    return {value for value in found if len(value) >= 8}


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def _exception_text(exc_info: Any) -> str:
    return "".join(traceback.format_exception(*exc_info)).rstrip("\n")


def _scrubbing_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _original_factory(*args, **kwargs)
    if not _secrets:
        return record
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: leave the record for logging to report
        return record
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[0] is not None:
        # Formatters use exc_text when it is set, so the traceback is printed scrubbed.
        record.exc_text = redact(_exception_text(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install_redaction(secrets: Iterable[str]) -> None:
    """Scrub these secrets (and their URL-quoted forms) from every log record from now on."""
    for secret in secrets:
        if secret:
            _secrets.update(_variants(secret))
    logging.setLogRecordFactory(_scrubbing_factory)
