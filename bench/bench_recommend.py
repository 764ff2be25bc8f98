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
import asyncio  # noqa: E402
import copy  # noqa: E402
import dataclasses  # noqa: E402
import gc  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.metrics.pairwise import cosine_similarity  # noqa: E402

from bot.services.advisor import PAGE_SIZE, Advisor, relaxations, single_relaxations  # noqa: E402
from bot.services.model_holder import ModelHolder  # noqa: E402
from recommender.bundle import Bundle, load_bundle  # noqa: E402
from recommender.evaluation.queries import REPORT_QUERIES  # noqa: E402
from recommender.recommend import Filters, Ranking, Recommendation, Recommender, SkillMatrix  # noqa: E402
from recommender.recommend.index import CATEGORIES, ROW_ARRAYS  # noqa: E402
from recommender.skills.query import Query  # noqa: E402

logger = logging.getLogger("bench_recommend")

TARGETS = {"p50_ms": 5.0, "p99_ms": 20.0, "p50_1m_ms": 50.0, "rss_mb": 500.0, "relaxed": 1.2, "page": 0.3}
# A city the corpus lacks, a salary minimum nobody pays, an employment and an experience: the bot
# tries each dropped alone, then drops them one after another until the city goes (8 tries).
RELAXING = Filters(area="Урюпинск", min_salary=10**7, employment="volunteer", experience="moreThan6")


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
        "max_ms": float(ms.max()),
    }


def time_calls(func, queries: list[str], repeat: int = 1, cpu: list[float] | None = None) -> list[float]:
    """Wall seconds per call; with ``cpu``, this process's CPU seconds per call are appended to it
    (on a shared machine the wall time's tail is mostly the other jobs' time slices)."""
    for query in queries[:20]:  # warm caches
        func(query)
    samples = []
    for _ in range(repeat):
        for query in queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            func(query)
            samples.append(time.perf_counter() - started)
            if cpu is not None:
                cpu.append(time.process_time() - started_cpu)
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


class RankingEveryTry(Recommender):
    """The recommender before issue 20: every ``recommend`` ranked the query again from its kept
    scores (``cached_scores`` still keeps them; the best matches, specialization, advice, fields and
    tiers were not kept)."""

    def rank(self, query: Query, *, field: str | None = None) -> Ranking | None:
        return self._rank(query, field)


def answer_before(rec: Recommender, query: Query, filters: Filters, page: int) -> Recommendation:
    """The bot's answer before issue 20 (``Advisor.recommend`` then): a whole ``recommend`` per
    try, each of the user's filters dropped alone, then one after another, until one finds strong
    matches (it also hopped to a thread per try; here the whole answer is one hop, as now)."""

    def listed(looser: Filters) -> Recommendation:
        return rec.recommend(query, looser, PAGE_SIZE, offset=page * PAGE_SIZE, today=date.today())

    answer = listed(filters)
    if answer.total_vacancies or query.empty:
        return answer
    singles = list(single_relaxations(filters))
    for _, looser in [*(singles if len(singles) > 1 else ()), *relaxations(filters)]:
        found = listed(looser)
        if found.total_vacancies:
            return found
    return answer


def fresh_copy(rec: Recommender, cls: type[Recommender] = Recommender) -> Recommender:
    """The same model over the same corpus, nothing kept from earlier queries."""
    return cls(
        name=rec.name, vocabulary=rec.vocabulary, topic_model=rec.topic_model, index=rec.index,
        doc_topic=rec.doc_topic, topic_labels=rec.topic_labels, topic_shares=rec.topic_shares,
        params=rec.params, title_topic=rec.title_topic,
    )  # fmt: skip


def bot_answer_times(
    bundle: Bundle, rec: Recommender, queries: list[str], filters: Filters, page: int, *, before: bool
) -> tuple[list[float], list[float]]:
    """(wall, CPU) seconds per answer as the bot asks for it, relaxation included: ``Advisor.recommend``
    now, ``answer_before`` in a thread for ``before``. When ``page`` is timed, each query is answered
    on page 0 first (untimed): a page press after its answer. CPU: this process's, every thread."""
    advisor = Advisor(ModelHolder(dataclasses.replace(bundle, recommenders={bundle.default_model: rec})))

    async def answer(query: Query, page: int) -> object:
        if before:
            return await asyncio.to_thread(answer_before, rec, query, filters, page)
        return await advisor.recommend(query, page=page, filters=filters)

    async def run() -> tuple[list[float], list[float]]:
        wall, cpu = [], []
        for text in queries:
            query = bundle.understand(text).query
            if page:
                await answer(query, 0)
            started, started_cpu = time.perf_counter(), time.process_time()
            await answer(query, page)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        return wall, cpu

    return asyncio.run(run())


def relaxed_and_paged(bundle: Bundle, n_queries: int) -> dict:
    """A plain answer, a relaxed one (filters nothing passes: each dropped alone, then one after
    another) and a page press, each case on its own recommender (warmed on other queries first),
    now and as before issue 20 (``answer_before`` over ``RankingEveryTry``). Distinct queries: no
    answer reads a ranking another answer made, except the page press its own answer's."""
    base = bundle.recommender()
    queries = make_queries(base, n_queries + 40, seed=2)
    warm, timed = queries[:40], queries[40:]
    results: dict = {"queries": len(timed), "relaxing_filters": repr(RELAXING)}
    cases = {"plain": (Filters(), 0), "relaxed": (RELAXING, 0), "page": (Filters(), 1)}
    for flow, cls in (("now", Recommender), ("before", RankingEveryTry)):
        results[flow] = {}
        for case, (filters, page) in cases.items():
            # a recommender each: the rows' titles, read on first use, are as cold for every case
            rec = fresh_copy(base, cls).warm()  # as the bot serves it
            for text in warm:
                rec.recommend(bundle.understand(text).query)
            wall, cpu = bot_answer_times(bundle, rec, timed, filters, page, before=flow == "before")
            results[flow][case] = {"wall": percentiles(wall), "cpu": percentiles(cpu)}
    now, before = results["now"], results["before"]
    results["ratios"] = {
        f"{flow}: {case} / plain": results[flow][case]["cpu"]["p50_ms"]
        / results[flow]["plain"]["cpu"]["p50_ms"]
        for flow in ("now", "before")
        for case in ("relaxed", "page")
    }
    print(
        "bot answers, CPU p50 ms: "
        + "; ".join(
            f"{flow}: plain {r['plain']['cpu']['p50_ms']:.2f}, relaxed {r['relaxed']['cpu']['p50_ms']:.2f}, "
            f"page {r['page']['cpu']['p50_ms']:.2f}"
            for flow, r in (("now", now), ("before", before))
        )
        + "; "
        + ", ".join(f"{name} x{value:.2f}" for name, value in results["ratios"].items()),
        flush=True,
    )
    return results


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
    started = time.perf_counter()
    bundle.warm()  # as the bot serves a bundle: every title read before the first answer
    warm_s = time.perf_counter() - started
    after = rss_mb()
    results: dict = {
        "bundle": bundle.version,
        "vacancies": len(bundle.index),
        "models": bundle.models,
        "load_s": load_s,
        "warm_s": warm_s,
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
        cpu: list[float] = []
        collections = gc.get_stats()[2]["collections"]
        full = percentiles(time_calls(full_answer(rec), queries, cpu=cpu))
        full_gen2 = gc.get_stats()[2]["collections"] - collections
        fast = percentiles(time_calls(fast_ranker(rec), queries))
        dense = rec.doc_topic.toarray()
        naive = percentiles(time_calls(naive_ranker(rec, dense), queries[: args.naive_queries]))
        del dense
        per_model[model] = {
            "recommend": full,
            "recommend_cpu": percentiles(cpu),
            "full_collections": full_gen2,  # Python's full (generation 2) garbage collections meanwhile
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
    if args.relaxed_queries:
        results["relaxed_and_paged"] = relaxed_and_paged(bundle, args.relaxed_queries)
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
        f"Bundle {r['bundle']}: {r['vacancies']:,} vacancies; loaded in {r['load_s']:.1f}s, warmed to serve "
        f"(`Bundle.warm`: every title read) in {r.get('warm_s', 0.0):.1f}s.",
        "",
        "| measure | value | target | |",
        "|---|---|---|---|",
        f"| recommend() p50, {default}, {r['vacancies']:,} vacancies | {main['p50_ms']:.2f} ms | < 5 ms | "
        f"{_mark(main['p50_ms'] < TARGETS['p50_ms'])} |",
        f"| recommend() p99 | {main['p99_ms']:.2f} ms | < 20 ms | "
        f"{_mark(main['p99_ms'] < TARGETS['p99_ms'])} |",
    ]
    cpu = r["models_bench"][default].get("recommend_cpu")
    if cpu:
        lines.append(
            f"| recommend() CPU time per answer, p50 / p99 / max (the same calls) | {cpu['p50_ms']:.2f} / "
            f"{cpu['p99_ms']:.2f} / {cpu['max_ms']:.1f} ms | | "
            f"{r['models_bench'][default]['full_collections']} full garbage collections meanwhile |"
        )
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
    if "relaxed_and_paged" in r:
        lines += relaxed_lines(r["relaxed_and_paged"])
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


def relaxed_lines(r: dict) -> list[str]:
    """The plain / relaxed / page-press table (``relaxed_and_paged``)."""
    ratios = r["ratios"]
    lines = [
        "",
        "## Relaxed answers and page presses",
        "",
        f"As the bot asks (`Advisor.recommend`, its thread included), {r['queries']} distinct queries",
        "each: a plain answer (no filter), a relaxed one (`RELAXING`: every filter dropped alone, then",
        "one after another, 10 tries) and a page press (page 2 right after the query's answer).",
        "*before*: the flow before issue 20 in the same run (`answer_before`: a whole `recommend` per",
        "try and per page, ranking again from the kept scores). CPU time is this process's (all",
        "threads), steady under the machine's other load; wall time is what a user waits.",
        "",
        "| flow | case | CPU p50 / p99 ms | wall p50 / p99 ms |",
        "|---|---|---|---|",
    ]
    for flow in ("now", "before"):
        for case in ("plain", "relaxed", "page"):
            c, w = r[flow][case]["cpu"], r[flow][case]["wall"]
            lines.append(
                f"| {flow} | {case} | {c['p50_ms']:.2f} / {c['p99_ms']:.2f} "
                f"| {w['p50_ms']:.2f} / {w['p99_ms']:.2f} |"
            )
    lines += [
        "",
        "| ratio of CPU p50s | now | before | target | |",
        "|---|---|---|---|---|",
        f"| relaxed / plain | x{ratios['now: relaxed / plain']:.2f} "
        f"| x{ratios['before: relaxed / plain']:.2f} | ≤ x1.2 "
        f"| {_mark(ratios['now: relaxed / plain'] <= TARGETS['relaxed'])} |",
        f"| page press / plain | x{ratios['now: page / plain']:.2f} | x{ratios['before: page / plain']:.2f} "
        f"| ≤ x0.3 | {_mark(ratios['now: page / plain'] <= TARGETS['page'])} |",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default="var/models")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--naive-queries", type=int, default=200)
    parser.add_argument("--million", type=int, default=1_000_000, help="replicated corpus size (0 to skip)")
    parser.add_argument("--million-queries", type=int, default=200)
    parser.add_argument(
        "--relaxed-queries", type=int, default=200, help="plain vs relaxed vs page-press answers (0 to skip)"
    )
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
