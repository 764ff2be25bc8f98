"""Plain text from hh.ru's HTML descriptions and highlighted snippets."""

from __future__ import annotations

import html
import re

# Block-level tags end a line: list items and paragraphs often hold one skill each,
# and the skill extractor treats a line break as a separator.
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|br|div|h[1-6]|tr|table)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]{0,500}>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def html_to_text(markup: str) -> str:
    """Strip tags, unescape entities, fold white space; keeps line breaks between blocks."""
    if not markup:
        return ""
    text = _BLOCK_TAG.sub("\n", markup)
    text = _ANY_TAG.sub(" ", text)
    text = html.unescape(text)
    text = _SPACES.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()


def snippet_to_text(snippet: dict | None) -> str:
    """requirement + responsibility of a search-list item, highlight tags removed."""
    if not isinstance(snippet, dict):
        return ""
    parts = [snippet.get("requirement"), snippet.get("responsibility")]
    return "\n".join(html_to_text(p) for p in parts if isinstance(p, str) and p)
