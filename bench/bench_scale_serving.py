"""Serving at scale: a bundle's resident memory, `recommend()` p50/p99, and 10k vacancies added.

For the 100k / 300k / 1M bundles of bench/bench_train_scale.py. In one process, one thread:

1. resident memory before and after loading the bundle (what a replica holds);
2. p50/p99 of a whole answer (parse, rank, specialization, skills to learn) over realistic
   queries (bench_recommend.make_queries), against a naive full cosine + sort on a sample;
3. ``Bundle.updated`` with N fresh vacancies (a corpus of other ids: ``make_corpus.py
   --first-id``) and as many closed ones: wall seconds and peak memory while both the served and
   the updated bundle are held (a replica holds both for the swap);
4. p50 again on the updated bundle.

    nice -n 10 python bench/bench_scale_serving.py /tmp/scale-models-1m --fresh /tmp/scale-fresh-10k.jsonl.gz

Without ``--fresh`` only 1 and 2 run: with ``PYTHONPATH`` set to another checkout, the same
bundle's answers timed under that checkout's code (a same-sitting "before").
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_recommend import full_answer, make_queries, percentiles, rss_mb, time_calls  # noqa: E402
from bench_train_scale import RssSampler  # noqa: E402

from recommender.bundle import load_bundle  # noqa: E402
from recommender.data import load_vacancies  # noqa: E402


def cpu_percentiles(func, queries: list[str]) -> dict[str, float]:
    """p50/p99 of the CPU time of each call (ms): on a shared, loaded machine the wall time of a
    niced process mostly measures its wait for a core."""
    samples = []
    for query in queries:
        started = time.thread_time()
        func(query)
        samples.append(time.thread_time() - started)
    return percentiles(samples)


def update_figures(bundle, fresh_path: str, add: int, queries: list[str]) -> dict:
    """``Bundle.updated`` with ``add`` fresh vacancies and as many of the oldest closed: its time,
    peak memory and the answers' times after it."""
    rec = bundle.recommender()
    fresh = load_vacancies([fresh_path]).vacancies[:add]
    closed = [f"hh:{vid}" for vid in rec.index.ids[:add]]  # the oldest rows, closed at hh
    sampler = RssSampler()
    sampler.start()
    started, started_cpu = time.perf_counter(), time.process_time()
    updated = bundle.updated(fresh, closed)
    add_s, add_cpu_s = time.perf_counter() - started, time.process_time() - started_cpu
    sampler.stopped.set()
    after = percentiles(time_calls(full_answer(updated.recommender()), queries))
    return {
        "added": len(fresh),
        "closed": len(closed),
        "update_s": round(add_s, 1),
        "update_cpu_s": round(add_cpu_s, 1),
        "update_peak_rss_mb": round(max(mb for _, mb in sampler.samples)),
        "after_update_vacancies": len(updated.index),
        "after_update_p50_ms": round(after["p50_ms"], 2),
        "after_update_p99_ms": round(after["p99_ms"], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("model_dir")
    parser.add_argument(
        "--fresh", default=None, help="a corpus of new vacancies (other ids); none: no update step"
    )
    parser.add_argument("--add", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    process_mb = rss_mb()
    started = time.perf_counter()
    bundle = load_bundle(args.model_dir)
    load_s = time.perf_counter() - started
    loaded_mb = rss_mb()
    started_cpu = time.process_time()
    bundle.warm()  # as every bot process does before its first answer (bot/app.py, model_watch)
    warm_cpu_s = time.process_time() - started_cpu
    serving_mb = rss_mb()
    rec = bundle.recommender()
    queries = make_queries(rec, args.queries)
    answer = percentiles(time_calls(full_answer(rec), queries))
    answer_cpu = cpu_percentiles(full_answer(rec), queries)

    report = {
        "vacancies": len(bundle.index),
        "bundle_load_s": round(load_s, 1),
        "process_mb_before": round(process_mb),
        "loaded_rss_mb": round(loaded_mb),
        "warm_cpu_s": round(warm_cpu_s, 1),
        "serving_rss_mb": round(serving_mb),  # loaded and warmed, as a replica serves
        "rss_after_answers_mb": round(rss_mb()),  # with the answers' caches (scores, rankings)
        "recommend_p50_ms": round(answer["p50_ms"], 2),
        "recommend_p99_ms": round(answer["p99_ms"], 2),
        "recommend_cpu_p50_ms": round(answer_cpu["p50_ms"], 2),
        "recommend_cpu_p99_ms": round(answer_cpu["p99_ms"], 2),
    }
    if args.fresh:
        report.update(update_figures(bundle, args.fresh, args.add, queries))
    report["load_average_before"] = [round(x, 2) for x in load_before]
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
