"""Fit and time the topic models on the real hh.ru corpus (a developer tool, not part of training).

    python -m recommender.topics.benchmark --data ../shared/data --out var/topics-bench

Writes each model's keywords file and similarity heatmap, the LDA coherence-by-count plot,
and prints a JSON summary of timings, query latency and coherence. Documents are the vacancies'
canonical skills from ``SkillVocabulary``; ``--docs-cache`` keeps them between runs.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from recommender.topics import (
    ClusterTopicModel,
    LDATopicModel,
    NMFTopicModel,
    TopicModel,
    label_topics,
    model_coherence,
    redundant_topics,
    search_topic_count,
    topic_similarity_heatmap,
    write_keywords,
)
from recommender.topics.coherence import sample_docs

logger = logging.getLogger(__name__)

# rarer fields first: the report's weak spot
PROBES = (
    ("figma", "adobe illustrator"),
    ("blender", "3ds max"),
    ("stm32", "микроконтроллеры"),
    ("1с:предприятие",),
    ("python", "sql", "машинное обучение"),
)

Corpus = tuple[list[list[str]], list[list[str]], list[str], str]


def load_corpus(data_dir: Path, cache: Path | None) -> Corpus:
    """(docs, labels per doc, titles, how docs were made), from the cache when present."""
    if cache is not None and cache.exists():
        with cache.open("rb") as stream:
            return pickle.load(stream)  # type: ignore[no-any-return]
    from recommender.data import load_vacancies

    paths = [data_dir / "hh_it_2021.jsonl.gz", data_dir / "hh_cards_2021_2023.jsonl.gz"]
    vacancies = load_vacancies([p for p in paths if p.exists()]).vacancies
    from recommender.skills import SkillVocabulary

    vocabulary = SkillVocabulary.build(vacancies)
    docs, source = [list(vocabulary.skills_of(v)) for v in vacancies], "SkillVocabulary"
    labels = [[label.name for label in v.labels] for v in vacancies]
    result = (docs, labels, [v.title for v in vacancies], source)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as stream:
            pickle.dump(result, stream)
    return result


def query_latency_ms(model: TopicModel, query: list[str], repeats: int = 300) -> float:
    model.transform([query])
    started = time.perf_counter()
    for _ in range(repeats):
        model.transform([query])
    return (time.perf_counter() - started) / repeats * 1000


def review(
    name: str, model: TopicModel, docs: list[list[str]], labels: list[list[str]], titles: list[str],
    out: Path, seconds: float,
) -> dict[str, Any]:
    """Keywords file, heatmap, coherence and latency of one fitted model."""
    doc_topic = model.transform(docs)
    infos = label_topics(doc_topic, labels, titles, model=model)
    write_keywords(infos, out / f"{name}_keywords.txt")
    topic_similarity_heatmap(model, out / f"{name}_similarity.png")
    row: dict[str, Any] = {"fit_seconds": round(seconds, 1), "topics": model.n_topics_}
    for measure in ("c_v", "c_npmi"):
        row[measure] = round(model_coherence(model, docs, measure=measure).score, 4)
    row["query_ms"] = round(query_latency_ms(model, ["python", "sql", "machine learning"]), 3)
    row["empty_topics"] = sum(info.size == 0 for info in infos)
    row["redundant_topics"] = len(redundant_topics(model))
    row["label_sources"] = dict(Counter(info.label_source for info in infos))
    row["labels_sample"] = [info.label for info in sorted(infos, key=lambda i: -i.size)[:15]]
    row["probes"] = {" + ".join(probe): probe_topic(model, list(probe), infos) for probe in PROBES}
    return row


def probe_topic(model: TopicModel, query: list[str], infos: list[Any]) -> str:
    """The label and top terms of a query's dominant topic ("no known skill" if it has none)."""
    vector = model.transform([query])[0]
    if not vector.any():
        return "no known skill"
    topic = int(vector.argmax())
    return f"{infos[topic].label}: {', '.join(model.top_terms(topic, 6))}"


def run(args: argparse.Namespace) -> dict[str, Any]:
    out = Path(args.out)
    cache = Path(args.docs_cache) if args.docs_cache else None
    docs, labels, titles, source = load_corpus(Path(args.data), cache)
    if args.sample:
        rng = np.random.default_rng(0)
        rows = np.sort(rng.choice(len(docs), size=min(args.sample, len(docs)), replace=False))
        docs, labels, titles = [docs[i] for i in rows], [labels[i] for i in rows], [titles[i] for i in rows]
    summary: dict[str, Any] = {"docs": len(docs), "doc_source": source,
                               "empty_docs": sum(not d for d in docs)}
    started = time.perf_counter()
    nmf = NMFTopicModel(
        max_iter=args.nmf_max_iter, tol=args.nmf_tol, min_df=args.min_df,
        beta_loss=args.nmf_loss, solver="mu" if args.nmf_loss == "kullback-leibler" else "cd",
    ).fit(docs)
    nmf_seconds = time.perf_counter() - started
    summary["nmf"] = review("nmf", nmf, docs, labels, titles, out, nmf_seconds) | {"n_iter": nmf.n_iter_}
    check = sample_docs(docs, 3000, 1)
    folded = nmf.transform(check).argmax(1)
    agreement = folded == nmf.set_params(transform_method="nmf").transform(check).argmax(1)
    nmf.set_params(transform_method="fold")
    summary["nmf"]["fold_vs_iterative_argmax_agreement"] = round(float(np.mean(agreement)), 3)
    started = time.perf_counter()
    cluster = ClusterTopicModel(min_df=args.min_df).fit(docs)
    summary["cluster"] = review("cluster", cluster, docs, labels, titles, out, time.perf_counter() - started)
    started = time.perf_counter()
    cluster_nmf = ClusterTopicModel(space="nmf", nmf=nmf).fit(docs)
    summary["cluster_nmf"] = review(
        "cluster_nmf", cluster_nmf, docs, labels, titles, out, time.perf_counter() - started
    )
    if not args.skip_lda:
        started = time.perf_counter()
        search = search_topic_count(
            docs, args.lda_grid, sample_size=args.search_sample, passes=args.search_passes,
            chunksize=args.lda_chunksize,
            plot_path=out / "lda_coherence.png",
        )
        lda = LDATopicModel(search.best_count, chunksize=args.lda_chunksize).fit(docs)
        total = time.perf_counter() - started
        summary["lda"] = review("lda", lda, docs, labels, titles, out, total) | {
            "search": search.to_dict(),
            "perplexity_sample": round(lda.perplexity(sample_docs(docs, 3000, 2)), 1),
        }
    return summary


def _min_df(text: str) -> float | int:
    value = float(text)
    return value if value < 1 else int(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--out", default="var/topics-bench")
    parser.add_argument("--docs-cache", default="var/topics-bench/docs.pkl")
    parser.add_argument("--sample", type=int, default=0, help="use this many docs (0: all)")
    parser.add_argument("--nmf-max-iter", type=int, default=200)
    parser.add_argument("--nmf-tol", type=float, default=1e-4)
    parser.add_argument("--nmf-loss", choices=["kullback-leibler", "frobenius"], default="kullback-leibler",
                        help="frobenius uses the cd solver")
    parser.add_argument("--min-df", type=_min_df, default=0.003, help="TF-IDF min_df (share <1 or docs)")
    parser.add_argument("--skip-lda", action="store_true")
    parser.add_argument("--lda-chunksize", type=int, default=100)
    parser.add_argument("--lda-grid", type=int, nargs="+", default=[16, 32, 48, 64, 96])
    parser.add_argument("--search-sample", type=int, default=20_000)
    parser.add_argument("--search-passes", type=int, default=5)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("gensim").setLevel(logging.WARNING)
    summary = run(args)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
