from __future__ import annotations

import json

from recommender.cli import main


def test_data_stats_on_a_small_file(tmp_path, capsys, make_list_item, make_card):
    rows = [make_list_item("1"), make_card("2"), {"id": "3"}, make_list_item("1", name="Python developer")]
    path = tmp_path / "v.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    assert main(["data", "stats", "--data", str(path), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "read 4 records" in out and "kept 2" in out and "missing_name" in out
    assert "Москва" in out
    assert "skills: vocabulary of" in out and "at least one skill" in out


def test_data_stats_missing_path_is_one_clear_line(tmp_path, capsys):
    assert main(["data", "stats", "--data", str(tmp_path / "absent.jsonl")]) == 2
    assert "no vacancy data at" in capsys.readouterr().err


def test_help_lists_the_subcommands(capsys):
    try:
        main(["--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    for command in ("data", "skills", "train", "ask", "salary", "evaluate", "bot", "db", "collect", "worker"):
        assert command in out


def test_data_stats_counts_by_source_year_and_country(tmp_path, capsys, make_list_item):
    trudvsem = {"vacancy": {"id": "t1", "job-name": "Программист 1С", "creation-date": "2026-08-13",
                            "addresses": {"address": [{"location": "г Томск, пр Ленина, 1"}]}}}
    minsk = make_list_item("2", area={"id": "1002", "name": "Минск"})
    rows = [make_list_item("1"), minsk, trudvsem]
    path = tmp_path / "v.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    assert main(["data", "stats", "--data", str(path), "--no-skills"]) == 0
    out = capsys.readouterr().out
    assert "hh: 2, trudvsem: 1" in out
    lines = out.splitlines()
    assert any(line.endswith("hh 2021") and line.split()[0] == "2" for line in lines)
    assert any(line.endswith("trudvsem 2026") and line.split()[0] == "1" for line in lines)
    assert any(line.endswith("Беларусь") for line in lines) and any(line.endswith("Россия") for line in lines)


def test_data_stats_learns_the_skills_on_a_seeded_sample(tmp_path, capsys, make_card):
    rows = [make_card(str(i)) for i in range(1, 7)]
    path = tmp_path / "v.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    assert main(["data", "stats", "--data", str(path), "--skills-sample", "4"]) == 0
    sampled = capsys.readouterr().out
    assert "a seeded sample of 4 of 6 vacancies" in sampled and "at least one skill" in sampled
    assert main(["data", "stats", "--data", str(path), "--skills-sample", "0"]) == 0
    assert "learned and counted on all vacancies" in capsys.readouterr().out
