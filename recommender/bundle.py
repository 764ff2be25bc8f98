"""Versioned model bundles: written atomically, checked against library versions on load.

Layout of ``out_dir``::

    versions/<version>/manifest.json   library versions, parameters, data hash, counts, metrics
    versions/<version>/vocabulary.pkl  the SkillVocabulary
    versions/<version>/index.pkl       compact display fields and the doc-skill matrix
    versions/<version>/models/<name>/  topic model, doc-topic matrix, per-topic skill shares
    versions/<version>/salary/         the salary model (when trained)
    current -> versions/<version>      a relative symlink, replaced atomically

A bundle is built in a temporary directory beside ``versions/`` and renamed into place,
then ``current`` is swapped with ``os.replace``: a failed or interrupted training leaves
the previous bundle in service.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import logging
import os
import pickle
import platform
import shutil
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, cast

import numpy as np
import scipy.sparse as sp

from recommender.data.models import Vacancy
from recommender.recommend import Filters, Recommendation, Recommender, ScoringParams, VacancyIndex
from recommender.recommend.index import build_index, extract_skill_mentions
from recommender.skills.query import Query
from recommender.skills.understand import QueryReader, Understood

logger = logging.getLogger(__name__)

# 2: vacancies keyed by (source, id); salary rows carry their source and answer for the newest
# year with data (recommender.salary.model.query_year). A bundle of format 1 is refused, retrain.
FORMAT_VERSION = 2
# Pickled models from these libraries are only trusted within the same major.minor.
CHECKED_LIBRARIES = {"numpy": "numpy", "scikit-learn": "sklearn", "gensim": "gensim", "catboost": "catboost"}
CURRENT_LINK = "current"
VERSIONS_DIR = "versions"
MANIFEST = "manifest.json"
# The topic models a bundle can hold, in order of preference for the default one.
MODEL_NAMES = ("nmf", "lda", "cluster")


class BundleError(RuntimeError):
    """A bundle is missing or unreadable."""


class IncompatibleBundle(BundleError):
    """A bundle was written by library versions (or a bundle format) this code cannot trust."""


class DamagedBundle(BundleError):
    """A bundle whose files are missing, truncated or corrupt: it has to be retrained."""


def library_versions() -> dict[str, str]:
    versions = {}
    for dist in CHECKED_LIBRARIES:
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            versions[dist] = "absent"
    return versions


def _major_minor(text: str) -> str:
    return ".".join(text.split(".")[:2])


def check_compatible(manifest: Mapping[str, Any], where: Path | str = "bundle") -> None:
    """Raise ``IncompatibleBundle`` naming every mismatch; return quietly when the bundle is usable."""
    problems = []
    if manifest.get("format_version") != FORMAT_VERSION:
        problems.append(f"bundle format {manifest.get('format_version')!r}, this code reads {FORMAT_VERSION}")
    saved = manifest.get("libraries") or {}
    if not isinstance(saved, dict):
        saved = {}
    for dist, installed in library_versions().items():
        wrote = saved.get(dist)
        if wrote is None:
            problems.append(f"{dist}: not recorded in the manifest")
        elif _major_minor(str(wrote)) != _major_minor(installed):
            problems.append(f"{dist}: bundle written with {wrote}, installed {installed}")
    if problems:
        raise IncompatibleBundle(
            f"model bundle {where} is incompatible: "
            + "; ".join(problems)
            + ". Retrain it with `jobrec train`."
        )


def data_hash(vacancies: Sequence[Vacancy]) -> str:
    """A fingerprint of the training rows (ids, titles, skills), independent of their order."""
    digest = hashlib.sha1()
    for key in sorted(f"{v.id}\x1f{v.title}\x1f{'|'.join(v.key_skills)}" for v in vacancies):
        digest.update(key.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _dump(obj: Any, path: Path) -> None:
    with path.open("wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _load(path: Path) -> Any:
    with path.open("rb") as fh:
        return pickle.load(fh)


# ---- writing ------------------------------------------------------------------------------


def _write_model(rec: Recommender, directory: Path, search: Mapping[str, Any] | None = None) -> None:
    from recommender.topics import TopicModel as FittedTopicModel
    from recommender.topics.artifacts import write_topic_artifacts

    directory.mkdir(parents=True)
    state = {"topic_model": rec.topic_model, "topic_labels": rec.topic_labels, "params": rec.params}
    _dump(state, directory / "model.pkl")
    sp.save_npz(directory / "doc_topic.npz", rec.doc_topic, compressed=False)
    sp.save_npz(directory / "title_topic.npz", rec.title_topic, compressed=False)
    np.save(directory / "topic_shares.npy", rec.topic_shares)
    # The recommender only needs transform(); the bundle's models are full topic models.
    model = cast(FittedTopicModel, rec.topic_model)
    write_topic_artifacts(model, rec.topic_labels, rec.dominant_topics(), directory, search=search)


def _model_metrics(rec: Recommender) -> dict[str, Any]:
    model = rec.topic_model
    metrics: dict[str, Any] = {"n_topics": int(model.n_topics_)}
    for attr in ("coherence_", "perplexity_", "reconstruction_err_", "n_iter_", "search_"):
        value = getattr(model, attr, None)
        if isinstance(value, int | float | str | dict | list):
            metrics[attr.rstrip("_")] = value
    return metrics


def _salary_metrics(model: Any) -> dict[str, Any]:
    metrics = getattr(model, "metrics_", None)
    try:
        return json.loads(json.dumps(metrics, default=str)) if metrics else {}
    except (TypeError, ValueError):
        return {}


def _new_version(out_dir: Path, fingerprint: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{stamp}-{fingerprint[:8]}"
    n = 1
    while (out_dir / VERSIONS_DIR / name).exists():
        n += 1
        name = f"{stamp}-{fingerprint[:8]}-{n}"
    return name


def point_current(out_dir: Path, version_name: str) -> None:
    """Swap ``out_dir/current`` to the version atomically (rename of a fresh symlink)."""
    link = out_dir / CURRENT_LINK
    tmp = out_dir / f".{CURRENT_LINK}.{os.getpid()}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(f"{VERSIONS_DIR}/{version_name}", tmp)
    os.replace(tmp, link)


def write_bundle(
    parts: Bundle,
    out_dir: str | Path,
    *,
    manifest_extra: Mapping[str, Any] | None = None,
    keep: int = 3,
) -> Path:
    """Write ``parts`` as a new version under ``out_dir`` and make it current; returns its path."""
    out = Path(out_dir)
    (out / VERSIONS_DIR).mkdir(parents=True, exist_ok=True)
    extra = dict(manifest_extra or {})
    version_name = _new_version(out, str(extra.get("data", {}).get("hash", "nodata")))
    remove_stale_temporaries(out)
    tmp = out / f".tmp-{version_name}-{os.getpid()}"
    try:
        tmp.mkdir()
        _dump(parts.vocabulary, tmp / "vocabulary.pkl")
        _dump(parts.index, tmp / "index.pkl")
        for name, rec in parts.recommenders.items():
            _write_model(rec, tmp / "models" / name, parts.model_params.get(name, {}).get("search"))
        if parts.salary_model is not None:
            _save_salary(parts.salary_model, tmp / "salary")
        manifest = _manifest(parts, version_name, extra)
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        final = out / VERSIONS_DIR / version_name
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    point_current(out, version_name)
    _prune(out, keep)
    logger.info("bundle %s written to %s", version_name, final)
    return final


def remove_stale_temporaries(out: Path) -> list[Path]:
    """Delete ``.tmp-<version>-<pid>`` folders left by trainings that were killed: their
    process is gone (a running training's folder is kept)."""
    removed = []
    for folder in out.glob(".tmp-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if folder.is_dir() and not (pid.isdigit() and _running(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    if removed:
        logger.info("removed %d folder(s) left by interrupted trainings in %s", len(removed), out)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _manifest(parts: Bundle, version_name: str, extra: Mapping[str, Any]) -> dict[str, Any]:
    names = list(parts.recommenders)
    return {
        "format_version": FORMAT_VERSION,
        "version": version_name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "libraries": library_versions(),
        "python": platform.python_version(),
        "models": names,
        "default_model": parts.default_model,
        "salary": parts.salary_model is not None,
        "salary_topics": parts.salary_topics,
        "counts": {
            "vacancies": len(parts.index),
            "vacancies_with_skills": int(np.count_nonzero(np.diff(parts.index.skills.rows.indptr))),
            "skills_indexed": len(parts.index.skills),
            "vocabulary": len(parts.vocabulary),
        },
        "parameters": {"models": parts.model_params, "scoring": _scoring_dict(parts)},
        "timings_s": {k: round(v, 2) for k, v in parts.timings.items()},
        "metrics": {
            **{name: _model_metrics(rec) for name, rec in parts.recommenders.items()},
            **({"salary": _salary_metrics(parts.salary_model)} if parts.salary_model is not None else {}),
        },
        **dict(extra),
    }


def _scoring_dict(parts: Bundle) -> dict[str, Any]:
    first = next(iter(parts.recommenders.values()))
    return dict(vars(first.params))


def _prune(out: Path, keep: int) -> None:
    """Delete all but the ``keep`` newest versions, never the current one."""
    current = resolve_current(out)
    versions = sorted(p for p in (out / VERSIONS_DIR).iterdir() if p.is_dir())
    for old in versions[:-keep] if keep > 0 else []:
        if current is None or old.resolve() != current.resolve():
            shutil.rmtree(old, ignore_errors=True)


# ---- reading ------------------------------------------------------------------------------


def resolve_current(out_dir: str | Path) -> Path | None:
    """The directory ``out_dir/current`` points at, or None when there is no bundle."""
    link = Path(out_dir) / CURRENT_LINK
    if not link.exists():
        return None
    return link.resolve()


def has_bundle(out_dir: str | Path) -> bool:
    current = resolve_current(out_dir)
    return current is not None and (current / MANIFEST).is_file()


@dataclass
class Bundle:
    """Fitted parts: the vocabulary, one recommender per topic model, the salary model.

    ``fit_parts`` returns one without a manifest (``path`` None); ``load_bundle`` returns one
    read from disk. The bundle has one vocabulary, shared by its recommenders and salary model.
    """

    vocabulary: Any
    index: VacancyIndex
    recommenders: dict[str, Recommender]
    salary_model: Any | None = None
    salary_topics: str | None = None  # the topic model whose topics the salary model was trained with
    timings: dict[str, float] = field(default_factory=dict)
    model_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    # built at the first text read, once per bundle (an updated bundle reads with its own index)
    _reader: QueryReader | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.salary_model is not None:
            self.salary_model.vocabulary = self.vocabulary

    @property
    def version(self) -> str:
        return str(self.manifest.get("version") or (self.path.name if self.path else "unsaved"))

    @property
    def metrics(self) -> dict[str, Any]:
        return dict(self.manifest.get("metrics") or {})

    @property
    def models(self) -> list[str]:
        return list(self.recommenders)

    @property
    def default_model(self) -> str:
        default = self.manifest.get("default_model")
        if default in self.recommenders:
            return str(default)
        return next((m for m in MODEL_NAMES if m in self.recommenders), next(iter(self.recommenders)))

    def recommender(self, model: str | None = None) -> Recommender:
        name = model or self.default_model
        if name not in self.recommenders:
            raise KeyError(f"model {name!r} is not in this bundle (it has {', '.join(self.recommenders)})")
        return self.recommenders[name]

    def understand(self, text: object) -> Understood:
        """The user's text as a query of this bundle, read once the same way on every path:
        cleaned, skills extracted, near-certain typos corrected, a job title typed alone read as
        its field (``recommender.skills.understand``)."""
        if self._reader is None:
            index = self.index
            self._reader = QueryReader(self.vocabulary, index.titles, index.skills.rows, index.skills.names)
        return self._reader.understand(text)

    def query_of_profile(
        self, skills: Collection[str], text: str = "", unknown: Collection[tuple[str, Collection[str]]] = ()
    ) -> Query:
        """The query of stored skills (a profile, an answer's recognized skills), checked against
        this bundle's vocabulary, never parsed again; ``text`` and ``unknown`` (term, suggestions)
        as the answer had them, so its typo targets stay what the user meant."""
        return cast(Query, self.vocabulary.query_of(skills, text, unknown))

    def recommend(
        self,
        query: Query,
        filters: Filters = Filters(),
        k: int = 5,
        *,
        model: str | None = None,
        offset: int = 0,
        field: str | None = None,
        today: date | None = None,
    ) -> Recommendation:
        """``field``: a ``Recommendation.fields`` key the student chose (answers within it);
        ``today``: the caller's date, recent vacancies first (``Recommender.recommend``)."""
        return self.recommender(model).recommend(query, filters, k, offset=offset, field=field, today=today)

    def warm(self) -> Bundle:
        """This bundle, its answers' recommender ready to serve: every title read and the
        structures answers build on first use built now (``Recommender.warm``), so no user's answer
        pays for them. Returns self."""
        self.recommender().warm()
        return self

    @property
    def data_period(self) -> tuple[date, date] | None:
        """First and last publication dates of the vacancies answers come from."""
        return self.index.period()

    def updated(self, added: Sequence[Vacancy], removed: Collection[str] = ()) -> Bundle:
        """This bundle with ``added`` vacancies indexed (replacing older copies of the same key)
        and those whose ``Vacancy.key`` is in ``removed`` gone, without a retrain: skills found
        by this bundle's vocabulary, topic weights by its fitted models. The vocabulary, topics,
        their labels and the salary model stay until the next training refreshes them.

        The answers equal those of an index built over the same vacancies from scratch with the
        same fitted models (tests/scale/test_incremental.py). The bundle itself is not changed:
        a request holding it keeps a consistent view."""
        mentions = extract_skill_mentions(self.vocabulary, added)
        index, kept = self.index.updated(added, mentions, removed)
        docs = [m.all for m in mentions]
        recommenders = {name: rec.updated(index, kept, docs) for name, rec in self.recommenders.items()}
        return dataclasses.replace(self, index=index, recommenders=recommenders)

    def recommender_over(self, vacancies: Sequence[Vacancy], model: str | None = None) -> Recommender:
        """The same topic model, topic labels and scoring over other vacancies: digests rank
        freshly collected vacancies (not yet in the trained corpus) with the answers' code."""
        base = self.recommender(model)
        index, docs = build_index(self.vocabulary, vacancies)
        n_topics = int(base.topic_model.n_topics_)
        doc_topic = (
            np.asarray(base.topic_model.transform(docs), dtype=np.float32)
            if docs
            else np.zeros((0, n_topics), dtype=np.float32)
        )
        return Recommender(
            name=base.name,
            vocabulary=self.vocabulary,
            topic_model=base.topic_model,
            index=index,
            doc_topic=doc_topic,
            topic_labels=base.topic_labels,
            params=base.params,
        )

    def salary_topic(self, query: Query, field: str | None = None) -> int | None:
        """The query's specialization topic in the model the salary model was trained with (or None),
        within the ``field`` the student chose."""
        name = self.salary_topics
        if not name or name not in self.recommenders:
            return None
        return self.recommenders[name].specialization_topic(query, field=field)

    def salary_grid(
        self,
        query: Query,
        area: str | None = None,
        *,
        schedule: str | None = None,
        experience: str | None = None,
        field: str | None = None,
        listed: int | None = None,
        today: date | None = None,
    ) -> Any | None:
        """The salary model's schedule × experience grid, or None when the bundle has no salary model.

        The grid is asked within the query's specialization (topic) when the salary model was
        trained with topics, so "1С" and "Figma" get their own field's figures and support.
        Given the user's ``schedule`` and ``experience``, the grid's level is calibrated toward
        the vacancies listed for that cell when there are enough of them among the first
        ``listed`` (the caller's pages; ``LISTED_LOOKED_AT`` by default; see
        recommender.salary.calibration), listed as the caller lists them (``today``: see
        ``recommend``); then each cell is kept near the listed salaries of its field, city and
        level (``SalaryModel.settle``); the grid stays in the data year's money.
        """
        if self.salary_model is None:
            return None
        # the skills, not the words typed around them: "Python, SQL!" from a message and "python,
        # sql" from the profile are one question and get one number on every path
        text = ", ".join(self.vocabulary.display(skill) for skill in query.skills) or query.text
        grid = self.salary_model.salary_grid(
            text, area=area, topic=self.salary_topic(query, field), skills=query.skills, settle=False
        )
        if schedule is None or experience is None:
            return self.salary_model.settle(grid)
        from recommender.salary.calibration import calibrate

        salaries = self.listed_salaries(
            query, area, schedule, experience, field=field, listed=listed, today=today
        )
        grid = calibrate(grid, schedule, experience, salaries)
        # settled after the calibration: its one factor must not carry thin cells past the
        # field's level (the 640k for Java 6+ in Moscow students saw); a cell calibrated on the
        # user's own listing keeps what that listing said
        own = (schedule, experience) if grid.calibrated_on else None
        return self.salary_model.settle(grid, keep=own)

    def listed_salaries(
        self,
        query: Query,
        area: str | None,
        schedule: str,
        experience: str,
        *,
        field: str | None = None,
        listed: int | None = None,
        today: date | None = None,
    ) -> list[tuple[float, str | None]]:
        """(salary, published_at) of the first ``listed`` vacancies the answer lists for the user's
        cell (as far as a reader pages): what the grid is calibrated on."""
        from recommender.salary.calibration import LISTED_LOOKED_AT, matched_salaries

        cell = Filters(area=area, schedule=schedule, experience=experience)
        recommender = self.recommender()
        ranking = recommender.rank(query, field=field)  # the grid's topic read the same (kept) ranking
        if ranking is None:
            return []
        listing = recommender.vacancies(ranking, cell, listed or LISTED_LOOKED_AT, today=today)
        return matched_salaries(listing.vacancies, schedule, experience)


def _save_salary(model: Any, directory: Path) -> None:
    """Save the salary model without its vocabulary: the bundle stores one and lends it on load."""
    detached = copy.copy(model)
    detached.vocabulary = None
    detached.save(directory)


def _load_model(directory: Path, name: str, vocabulary: Any, index: VacancyIndex) -> Recommender:
    state = _load(directory / "model.pkl")
    params = state.get("params")
    title_topic = directory / "title_topic.npz"  # absent in bundles written before title topics
    return Recommender(
        name=name,
        vocabulary=vocabulary,
        topic_model=state["topic_model"],
        index=index,
        doc_topic=sp.load_npz(directory / "doc_topic.npz"),
        topic_labels=state["topic_labels"],
        topic_shares=np.load(directory / "topic_shares.npy"),
        params=params if isinstance(params, ScoringParams) else None,
        title_topic=sp.load_npz(title_topic) if title_topic.is_file() else None,
    )


def _load_salary(directory: Path) -> Any | None:
    if not directory.is_dir():
        return None
    from recommender.salary import SalaryModel

    return SalaryModel.load(directory)


def _manifest_models(manifest: Mapping[str, Any], path: Path) -> list[str]:
    models = manifest.get("models", [])
    if not isinstance(models, list) or not all(isinstance(m, str) and m in MODEL_NAMES for m in models):
        known = ", ".join(MODEL_NAMES)
        raise DamagedBundle(f"model bundle {path}: {MANIFEST} 'models' is not a list of {known}")
    return models


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BundleError(f"no {MANIFEST} in {path}: not a model bundle") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IncompatibleBundle(f"model bundle {path} has an unreadable {MANIFEST}: {exc}") from exc
    if not isinstance(manifest, dict):
        raise IncompatibleBundle(f"model bundle {path}: {MANIFEST} is not a JSON object")
    return manifest


def load_bundle(out_dir: str | Path, *, models: Sequence[str] | None = None) -> Bundle:
    """Load the current bundle of ``out_dir`` (or a version directory itself).

    Raises ``BundleError`` when there is none and ``IncompatibleBundle`` when it was written
    by incompatible library versions or an unknown bundle format.
    """
    root = Path(out_dir)
    path = root if (root / MANIFEST).is_file() else resolve_current(root)
    if path is None:
        raise BundleError(f"no model bundle in {root}: run `jobrec train --out {root}` first")
    manifest = read_manifest(path)
    check_compatible(manifest, path)
    names = [m for m in _manifest_models(manifest, path) if models is None or m in models]
    try:
        vocabulary = _load(path / "vocabulary.pkl")
        index = _load(path / "index.pkl")
        recommenders = {name: _load_model(path / "models" / name, name, vocabulary, index) for name in names}
        salary_model = _load_salary(path / "salary") if manifest.get("salary") else None
    except Exception as exc:  # unpickling, npz/zip and CatBoost readers fail in many ways on bad bytes
        raise DamagedBundle(f"model bundle {path} is damaged ({_first_line(exc)}): retrain it") from exc
    if not recommenders:
        raise BundleError(f"model bundle {path} has none of the models {list(models or [])}")
    logger.info("loaded bundle %s (%s)", manifest.get("version"), ", ".join(recommenders))
    return Bundle(
        vocabulary=vocabulary,
        index=index,
        recommenders=recommenders,
        salary_model=salary_model,
        salary_topics=manifest.get("salary_topics") if salary_model is not None else None,
        path=path,
        manifest=manifest,
    )
