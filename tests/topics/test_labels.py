"""Topic labels, the keywords file and the similarity heatmap."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.topics import (
    NMFTopicModel,
    TopicInfo,
    label_topics,
    redundant_topics,
    topic_similarity,
    topic_similarity_heatmap,
    write_keywords,
)
from recommender.topics.labels import clean_title

from .conftest import FIELD_LABELS, FIELD_TITLES, GENERIC_LABEL

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def nmf(corpus) -> NMFTopicModel:
    return NMFTopicModel(4, random_state=0).fit(corpus.docs)


def field_of_topic(doc_topic: np.ndarray, fields: list[str]) -> dict[int, str]:
    dominant = doc_topic.argmax(axis=1)
    return {int(t): fields[int(np.flatnonzero(dominant == t)[0])] for t in set(dominant.tolist())}


def test_labels_are_the_distinctive_field_names_not_the_generic_one(corpus, nmf):
    doc_topic = nmf.transform(corpus.docs)
    infos = label_topics(doc_topic, corpus.labels, corpus.titles, model=nmf, sources=("labels",))
    topic_field = field_of_topic(doc_topic, corpus.fields)
    assert [info.id for info in infos] == [0, 1, 2, 3]
    for info in infos:
        assert info.label == FIELD_LABELS[topic_field[info.id]]
        assert info.label != GENERIC_LABEL
        assert info.label_source == "labels"
        assert info.size == sum(1 for f in corpus.fields if f == topic_field[info.id])
        assert info.keywords == nmf.top_terms(info.id, 10)
        assert info.specialization == info.label


def test_by_default_a_cleaned_title_of_the_field_names_the_topic(corpus, nmf):
    doc_topic = nmf.transform(corpus.docs)
    infos = label_topics(doc_topic, corpus.labels, corpus.titles, model=nmf)
    topic_field = field_of_topic(doc_topic, corpus.fields)
    for info in infos:
        field = topic_field[info.id]
        assert info.label_source == "titles"
        assert info.label.lower() in {clean_title(t).lower() for t in FIELD_TITLES[field]}
        assert info.specialization == FIELD_LABELS[field]  # the hh name is still reported


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("Senior Frontend-разработчик (remote)", "Frontend-разработчик"),
        ("Аналитик в команду данных", "Аналитик"),
        ("Junior+ Python developer", "Python developer"),
        ("Программист 1С, удаленно", "Программист 1С"),
        ("Менеджер по продажам - IT", "Менеджер по продажам"),
        ("Middle/Senior Java разработчик", "Java разработчик"),
        ("Разработчик PL/SQL", "Разработчик PL/SQL"),
        ("", ""),
    ],
)
def test_clean_title(title, cleaned):
    assert clean_title(title) == cleaned


def test_title_words_name_the_topic(corpus, nmf):
    doc_topic = nmf.transform(corpus.docs)
    infos = label_topics(doc_topic, [[] for _ in corpus.docs], corpus.titles, model=nmf, sources=("words",))
    by_field = {field_of_topic(doc_topic, corpus.fields)[i.id]: i for i in infos}
    assert all(info.label_source == "words" for info in infos)
    assert "1с" in by_field["1c"].label.lower()
    assert "embedded" in by_field["embedded"].label.lower()
    assert "дизайнер" in by_field["design"].label.lower()


def test_without_labels_or_titles_keywords_name_the_topic(corpus, nmf):
    doc_topic = nmf.transform(corpus.docs)
    infos = label_topics(doc_topic, [[] for _ in corpus.docs], ["" for _ in corpus.docs], model=nmf)
    for info in infos:
        assert info.label_source == "keywords"
        assert info.label.split(" / ")[0].lower() == nmf.top_terms(info.id, 1)[0]


def test_a_rare_label_on_one_document_does_not_win():
    # topic 0: 10 docs all "Дизайн", one of them also carries a label seen nowhere else;
    # "Программирование" is on every document, so it says nothing about either topic
    doc_topic = np.array([[1.0, 0.0]] * 10 + [[0.0, 1.0]] * 10)
    labels = [["Дизайн"]] * 9 + [["Дизайн", "Редкая метка"]] + [["Инженер"]] * 10
    labels = [[*doc, "Программирование"] for doc in labels]
    # with two topics a label can at most double its corpus share, hence the lower min_lift
    infos = label_topics(doc_topic, labels, [""] * 20, keywords=[["figma"], ["autocad"]], min_lift=1.5)
    assert [info.label for info in infos] == ["Дизайн", "Инженер"]
    assert infos[0].label_share == 1.0
    assert infos[1].keywords == ["autocad"]


def test_same_label_twice_never_gets_a_skill_word_appended():
    doc_topic = np.array([[1.0, 0.0, 0.0]] * 5 + [[0.0, 1.0, 0.0]] * 5 + [[0.0, 0.0, 1.0]] * 10)
    labels = [["Дизайн"]] * 10 + [["Инженер"]] * 10
    keywords = [["figma"], ["3d"], ["autocad"]]
    infos = label_topics(doc_topic, labels, [""] * 20, keywords=keywords, min_lift=1.5)
    # two topics of one field are both the field, not "Дизайн · 3d"
    assert [info.label for info in infos] == ["Дизайн", "Дизайн", "Инженер"]


def test_a_repeated_label_gives_way_to_the_topics_next_name():
    # topic 1's best title is topic 0's (7 of 13 employers), its next one nearly as common (6)
    doc_topic = np.array([[1.0, 0.0]] * 12 + [[0.0, 1.0]] * 13 + [[0.0, 0.0]] * 40)
    titles = ["UX/UI дизайнер"] * 12 + ["UX/UI дизайнер"] * 7 + ["Веб-дизайнер"] * 6 + ["Инженер"] * 40
    employers = [f"e{i}" for i in range(65)]
    infos = label_topics(
        doc_topic, [[] for _ in titles], titles, keywords=[["ux"], ["html"]], employers=employers
    )
    assert infos[0].label == "UX/UI дизайнер"
    assert infos[1].label == "Веб-дизайнер"


def test_lone_title_words_are_not_labels_by_default():
    doc_topic = np.array([[1.0, 0.0]] * 12 + [[0.0, 1.0]] * 60)
    titles = [f"Специалист отдела данных {i}" for i in range(12)] + ["Инженер-конструктор"] * 60
    employers = [f"e{i}" for i in range(72)]
    infos = label_topics(
        doc_topic, [[] for _ in titles], titles, keywords=[["sql", "excel"], ["autocad"]], employers=employers
    )
    assert infos[0].label_source != "words" and infos[0].label.lower() != "данных"


def test_topic_that_dominates_nowhere_still_gets_a_label_and_zero_size():
    doc_topic = np.array([[0.9, 0.1], [0.8, 0.2], [0.0, 0.0]])
    infos = label_topics(doc_topic, [["A"], ["B"], []], ["", "", ""], top_docs=1, min_lift=1.0)
    assert infos[1].size == 0
    assert infos[1].label == "B"
    assert infos[0].size == 2


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError):
        label_topics(np.ones((3, 2)), [[]] * 2, [""] * 3)


def test_keywords_file_has_a_section_per_topic(tmp_path, corpus, nmf):
    infos = label_topics(nmf.transform(corpus.docs), corpus.labels, corpus.titles, model=nmf)
    path = write_keywords(infos, tmp_path / "out" / "keywords.txt")
    text = path.read_text(encoding="utf-8")
    headers = [line for line in text.splitlines() if line.startswith("## topic ")]
    assert len(headers) == 4
    for info in infos:
        assert f"## topic {info.id}: {info.label} ({info.size} vacancies" in text
        assert ", ".join(info.keywords) in text


def test_keywords_file_for_handmade_infos(tmp_path):
    path = write_keywords([TopicInfo(0, "1С", ["1с", "скд"], 3)], tmp_path / "k.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["## topic 0: 1С (3 vacancies, label from labels)", "1с, скд"]


def test_unknown_label_source_is_rejected():
    with pytest.raises(ValueError):
        label_topics(np.ones((2, 2)), [[]] * 2, [""] * 2, sources=("stars",))


def test_similarity_is_one_on_the_diagonal_and_low_between_fields(nmf):
    similarity = topic_similarity(nmf)
    assert similarity.shape == (4, 4)
    np.testing.assert_allclose(np.diag(similarity), 1.0, rtol=1e-5)
    np.testing.assert_allclose(similarity, similarity.T, atol=1e-6)
    off_diagonal = similarity[~np.eye(4, dtype=bool)]
    assert off_diagonal.max() < 0.3


def test_heatmap_is_a_valid_png(tmp_path, corpus, nmf):
    labels = [i.label for i in label_topics(nmf.transform(corpus.docs), corpus.labels, corpus.titles)]
    path = topic_similarity_heatmap(nmf, tmp_path / "plots" / "topics.png", labels=labels)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 100 and height > 100


def test_typical_documents_name_the_topic_not_the_purest_ones():
    # topic 0's "purest" documents (all weight on it, but weak) are support jobs mentioning html;
    # its typical documents (strong weight, some on topic 1 too) are frontend jobs
    typical = [[0.9, 0.2, 0.0]] * 6
    pure_but_weak = [[0.3, 0.0, 0.0]] * 6
    others = [[0.0, 0.0, 1.0]] * 24
    doc_topic = np.array(typical + pure_but_weak + others)
    titles = ["Frontend-разработчик"] * 6 + ["Оператор поддержки"] * 6 + ["Бухгалтер"] * 24
    infos = label_topics(doc_topic, [[] for _ in titles], titles, top_docs=6)
    assert infos[0].label == "Frontend-разработчик"
    assert infos[0].size == 12


def test_empty_corpus_gives_no_sizes_and_keyword_labels():
    infos = label_topics(np.zeros((0, 2)), [], [], keywords=[["a", "b"], []])
    expected = [(0, "A / B", "keywords"), (0, "Тема 1", "keywords")]
    assert [(i.size, i.label, i.label_source) for i in infos] == expected


def test_redundant_topics_finds_repeated_profiles(corpus):
    model = NMFTopicModel(4, random_state=0).fit(corpus.docs)
    assert redundant_topics(model) == []
    model.term_topic_ = np.hstack([model.term_topic_, model.term_topic_[:, [1]]])  # a fifth, copied topic
    model.n_topics_ = 5
    assert redundant_topics(model) == [4]


def _mass_posting_topic(n_mass: int = 60) -> tuple[np.ndarray, list[str], list[str]]:
    """Topic 0: one employer's mass posting (strongest) and Python jobs of ten employers;
    topic 1: engineers of forty employers. Returns doc_topic, titles, employers."""
    titles = ["Оператор-геймер"] * n_mass + ["Python-разработчик"] * 20 + ["Инженер-конструктор"] * 120
    employers = ["ГеймСтудия"] * n_mass + [f"Компания {i % 10}" for i in range(20)]
    employers += [f"Завод {i % 40}" for i in range(120)]
    weights = [[1.0, 0.0]] * n_mass + [[0.6, 0.1]] * 20 + [[0.0, 1.0]] * 120
    return np.array(weights), titles, employers


def test_one_employers_mass_posting_does_not_name_the_topic():
    doc_topic, titles, employers = _mass_posting_topic()
    labels = [[] for _ in titles]
    keywords = [["python", "nlp"], ["autocad"]]
    # with two topics a title can at most double its corpus share, hence the lower min_lift
    by_docs = label_topics(doc_topic, labels, titles, keywords=keywords, employers=employers, min_lift=1.5)
    assert by_docs[0].label == "Python-разработчик"  # employers vote, not postings
    assert by_docs[0].label_share > 0.5
    assert by_docs[1].label == "Инженер-конструктор"
    # without employers every posting is its own employer: the mass posting would win
    unknown = label_topics(doc_topic, labels, titles, keywords=keywords, employers=None, min_lift=1.5)
    assert unknown[0].label == "Оператор-геймер"


def test_mass_posting_alone_falls_back_to_keywords_spelled_by_display():
    doc_topic, titles, employers = _mass_posting_topic()
    # the Python jobs come from two employers only: below the employer spread
    employers[60:80] = [f"Компания {i % 2}" for i in range(20)]
    spelled = {"python": "Python", "nlp": "NLP", "machine learning": "ML"}
    infos = label_topics(
        doc_topic,
        [[] for _ in titles],
        titles,
        keywords=[["python", "nlp", "machine learning"], ["autocad"]],
        employers=employers,
        display=spelled.get,
        min_lift=1.5,
    )
    assert infos[0].label == "Python / NLP / ML"
    assert infos[0].label_source == "keywords"
    assert infos[1].label == "Инженер-конструктор"


def test_employer_spread_is_required_for_hh_labels_too():
    doc_topic, titles, employers = _mass_posting_topic()
    labels = [["Игровое ПО"]] * 60 + [["Программирование, Разработка"]] * 20 + [["Инженер"]] * 120
    infos = label_topics(
        doc_topic,
        labels,
        ["" for _ in titles],
        keywords=[["python"], ["autocad"]],
        employers=employers,
        min_lift=1.5,
    )
    assert infos[0].label != "Игровое ПО"
    assert infos[0].specialization != "Игровое ПО"
    assert infos[1].label == "Инженер"


def test_employers_must_match_the_documents():
    with pytest.raises(ValueError):
        label_topics(np.ones((3, 2)), [[]] * 3, [""] * 3, employers=["a", "b"])


DESIGN_TITLES = [
    "Game Designer",
    "UX/UI дизайнер",
    "Веб-дизайнер",
    "Графический дизайнер",
    "Product designer",
    "Дизайнер интерфейсов",
    "Моушн-дизайнер",
    "Дизайнер презентаций",
]


def _two_fields(design_titles: list[str]) -> tuple[np.ndarray, list[str], list[str]]:
    """Topic 0: design vacancies of many employers with the given titles; topic 1: 300 engineers."""
    n = len(design_titles)
    doc_topic = np.array([[1.0, 0.0]] * n + [[0.0, 1.0]] * 300)
    titles = design_titles + ["Инженер-конструктор"] * 300
    employers = [f"Студия {i}" for i in range(n)] + [f"Завод {i % 100}" for i in range(300)]
    return doc_topic, titles, employers


def test_many_different_designer_titles_make_the_topic_designer():
    titles = [DESIGN_TITLES[i % len(DESIGN_TITLES)] for i in range(32)]
    doc_topic, titles, employers = _two_fields(titles)
    infos = label_topics(
        doc_topic, [[] for _ in titles], titles, keywords=[["figma"], ["autocad"]], employers=employers
    )
    assert infos[0].label == "Дизайнер"  # no single title is convincing, the shared word is
    assert infos[0].label_share == 1.0


def test_spellings_of_one_title_are_counted_together():
    variants = ["Python Developer", "Python-разработчик", "Разработчик Python", "Senior Python developer"]
    titles = [variants[i % 4] for i in range(24)] + ["Data Scientist"] * 8
    doc_topic, titles, employers = _two_fields(titles)
    infos = label_topics(
        doc_topic, [[] for _ in titles], titles, keywords=[["python"], ["autocad"]], employers=employers
    )
    # 24 of 32 employers: one family, shown in one of its spellings
    assert infos[0].label in {"Python Developer", "Python-разработчик", "Разработчик Python"}
    assert infos[0].label_share == 0.75


def _titled(titles):
    from recommender.topics.labels import titled_words

    return [titled_words(t) for t in titles]


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (
            [
                "Программист микроконтроллеров",
                "Инженер-программист",
                "Программист микроконтроллеров С/С++",
                "Программист С",
                "Ведущий программист микроконтроллеров",
                "Преподаватель информатики",
            ],
            "Программист микроконтроллеров",
        ),
        (
            ["Data Scientist", "Senior Data Scientist (NLP)", "ML Engineer", "Data Scientist"],
            "Data Scientist",
        ),
        # a job word that names a field by itself ("Главный" is a level, dropped)
        (
            ["Бухгалтер", "Главный бухгалтер", "Бухгалтер (удаленно)", "Заместитель главного бухгалтера"],
            "Бухгалтер",
        ),
        # no job word most employers share, or a lone one that names no field: the topic's label
        (["Аналитик", "Дизайнер", "Тестировщик", "Бухгалтер"], None),
        (["Программист", "Программист", "Ведущий программист"], None),
        (["Разработчик", "Senior разработчик", "Разработчик"], None),
    ],
)
def test_field_title_names_what_the_matches_are(titles, expected):
    from recommender.topics.labels import field_title

    assert field_title(_titled(titles), list(range(len(titles)))) == expected


def test_field_title_counts_employers_not_postings():
    from recommender.topics.labels import field_title

    titles = ["Оператор-геймер"] * 6 + ["Python-разработчик", "Python developer", "Разработчик Python"]
    employers = [7] * 6 + [1, 2, 3]
    assert field_title(_titled(titles), employers) is None  # one employer's postings are one vote
