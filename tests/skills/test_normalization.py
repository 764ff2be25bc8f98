"""Every normalization class, table-driven, through the public extract()."""

from __future__ import annotations

import pytest

from recommender.skills import SkillVocabulary
from recommender.skills.normalize import fold_lookalikes, other_script, strip_version

ALIASES = [
    # (typed, canonical) — each alias family, both languages and scripts
    ("k8s", "kubernetes"),
    ("кубернетес", "kubernetes"),
    ("js", "javascript"),
    ("ts", "typescript"),
    ("джава", "java"),
    ("питон", "python"),
    ("джанго", "django"),
    ("спринг", "spring"),
    ("реакт", "react"),
    ("react.js", "react"),
    ("постгрес", "postgresql"),
    ("postgres", "postgresql"),
    ("хадуп", "hadoop"),
    ("golang", "go"),
    ("ml", "machine learning"),
    ("машинное обучение", "machine learning"),
    ("нейросети", "нейронные сети"),
    ("фигма", "figma"),
    ("фотошоп", "adobe photoshop"),
    ("after effects", "adobe after effects"),
    ("3ds max", "3ds max"),
    ("cinema 4d", "cinema 4d"),
    ("прототипирование", "прототипирование"),
    ("типографика", "типографика"),
    ("1с:бухгалтерия", "1с:бухгалтерия"),
    ("1С:ЗУП", "1с:зуп"),
    ("скд", "скд"),
    ("bsp", "бсп"),
    ("dwdm", "dwdm"),
    ("gpon", "gpon"),
    ("ip-телефония", "voip"),
    ("3gpp", "3gpp"),
    ("5g", "5g"),
    ("смм", "smm"),
    ("яндекс директ", "яндекс.директ"),
    ("Яндекс.Директ", "яндекс.директ"),
    ("таргетированная реклама", "таргетированная реклама"),
    ("пентест", "pentest"),
    ("owasp", "owasp"),
    ("stm32", "stm32"),
    ("i2c", "i2c"),
    ("freertos", "freertos"),
    ("микроконтроллеры", "микроконтроллеры"),
    ("плис", "fpga"),
    ("verilog", "verilog"),
    ("автокад", "autocad"),
    ("компас 3d", "компас-3d"),
    ("кассовые операции", "кассовая дисциплина"),
    (".NET", ".net"),
    ("ms sql", "ms sql server"),
    ("power bi", "power bi"),
]


@pytest.mark.parametrize(("typed", "canonical"), ALIASES)
def test_alias_maps_to_canonical(vocab: SkillVocabulary, typed: str, canonical: str) -> None:
    assert vocab.extract(typed).skills == [canonical]


LOOKALIKES = [
    ("с++", "c++"),  # Cyrillic с in a C++ token -> Latin
    ("С#", "c#"),  # Cyrillic capital С
    ("1c", "1с:предприятие"),  # Latin c after 1 -> Cyrillic 1С
    ("1C:Бухгалтерия", "1с:бухгалтерия"),
    ("руthon", "python"),  # Cyrillic р and у inside a Latin word
    ("jаvа", "java"),  # Cyrillic а twice
    ("дизaйн", "дизайн"),  # Latin a inside a Russian word -> Cyrillic
    ("с", "c"),  # a lone letter as a whole query item is the language C
]


@pytest.mark.parametrize(("typed", "canonical"), LOOKALIKES)
def test_lookalike_letters_fold_to_the_dominant_script(
    vocab: SkillVocabulary, typed: str, canonical: str
) -> None:
    assert vocab.extract(typed).skills == [canonical]


def test_lone_cyrillic_preposition_inside_text_is_not_c(vocab: SkillVocabulary) -> None:
    assert vocab.extract("опыт работы с базами данных").skills == ["субд"]


VERSIONS = [
    ("python3", "python"),
    ("python 3.10", "python"),
    ("Python3.10", "python"),
    ("c++17", "c++"),
    ("с++17", "c++"),
    ("vue3", "vue.js"),
    ("angular 2+", "angular"),
    ("php8", "php"),
    ("java 11", "java"),
    ("html5", "html"),
    ("css3", "css"),
]


@pytest.mark.parametrize(("typed", "canonical"), VERSIONS)
def test_versions_are_stripped(vocab: SkillVocabulary, typed: str, canonical: str) -> None:
    assert vocab.extract(typed).skills == [canonical]


@pytest.mark.parametrize("token", ["1с", "3d", "s3", "stm32", "i2c", "3gpp", "5g", "4g", "k8s", "es6"])
def test_meaningful_digits_stay(token: str) -> None:
    assert strip_version(token) == token


def test_lookalike_helpers() -> None:
    assert fold_lookalikes("руthon") == "python"
    assert fold_lookalikes("дизaйн") == "дизайн"
    assert other_script("с++") == "c++"
    assert other_script("1c") == "1с"
    assert other_script("python") is None  # 't', 'h', 'n' have no Cyrillic twins


LEMMAS = ["нейросети", "нейросетями", "нейросеть", "нейросетей", "нейронными сетями"]


@pytest.mark.parametrize("typed", LEMMAS)
def test_russian_word_forms_meet_at_the_lemma(vocab: SkillVocabulary, typed: str) -> None:
    assert vocab.extract(typed).skills == ["нейронные сети"]


def test_phrase_forms_meet(vocab: SkillVocabulary) -> None:
    assert vocab.extract("опыт управления проектами").skills == ["управление проектами"]
    assert vocab.extract("контекстной рекламой").skills == ["контекстная реклама"]


PHRASES = [
    ("machine learning", ["machine learning"]),
    ("ms sql server", ["ms sql server"]),  # longest phrase wins over "ms sql" and "sql"
    ("sql", ["sql"]),
    ("power bi и tableau", ["power bi", "tableau"]),
    ("охрана труда и техника безопасности", ["охрана труда"]),  # " и " inside a phrase
    ("google analytics", ["google analytics"]),
]


@pytest.mark.parametrize(("typed", "skills"), PHRASES)
def test_multi_word_skills_match_longest_first(vocab: SkillVocabulary, typed: str, skills: list[str]) -> None:
    assert vocab.extract(typed).skills == skills


SEPARATORS = [
    ("python, sql; docker | git", ["python", "sql", "docker", "git"]),
    ("python\nsql\n", ["python", "sql"]),
    ("python и sql", ["python", "sql"]),
    ("python and sql", ["python", "sql"]),
    ("python/django", ["python", "django"]),
    ("c/c++", ["c", "c++"]),
    ("с/с++", ["c", "c++"]),
    ("ci/cd", ["ci/cd"]),  # the alias table wins before splitting at "/"
    ("tcp/ip", ["tcp/ip"]),
    ("html/css", ["html", "css"]),
    ("python3, k8s, джава, с++17, нейросетями", ["python", "kubernetes", "java", "c++", "нейронные сети"]),
]


@pytest.mark.parametrize(("typed", "skills"), SEPARATORS)
def test_separators_split_items(vocab: SkillVocabulary, typed: str, skills: list[str]) -> None:
    assert vocab.extract(typed).skills == skills


STOPLISTED = ["трубопровод", "вахта", "развитие", "участие", "активность", "работа в команде",
              "пользователь пк", "стрессоустойчивость", "грамотная речь"]


@pytest.mark.parametrize("typed", STOPLISTED)
def test_stoplisted_terms_are_neither_skills_nor_unknown(vocab: SkillVocabulary, typed: str) -> None:
    result = vocab.extract(typed)
    assert result.skills == []
    assert result.unknown == []


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("Условия: оформление по ТК РФ, ДМС", []),
        ("Официальное трудоустройство согласно ТК РФ", []),
        ("Оформление в полном соответствии с ТК РФ", []),
        ("Социальные гарантии согласно трудовому законодательству", []),
        ("Требования: знание ТК РФ, Excel", ["трудовое право", "excel"]),
        ("Знание трудового законодательства", ["трудовое право"]),
    ],
)
def test_terms_of_employment_are_not_labour_law(vocab: SkillVocabulary, text: str, skills: list[str]) -> None:
    """A vacancy offering "оформление по ТК РФ" asks for no skill (it made Трудовое право a third
    of a nurse's field); one asking to know the labour code does."""
    assert vocab.extract(text).skills == skills


def test_skills_are_deduplicated_in_order_of_appearance(vocab: SkillVocabulary) -> None:
    result = vocab.extract("SQL, Python, питон, python3, sql, Docker")
    assert result.skills == ["sql", "python", "docker"]


def test_query_only_alias_matches_a_whole_item_but_not_inside_text(vocab: SkillVocabulary) -> None:
    assert vocab.extract("cv").skills == ["computer vision"]
    long_text = "Присылайте CV на почту. " * 30 + "Требуется знание Python."
    assert vocab.extract(long_text).skills == ["python"]


def test_unknown_items_of_a_short_query(vocab: SkillVocabulary) -> None:
    result = vocab.extract("python, pyton, знаю кубер, вышивание крестиком")
    assert result.skills == ["python", "kubernetes"]
    assert result.unknown == ["pyton", "вышивание крестиком"]


def test_long_text_reports_only_tool_like_unknowns(vocab: SkillVocabulary) -> None:
    text = ("Мы ищем разработчика в дружную команду. Стек: Python, Django, Celery, Zeplin. "
            "Будет плюсом опыт с ClickHouse и gitlab. ") * 5
    result = vocab.extract(text)
    assert {"python", "django", "clickhouse", "git"} <= set(result.skills)
    assert "zeplin" in result.unknown
    assert all(term.isascii() for term in result.unknown)
