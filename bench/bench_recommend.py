"""Speed of ``Recommender.recommend`` on a trained bundle, against a naive implementation.

Run:  .venv/bin/python bench/bench_recommend.py [--model-dir var/models] [--out docs/bench-recommend.md]

Measures, in one process and one thread: p50/p99 latency of recommend() over the bundle's
corpus; the same on the corpus replicated to 1,000,000 vacancies; a naive ranking (sklearn
``cosine_similarity`` of the query against every dense vacancy vector, then a full sort)
for the speed-up ratio; the resident memory of the loaded bundle; and the bundle's
training times from its manifest.
"""

from __future__ import annotations

import os

# One thread, as the target states: set before numpy loads its BLAS.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import copy  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.metrics.pairwise import cosine_similarity  # noqa: E402

from recommender.bundle import load_bundle  # noqa: E402
from recommender.evaluation.queries import REPORT_QUERIES  # noqa: E402
from recommender.recommend import Recommendation, Recommender, SkillMatrix  # noqa: E402
from recommender.recommend.index import CATEGORIES, ROW_ARRAYS  # noqa: E402

logger = logging.getLogger("bench_recommend")

TARGETS = {"p50_ms": 5.0, "p99_ms": 20.0, "p50_1m_ms": 50.0, "rss_mb": 500.0}


def rss_mb() -> float:
    """Resident set size of this process, from /proc (Linux)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def make_queries(rec: Recommender, n: int, seed: int = 0) -> list[str]:
    """Realistic queries: 2–5 skills of random indexed vacancies, plus the report's queries."""
    rng = random.Random(seed)
    matrix = rec.index.skills
    rows = [r for r in range(len(rec.index)) if matrix.rows.indptr[r + 1] - matrix.rows.indptr[r] >= 2]
    queries = list(REPORT_QUERIES)
    while len(queries) < n:
        skills = matrix.skills_of_row(rng.choice(rows))
        queries.append(", ".join(rng.sample(skills, min(len(skills), rng.randint(2, 5)))))
    return queries


def percentiles(samples_s: list[float]) -> dict[str, float]:
    ms = np.asarray(samples_s) * 1000
    return {
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
        "mean_ms": float(ms.mean()),
    }


def time_calls(func, queries: list[str], repeat: int = 1) -> list[float]:
    for query in queries[:20]:  # warm caches
        func(query)
    samples = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            func(query)
            samples.append(time.perf_counter() - started)
    return samples


def full_answer(rec: Recommender):
    """A whole answer as the bot asks for one: parse, rank, specialization, skills to learn."""

    def answer(query: str) -> Recommendation:
        return rec.recommend(rec.vocabulary.parse(query), k=5)

    return answer


def naive_ranker(rec: Recommender, dense: np.ndarray):
    """The straightforward way: cosine against every vacancy vector, then sort everything."""

    def rank(query: str) -> np.ndarray:
        skills = rec.vocabulary.extract(query).skills
        vector = rec.topic_model.transform([skills])
        similarity = cosine_similarity(vector, dense)[0]
        return np.argsort(-similarity, kind="stable")[:5]

    return rank


def fast_ranker(rec: Recommender):
    """Our ranking step alone (extraction, topic vector, blended scores, argpartition top 5)."""

    def rank(query: str) -> list[int]:
        skills = rec.vocabulary.extract(query).skills
        return rec.top_vacancy_rows(skills, 5)

    return rank


def replicate(rec: Recommender, target: int) -> Recommender:
    """The recommender over its corpus copied until ``target`` vacancies (copies kept distinct)."""
    base = rec.index
    reps = -(-target // len(base))
    index = copy.copy(base)
    n = len(base)
    index.ids = [f"{i}~{r}" for r in range(reps) for i in base.ids][:target]
    index.titles = (base.titles * reps)[:target]
    index.clean_titles = None if base.clean_titles is None else (base.clean_titles * reps)[:target]
    # every per-row array the index defines (one list, so a new field is replicated too)
    per_row = [codes for codes, _ in CATEGORIES.values()] + list(ROW_ARRAYS)
    for name in per_row:
        setattr(index, name, np.tile(getattr(base, name), reps)[:target])
    index.also_at_links = {}
    # each copy is its own employer/title pair, so de-duplication does not collapse the copies
    index.dedupe_codes = (np.tile(base.dedupe_codes, reps) + np.repeat(np.arange(reps), n) * (n + 1))[:target]
    rows = sp.vstack([base.skills.rows] * reps, format="csr")[:target]
    index.skills = SkillMatrix(
        names=base.skills.names,
        rows=rows,
        doc_freq=base.skills.doc_freq,
        cooccurrence=base.skills.cooccurrence,
        keyness=base.skills.keyness,
    )
    index.mention_weights = sp.vstack([base.mention_weights] * reps, format="csr")[:target]
    index.title_words = sp.vstack([base.title_words] * reps, format="csr")[:target]
    index.custom_urls = {}
    index._build_filters()
    doc_topic = sp.vstack([rec.doc_topic] * reps, format="csr")[:target]
    title_topic = sp.vstack([rec.title_topic] * reps, format="csr")[:target]
    return Recommender(
        name=rec.name,
        vocabulary=rec.vocabulary,
        topic_model=rec.topic_model,
        index=index,
        doc_topic=doc_topic,
        topic_labels=rec.topic_labels,
        topic_shares=rec.topic_shares,
        params=rec.params,
        title_topic=title_topic,
    )


def bench(args: argparse.Namespace) -> dict:
    before = rss_mb()
    started = time.perf_counter()
    bundle = load_bundle(args.model_dir)
    load_s = time.perf_counter() - started
    after = rss_mb()
    results: dict = {
        "bundle": bundle.version,
        "vacancies": len(bundle.index),
        "models": bundle.models,
        "load_s": load_s,
        "rss_before_mb": before,
        "rss_loaded_mb": after,
        "train_timings_s": bundle.manifest.get("timings_s", {}),
        "train_total_s": bundle.manifest.get("train_seconds"),
        "load_average": os.getloadavg(),  # other jobs on the machine while the bench ran
    }
    per_model = {}
    for model in bundle.models:
        rec = bundle.recommender(model)
        queries = make_queries(rec, args.queries)
        full = percentiles(time_calls(full_answer(rec), queries))
        fast = percentiles(time_calls(fast_ranker(rec), queries))
        dense = rec.doc_topic.toarray()
        naive = percentiles(time_calls(naive_ranker(rec, dense), queries[: args.naive_queries]))
        del dense
        per_model[model] = {
            "recommend": full,
            "ranking": fast,
            "naive_ranking": naive,
            "speedup_p50": naive["p50_ms"] / fast["p50_ms"],
            "topics": rec.doc_topic.shape[1],
            "doc_topic_nnz": int(rec.doc_topic.nnz),
        }
        print(
            f"{model}: recommend p50 {full['p50_ms']:.2f} ms p99 {full['p99_ms']:.2f} ms; ranking "
            f"{fast['p50_ms']:.2f} ms vs naive {naive['p50_ms']:.2f} ms "
            f"(x{per_model[model]['speedup_p50']:.1f})",
            flush=True,
        )
    results["models_bench"] = per_model
    if args.million:
        rec = replicate(bundle.recommender(bundle.default_model), args.million)
        queries = make_queries(bundle.recommender(bundle.default_model), args.million_queries, seed=1)
        full = percentiles(time_calls(full_answer(rec), queries))
        fast = percentiles(time_calls(fast_ranker(rec), queries))
        dense = rec.doc_topic.toarray()
        naive = percentiles(time_calls(naive_ranker(rec, dense), queries[:30]))
        del dense
        results["million"] = {
            "model": rec.name,
            "vacancies": len(rec.index),
            "recommend": full,
            "ranking": fast,
            "naive_ranking": naive,
            "speedup_p50": naive["p50_ms"] / fast["p50_ms"],
        }
        print(
            f"1M {rec.name}: recommend p50 {full['p50_ms']:.1f} ms p99 {full['p99_ms']:.1f} ms; naive "
            f"{naive['p50_ms']:.1f} ms",
            flush=True,
        )
    return results


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def to_markdown(r: dict, command: str) -> str:
    default = r["models"][0] if "nmf" not in r["models"] else "nmf"
    main = r["models_bench"][default]["recommend"]
    lines = [
        "# Recommendation speed",
        "",
        f"Produced by `{command}` on {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}, one BLAS thread",
        "(2 cores shared with other engineers' jobs, which may have been running;"
        f" load average {' / '.join(f'{x:.1f}' for x in r.get('load_average', ()))} at the start).",
        f"Bundle {r['bundle']}: {r['vacancies']:,} vacancies; loaded in {r['load_s']:.1f}s.",
        "",
        "| measure | value | target | |",
        "|---|---|---|---|",
        f"| recommend() p50, {default}, {r['vacancies']:,} vacancies | {main['p50_ms']:.2f} ms | < 5 ms | "
        f"{_mark(main['p50_ms'] < TARGETS['p50_ms'])} |",
        f"| recommend() p99 | {main['p99_ms']:.2f} ms | < 20 ms | "
        f"{_mark(main['p99_ms'] < TARGETS['p99_ms'])} |",
    ]
    if "million" in r:
        m = r["million"]
        lines.append(
            f"| recommend() p50, {m['vacancies']:,} vacancies (replicated) | "
            f"{m['recommend']['p50_ms']:.1f} ms "
            f"| < 50 ms | {_mark(m['recommend']['p50_ms'] < TARGETS['p50_1m_ms'])} |"
        )
    lines.append(
        f"| resident memory after loading the bundle | {r['rss_loaded_mb']:.0f} MB "
        f"(process before: {r['rss_before_mb']:.0f} MB) | < 500 MB | "
        f"{_mark(r['rss_loaded_mb'] < TARGETS['rss_mb'])} |"
    )
    t = r["train_timings_s"]
    nmf_cluster = sum(t.get(k, 0.0) for k in ("vocabulary", "index", "nmf", "cluster"))
    if t:
        lines.append(
            f"| train: vocabulary + index + NMF + clustering | {nmf_cluster:.0f} s | < 180 s | "
            f"{_mark(nmf_cluster < 180)} |"
        )
        if "lda" in t:
            lines.append(
                f"| train: LDA with its topic-count search | {t['lda']:.0f} s | < 600 s | "
                f"{_mark(t['lda'] < 600)} |"
            )
    lines += [
        "",
        "Training times come from the bundle's manifest (`jobrec train` on both shared files):",
        "",
        "| step | seconds |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in t.items()],
        f"| total (incl. loading the data) | {r.get('train_total_s')} |",
        "",
        "## Per model",
        "",
        "*recommend*: the whole answer (extraction, scores, top 5 with de-duplication, specialization,",
        "skills to learn). *ranking*: the vacancy ranking alone; *naive*: the same query's topic vector",
        "against every vacancy with sklearn `cosine_similarity`, then a full `argsort`.",
        "",
        "| model | topics | doc-topic nnz | recommend p50 / p99 ms | ranking p50 ms | naive p50 ms "
        "| speed-up |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, b in r["models_bench"].items():
        lines.append(
            f"| {name} | {b['topics']} | {b['doc_topic_nnz']:,} | {b['recommend']['p50_ms']:.2f} / "
            f"{b['recommend']['p99_ms']:.2f} | {b['ranking']['p50_ms']:.2f} | "
            f"{b['naive_ranking']['p50_ms']:.2f} | x{b['speedup_p50']:.1f} |"
        )
    if "million" in r:
        m = r["million"]
        lines += [
            "",
            f"Replicated corpus ({m['vacancies']:,} vacancies, model {m['model']}): recommend p50 "
            f"{m['recommend']['p50_ms']:.1f} ms, p99 {m['recommend']['p99_ms']:.1f} ms; ranking p50 "
            f"{m['ranking']['p50_ms']:.1f} ms; naive p50 {m['naive_ranking']['p50_ms']:.1f} ms "
            f"(x{m['speedup_p50']:.1f}).",
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default="var/models")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--naive-queries", type=int, default=200)
    parser.add_argument("--million", type=int, default=1_000_000, help="replicated corpus size (0 to skip)")
    parser.add_argument("--million-queries", type=int, default=200)
    parser.add_argument("--out", default="docs/bench-recommend.md")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    results = bench(args)
    command = ".venv/bin/python bench/bench_recommend.py " + " ".join(sys.argv[1:])
    Path(args.out).write_text(to_markdown(results, command.strip()), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
