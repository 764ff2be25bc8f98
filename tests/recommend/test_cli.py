"""`jobrec train / ask / evaluate` through the real entry point."""

from __future__ import annotations

import json

from recommender.cli import main

VACANCY_KEYS = {
    "id",
    "title",
    "employer",
    "area",
    "url",
    "salary",
    "score",
    "matched_skills",
    "missing_skills",
}


def _check_schema(answer: dict) -> None:
    assert {
        "query",
        "model",
        "skills_recognized",
        "unknown_terms",
        "specialization",
        "vacancies",
        "skills_to_learn",
    } <= set(answer)
    assert all(isinstance(s, str) for s in answer["skills_recognized"])
    for unknown in answer["unknown_terms"]:
        assert set(unknown) >= {"term", "suggestions"} and isinstance(unknown["suggestions"], list)
    if answer["skills_recognized"]:
        assert set(answer["specialization"]) >= {"label", "score", "top_skills"}
    for vacancy in answer["vacancies"]:
        assert set(vacancy) >= VACANCY_KEYS
    for skill in answer["skills_to_learn"]:
        assert set(skill) >= {"skill", "score", "share"}


def test_ask_json_prints_one_object(bundle_dir, capsys):
    code = main(
        ["ask", "--json", "--model-dir", str(bundle_dir), "--k", "3", "--model", "lda", "stm32, uart, c"]
    )
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    answer = json.loads(lines[0])
    _check_schema(answer)
    assert answer["model"] == "lda" and len(answer["vacancies"]) == 3


def test_ask_batch_prints_one_object_per_line(bundle_dir, tmp_path, capsys):
    queries = ["figma, photoshop", "совсем непонятный запрос", "", "react, typescript"]
    batch = tmp_path / "queries.txt"
    batch.write_text("\n".join(queries) + "\n", encoding="utf-8")
    assert main(["ask", "--json", "--batch", str(batch), "--model-dir", str(bundle_dir)]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert [a["query"] for a in answers] == [q for q in queries if q]
    for answer in answers:
        _check_schema(answer)
    assert answers[0]["vacancies"][0]["id"].startswith("design-")
    assert answers[1]["skills_recognized"] == [] and answers[1]["vacancies"] == []


def test_ask_text_output_is_readable(bundle_dir, capsys):
    assert main(["ask", "--model-dir", str(bundle_dir), "--area", "Москва", "1с, скд"]) == 0
    out = capsys.readouterr().out
    assert "Специализация" in out and "Вакансии" in out and "Что изучить" in out
    assert "Москва" in out and "hh.ru/vacancy/1c-" in out


def test_ask_reads_the_text_as_the_bot_does(bundle_dir, capsys):
    """`jobrec ask` goes through Bundle.understand: a near-certain typo corrected, a title as its field."""
    assert main(["ask", "--json", "--model-dir", str(bundle_dir), "javascrpt, html"]) == 0
    typo = json.loads(capsys.readouterr().out)
    assert typo["corrections"] == [{"term": "javascrpt", "skill": "javascript"}]
    assert "javascript" in typo["skills_recognized"] and typo["title_as_field"] is None
    assert main(["ask", "--model-dir", str(bundle_dir), "Верстальщик"]) == 0
    out = capsys.readouterr().out
    assert "Понял «Верстальщик» как профессию" in out and "hh.ru/vacancy/frontend-" in out


def test_train_then_ask_and_ask_trains_when_no_bundle(corpus_file, tmp_path, capsys, monkeypatch):
    out = tmp_path / "models"
    assert (
        main(["train", "--data", str(corpus_file), "--out", str(out), "--models", "nmf", "--no-salary"]) == 0
    )
    assert (out / "current" / "manifest.json").is_file()
    capsys.readouterr()

    fresh = tmp_path / "fresh"
    fresh.mkdir()  # an existing folder without a bundle: ask trains one (a typo'd folder is an error)
    monkeypatch.setenv("DATA_PATH", str(corpus_file))
    code = main(
        ["ask", "--json", "--model-dir", str(fresh), "--train-models", "nmf", "stm32, микроконтроллеры"]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "training one" in captured.err
    answer = json.loads(captured.out)
    assert answer["vacancies"][0]["id"].startswith("embedded-")
    assert (fresh / "current").is_symlink()


def test_train_reports_missing_data(tmp_path, capsys):
    assert main(["train", "--data", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "m")]) == 2
    assert "data not found" in capsys.readouterr().err


def test_train_can_leave_the_topic_out_of_the_salary_model(corpus_file, tmp_path):
    out = tmp_path / "models"
    args = ["train", "--data", str(corpus_file), "--out", str(out), "--models", "nmf"]
    assert main([*args, "--no-salary-topics"]) == 0
    manifest = json.loads((out / "current" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["salary"] is True and manifest["salary_topics"] is None


def test_a_dotenv_in_the_current_folder_moves_the_model_dir(corpus_file, tmp_path, monkeypatch, capsys):
    """`jobrec train` and `ask` read MODEL_DIR and DATA_PATH from the one settings object, `.env` included."""
    import bot.config

    monkeypatch.setattr(bot.config, "PROJECT_DIR", tmp_path / "checkout")  # a checkout without a .env
    for key in ("MODEL_DIR", "DATA_PATH", bot.config.ENV_FILE_VARIABLE):
        monkeypatch.delenv(key, raising=False)
    here = tmp_path / "here"
    here.mkdir()
    (here / ".env").write_text(f"MODEL_DIR=elsewhere/models\nDATA_PATH={corpus_file}\n", encoding="utf-8")
    monkeypatch.chdir(here)
    assert main(["train", "--models", "nmf", "--no-salary"]) == 0
    assert (here / "elsewhere" / "models" / "current" / "manifest.json").is_file()
    assert not (here / "var").exists()
    capsys.readouterr()
    assert main(["ask", "--json", "stm32, микроконтроллеры"]) == 0  # the bundle just trained
    assert json.loads(capsys.readouterr().out)["vacancies"][0]["id"].startswith("embedded-")
