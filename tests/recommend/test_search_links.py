"""The live search links every answer and digest carries: hh.ru's and Работа России's search
pages for the same skills, city, experience and remote work."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from recommender.recommend.search_links import MAX_TERMS, hh_search_url, trudvsem_search_url


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_hh_link_asks_for_any_of_the_skills_in_the_city_for_the_level_newest_first() -> None:
    url = hh_search_url(["Python", "SQL", "python", "Machine Learning"], area_id="88",
                        experience="noExperience", remote=True)  # fmt: skip
    assert url.startswith("https://hh.ru/search/vacancy?")
    assert _query(url) == {
        "text": ['Python OR SQL OR "Machine Learning"'],  # a repeated skill once, a phrase quoted
        "area": ["88"],
        "experience": ["noExperience"],
        "work_format": ["REMOTE"],
        "order_by": ["publication_time"],
    }


def test_hh_link_leaves_out_what_the_user_did_not_choose() -> None:
    skills = [f"skill{i}" for i in range(12)]
    query = _query(hh_search_url(skills))
    assert set(query) == {"text", "order_by"}
    assert query["text"][0].count(" OR ") == MAX_TERMS - 1


def test_trudvsem_link_searches_titles_in_the_city_region() -> None:
    url = trudvsem_search_url("Python-разработчик", area_id="1")
    assert url.startswith("https://trudvsem.ru/vacancy/search?")
    assert _query(url) == {"_title": ["Python-разработчик"], "_regionIds": ["7700000000000"], "page": ["0"]}
    everywhere = _query(trudvsem_search_url("  Курьер  ", area_id="999999"))  # a region we do not know
    assert everywhere == {"_title": ["Курьер"], "page": ["0"]}
