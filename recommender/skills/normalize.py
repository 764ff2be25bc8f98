"""Text normalization shared by vocabulary building and skill extraction.

A text becomes a stream of tokens: skill-like words (``c++``, ``node.js``, ``1с:предприятие``,
``ci/cd``) and separator marks. Each raw token is then normalized on its own: look-alike
letters folded to the token's dominant script, lower-cased, versions stripped, Russian words
lemmatized. The per-token work is cached by :class:`TokenNormalizer`, because hh texts repeat
the same few thousand words over and over.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

# Work on at most this many characters of one text: a chat message of 100k characters or an
# unusually long vacancy must not stall the bot; skills sit in the first pages anyway.
MAX_TEXT_CHARS = 20_000

SEPARATOR = "\x00sep"  # a token that phrases never cross and that ends a query item
CONJUNCTIONS = frozenset({"и", "and", "&", "или", "or"})

_TAG = re.compile(r"<[^>]{0,300}>")
_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
# ".NET" loses its dot in tokenization; turn it into a word of its own first.
_DOTNET = re.compile(r"(?<![\w.])\.net\b", re.IGNORECASE)
# A token: word characters with inner connectors (node.js, ci/cd, 1с:предприятие, e-mail)
# and trailing + or # (c++, c#). Separators are anything that ends a list item.
_TOKEN = re.compile(
    r"(?P<tok>\w[\w+#]*(?:[./:\-'’&]\w[\w+#]*)*\+*)"
    r"|(?P<sep>[,;|\n\r\t!?()\[\]{}<>«»\"•·●▪–—]+|\.(?=\s|$)|\s-\s)"
)
_CONNECTORS = re.compile(r"[./:\-'’&]+")

# Look-alike letters (upper and lower case): Cyrillic -> Latin and back.
_CYR_LOOKALIKE = "АВЕКМНОРСТХУаеорсухкіјѕ"
_LAT_LOOKALIKE = "ABEKMHOPCTXYaeopcyxkijs"
_TO_LATIN = str.maketrans(_CYR_LOOKALIKE, _LAT_LOOKALIKE)
_TO_CYRILLIC = str.maketrans(
    _LAT_LOOKALIKE.replace("i", "").replace("j", "").replace("s", ""),
    _CYR_LOOKALIKE.replace("і", "").replace("ј", "").replace("ѕ", ""),
)
_LOOKALIKE_LETTERS = frozenset(_CYR_LOOKALIKE.lower() + _LAT_LOOKALIKE.lower())

# Digits that are part of the skill's name, never a version to strip.
MEANINGFUL_DIGIT_TOKENS = frozenset(
    {
        "1с", "1c", "2d", "3d", "4d", "3ds", "3dsmax", "c4d", "cinema4d", "2g", "3g", "4g", "5g", "3gpp",
        "s3", "ec2", "stm32", "esp32", "esp8266", "i2c", "i2s", "k8s", "k3s", "es5", "es6", "ipv4", "ipv6",
        "x86", "x64", "arm64", "win32", "h264", "h265", "p2p", "b2b", "b2c", "b2g", "c2c", "e2e", "g4", "ue4",
        "ue5", "web3", "l2", "l3", "l7", "v8", "utf8", "md5", "sha256", "ps4", "ps5", "a1", "a2", "b1", "b2",
        "c1", "c2", "rs232", "rs485", "rs-485", "rs-232", "802.11", "ieee802", "dx11", "dx12", "gpt3", "gpt4",
        "bs7799", "iso27001", "iso9001", "fz152", "152-фз", "44-фз", "223-фз", "54-фз", "115-фз", "1с8",
        "mp3", "mp4", "m365", "o365", "office365", "g2", "8d", "5s", "6s", "3cx", "s7", "s7-1200", "s7-300",
        "s7-1500", "p4", "pl1", "t-sql", "sql92", "ansi",
    }
)
_VERSIONED = re.compile(r"^(?P<base>.*?[a-zа-яё+#])[-_]?v?(?P<ver>\d+(?:[.x]\d+)*[+x]?)$")
_NUMERIC = re.compile(r"^v?\d+(?:[.,x]\d+)*[+x]?$")
_CYRILLIC_WORD = re.compile(r"^[а-яё]+(?:-[а-яё]+)*$")


def clean_text(text: object, max_chars: int = MAX_TEXT_CHARS) -> str:
    """A bounded, tag- and URL-free, NFKC-normalized version of any input (never raises)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[: max_chars * 2]  # NFKC may expand a little; cap before and after
    if "<" in text:
        text = _TAG.sub("\n", text)
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)[:max_chars]
    text = _URL.sub(" ", text)
    if "@" in text:
        text = _EMAIL.sub(" ", text)
    return _DOTNET.sub(" dotnet ", text)


def raw_tokens(text: str) -> list[str]:
    """Tokens of a cleaned text, with :data:`SEPARATOR` where a list item ends."""
    # findall and a list, not finditer and a generator: 5.7 million tokens for one hh file
    tokens: list[str] = []
    previous_sep = True
    for token, _ in _TOKEN.findall(text):
        if token:
            previous_sep = False
            tokens.append(token)
        elif not previous_sep:
            previous_sep = True
            tokens.append(SEPARATOR)
    return tokens


def fold_lookalikes(token: str) -> str:
    """Fold look-alike letters to the token's dominant script ("руthon" -> "python")."""
    cyrillic = latin = 0
    for ch in token:
        if "a" <= ch <= "z" or "A" <= ch <= "Z":
            latin += 1
        elif "а" <= ch <= "я" or "А" <= ch <= "Я" or ch in "ёЁ":
            cyrillic += 1
    if cyrillic and latin:
        return token.translate(_TO_LATIN if latin >= cyrillic else _TO_CYRILLIC)
    return token


def canonical_name(display: str) -> str:
    """The canonical form of a skill name: NFKC, lower case, ё as е, single spaces, no word mixing
    Latin and Cyrillic look-alikes ("регресcионный" with a Latin c)."""
    text = repair_scripts(unicodedata.normalize("NFKC", display)).lower().replace("ё", "е")
    return " ".join(text.split())


_LETTER_RUNS = re.compile(r"[A-Za-zА-Яа-яЁё]+")


def repair_scripts(text: str) -> str:
    """Each run of letters mixing Latin and Cyrillic written in its dominant script ("Cистемы" →
    "Системы", "СI/CD" → "CI/CD"); runs of one script ("Unit-тестирование") are left alone."""
    return _LETTER_RUNS.sub(lambda match: fold_lookalikes(match.group(0)), text)


def other_script(token: str) -> str | None:
    """The same token written fully in the other script, when every letter is a look-alike.

    "с++" (Cyrillic с) -> "c++"; "1c" (Latin c) -> "1с". None when a letter has no twin.
    """
    letters = [ch for ch in token if ch.isalpha()]
    if not letters or any(ch not in _LOOKALIKE_LETTERS for ch in letters):
        return None
    is_latin = letters[0] < "\u0400"
    swapped = token.translate(_TO_CYRILLIC if is_latin else _TO_LATIN)
    return swapped if swapped != token else None


def strip_version(token: str) -> str:
    """"python3" -> "python", "c++17" -> "c++", "php8.1" -> "php"; names with digits stay."""
    if token in MEANINGFUL_DIGIT_TOKENS or not any(ch.isdigit() for ch in token):
        return token
    match = _VERSIONED.match(token)
    if match is None:
        return token
    base = match.group("base")
    return base if len(base) >= 1 else token


def is_numeric(token: str) -> bool:
    """Versions and numbers on their own ("3.10", "2+", "8", "v2") are never skills."""
    return bool(_NUMERIC.match(token))


@lru_cache(maxsize=1)
def _morph() -> object:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=300_000)
def lemma(word: str) -> str:
    """Normal form of a Russian word ("нейросетями" -> "нейросеть"); other words unchanged."""
    if not _CYRILLIC_WORD.match(word):
        return word
    if "-" in word:
        return "-".join(lemma(part) for part in word.split("-"))
    return str(_morph().parse(word)[0].normal_form).replace("ё", "е")  # type: ignore[attr-defined]


@lru_cache(maxsize=100_000)
def first_parse(word: str) -> Any | None:
    """pymorphy's most likely parse of a Russian word; None for other words."""
    if not _CYRILLIC_WORD.match(word) or "-" in word:
        return None
    return _morph().parse(word)[0]  # type: ignore[attr-defined]


def part_of_speech(word: str) -> str | None:
    """pymorphy's part of speech for a Russian word (NOUN, ADJF, ...), None for others."""
    parse = first_parse(word)
    return None if parse is None else parse.tag.POS


# Tokens whose letters all have look-alikes: the script is decided by what the token means.
_SCRIPT_FIXES = {"1c": "1с", "с++": "c++", "с#": "c#", "1c8": "1с", "1с8": "1с"}


def is_person_noun(word: str) -> bool:
    """An animate Russian noun: a job title ("инженер", "аналитик"), not a skill."""
    parse = first_parse(word)
    return parse is not None and parse.tag.POS == "NOUN" and parse.tag.animacy == "anim"


@lru_cache(maxsize=300_000)
def surface(token: str) -> str:
    """Folded, lower-case, version-free spelling of a raw token (no lemmatization)."""
    folded = fold_lookalikes(token).lower().replace("ё", "е").replace("’", "'")
    folded = _SCRIPT_FIXES.get(folded, folded)
    return strip_version(folded)


MAX_KEY_SKILL_CHARS = 60
# Key skills like "C#, JavaScript, MongoDB" are lists typed into one field.
_KEY_SKILL_SPLIT = re.compile(r"[,;|•]+")


def split_key_skill(name: object) -> list[str]:
    """A key_skills entry split at list separators; overlong or letterless parts dropped."""
    if not isinstance(name, str):
        return []
    parts = [p.strip() for p in _KEY_SKILL_SPLIT.split(name)]
    return [p for p in parts if p and len(p) <= MAX_KEY_SKILL_CHARS and any(ch.isalpha() for ch in p)]


def key_token(raw: str) -> str:
    """The key form of one connector-free token: surface, then lemma; "" for numbers."""
    token = surface(raw)
    return "" if not token or is_numeric(token) else lemma(token)


def key_forms(name: str) -> list[tuple[str, ...]]:
    """Keys of a skill name: compound tokens whole ("ci/cd") and split ("ci", "cd")."""
    raws = [t for t in raw_tokens(clean_text(name, 500)) if t != SEPARATOR]
    whole = tuple(k for k in map(key_token, raws) if k)
    parts = [part for raw in raws for part in split_compound(fold_lookalikes(raw).lower())]
    split = tuple(k for k in map(key_token, parts) if k)
    return [whole] if split == whole else [whole, split]


def split_compound(token: str) -> list[str]:
    """Parts of a connector-joined token: "hdfs/yarn" -> ["hdfs", "yarn"]."""
    return [part for part in _CONNECTORS.split(token) if part]


class TokenNormalizer:
    """Maps raw tokens to normalized key tokens, with a cache.

    ``is_known(token)`` tells whether a normalized token belongs to some skill key: known
    compound tokens ("ci/cd", "node.js", "1с:предприятие") are kept whole, unknown ones are
    split at their connectors, and a token whose letters all have look-alikes is written in
    the other script when only that spelling is known ("с++" -> "c++", "1c" -> "1с").
    """

    _CACHE_LIMIT = 400_000

    def __init__(
        self, is_known: Callable[[str], bool], is_known_prefix: Callable[[str], bool] | None = None
    ) -> None:
        self._is_known = is_known
        self._is_known_prefix = is_known_prefix or (lambda word: True)
        self._cache: dict[str, tuple[str, ...]] = {}

    def __call__(self, raw: str) -> tuple[str, ...]:
        cached = self._cache.get(raw)
        if cached is None:
            cached = self._normalize(raw)
            if len(self._cache) >= self._CACHE_LIMIT:
                self._cache.clear()
            self._cache[raw] = cached
        return cached

    def _normalize(self, raw: str) -> tuple[str, ...]:
        if raw == SEPARATOR:
            return (SEPARATOR,)
        token = self._whole(raw)
        if token is not None:
            return (token,)
        parts = split_compound(fold_lookalikes(raw).lower())
        if len(parts) <= 1:
            single = self._single(raw.lower())
            return (single,) if single else ()
        out: list[str] = []
        for part in parts:
            known = self._whole(part)
            single = known if known is not None else self._single(part)
            if single:
                out.append(single)
        return tuple(out)

    def _whole(self, raw: str) -> str | None:
        """The normalized token if the whole raw token (in either script) is known."""
        lowered = raw.lower().replace("ё", "е")
        candidates = [surface(raw)]
        if len(lowered) > 1 or not lowered.isalpha():  # a lone "с" is a preposition, not C
            swapped = other_script(lowered)
            if swapped is not None:
                candidates.append(strip_version(swapped))
        for candidate in candidates:
            if self._is_known(candidate):
                return candidate
            lemmatized = self._lemma(candidate)
            if lemmatized != candidate and self._is_known(lemmatized):
                return lemmatized
        return None

    def _single(self, part: str) -> str:
        token = surface(part)
        if is_numeric(token):
            return ""
        return self._lemma(token)

    def _lemma(self, word: str) -> str:
        # pymorphy costs ~100 µs per new word: skip words that cannot start any skill.
        return lemma(word) if self._is_known_prefix(word) else word
