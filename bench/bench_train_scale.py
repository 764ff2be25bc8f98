"""Time and peak memory of every `jobrec train` stage on a (generated) corpus.

A thread samples the process's resident memory every 0.2 s; each stage's peak is the highest
sample inside its time window (the stage timings come from the bundle's manifest, in the
order ``fit_parts`` runs them). Prints a JSON line with every figure, the bundle's size on
disk and the load average before and after, for docs/benchmarks.md.

    nice -n 10 python bench/bench_train_scale.py /tmp/scale-corpus-100000.jsonl.gz \
        --out /tmp/scale-models-100k
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

from recommender.bundle import load_bundle
from recommender.data import load_vacancies
from recommender.train import train_bundle


def rss_mb() -> float:
    """This process's resident memory (VmRSS), MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssSampler(threading.Thread):
    def __init__(self, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[tuple[float, float]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.samples.append((time.perf_counter(), rss_mb()))
            self.stopped.wait(self.every)

    def peak(self, start: float, end: float) -> float:
        inside = [mb for t, mb in self.samples if start <= t <= end]
        return max(inside, default=0.0)


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--out", required=True, help="bundle directory (under /tmp)")
    parser.add_argument("--models", default="nmf,lda,cluster")
    parser.add_argument("--no-salary", action="store_true", help="no salary model (a serving bundle)")
    parser.add_argument(
        "--fit-sample", type=int, default=None, help="topic and salary models fit on N vacancies"
    )
    args = parser.parse_args(argv)
    sampler = RssSampler()
    sampler.start()
    load_before = os.getloadavg()
    started = time.perf_counter()
    vacancies = load_vacancies([args.corpus]).vacancies
    loaded = time.perf_counter()
    path = train_bundle(
        vacancies,
        args.out,
        models=[m for m in args.models.split(",") if m],
        data_paths=[args.corpus],
        salary=not args.no_salary,
        fit_sample=args.fit_sample,
    )
    finished = time.perf_counter()
    sampler.stopped.set()
    manifest = load_bundle(path).manifest
    stages = {"load": (round(loaded - started, 1), round(sampler.peak(started, loaded)))}
    at = loaded
    for name, seconds in manifest["timings_s"].items():
        stages[name] = (round(seconds, 1), round(sampler.peak(at, at + seconds)))
        at += seconds
    stages["write"] = (round(finished - at, 1), round(sampler.peak(at, finished)))
    report = {
        "rows": len(vacancies),
        "fit_sample": args.fit_sample,
        "salary": not args.no_salary,
        "total_s": round(finished - started, 1),
        "peak_rss_mb": round(max(mb for _, mb in sampler.samples)),
        "stages_s_mb": stages,
        "bundle_mb": round(folder_mb(path), 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "bundle": str(path),
    }
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
