"""Time and peak memory of every `jobrec train` stage on a (generated) corpus.

A thread samples the process's resident memory every 0.2 s; each stage's peak is the highest
sample inside its time window (``fit_parts`` tells each stage's seconds as it ends). Every
stage is printed, and the JSON report rewritten, as soon as it ends, so a run stopped halfway
still reports its finished stages; the final JSON line adds the bundle's size on disk and the
load average before and after, for docs/benchmarks.md.

    nice -n 10 python bench/bench_train_scale.py /tmp/scale-corpus-100000.jsonl.gz \
        --out /tmp/scale-models-100k --report /tmp/scale-train-100k.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

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


class StageReport:
    """Each stage's wall seconds and peak RSS, printed and written to ``path`` as it ends."""

    def __init__(self, sampler: RssSampler, path: Path | None, header: dict) -> None:
        self.sampler = sampler
        self.path = path
        self.report = {**header, "stages_s_mb": {}, "stages_cpu_s": {}}
        self.last_end = time.perf_counter()
        self.last_cpu = time.process_time()

    def stage(self, name: str, seconds: float, end: float | None = None) -> None:
        end = time.perf_counter() if end is None else end
        start = end - seconds
        cpu, self.last_cpu = time.process_time() - self.last_cpu, time.process_time()
        if start - self.last_end > 0.5:  # untimed work between stages (dedupe, data hash)
            self._add("between", start - self.last_end, self.last_end, start, None)
        self._add(name, seconds, start, end, cpu)
        self.last_end = end

    def _add(self, name: str, seconds: float, start: float, end: float, cpu: float | None) -> None:
        """``stages_s_mb[name]``: wall seconds, peak MB; ``stages_cpu_s[name]``: the process's CPU
        seconds since the previous stage ended (the steadier figure on a loaded machine; a
        stage's includes the untimed work before it)."""
        stages = self.report["stages_s_mb"]
        key = name if name not in stages else f"{name}+"
        stages[key] = (round(seconds, 1), round(self.sampler.peak(start, end)))
        self.report["stages_cpu_s"][key] = None if cpu is None else round(cpu, 1)
        cpu = cpu or 0.0
        load = os.getloadavg()[0]
        print(
            f"{key:>12}: {seconds:8.1f} s  cpu {cpu:8.1f} s  peak {stages[key][1]:6,} MB  load {load:.2f}",
            flush=True,
        )
        self.write()

    def write(self) -> None:
        if self.path is not None:
            self.path.write_text(json.dumps(self.report, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--out", required=True, help="bundle directory (under /tmp)")
    parser.add_argument("--report", type=Path, default=None, help="JSON report, rewritten per stage")
    parser.add_argument("--models", default="nmf,lda,cluster")
    parser.add_argument("--no-salary", action="store_true", help="no salary model (a serving bundle)")
    parser.add_argument(
        "--fit-sample", type=int, default=None, help="topic and salary models fit on N vacancies"
    )
    parser.add_argument(
        "--lda-search-sample", type=int, default=None, help="LDA's topic-count search on N documents"
    )
    args = parser.parse_args(argv)
    sampler = RssSampler()
    sampler.start()
    load_before = os.getloadavg()
    header = {
        "corpus": args.corpus,
        "models": args.models,
        "fit_sample": args.fit_sample,
        "lda_search_sample": args.lda_search_sample,
        "salary": not args.no_salary,
        "load_average_before": [round(x, 2) for x in load_before],
    }
    stages = StageReport(sampler, args.report, header)
    started = time.perf_counter()
    vacancies = load_vacancies([args.corpus]).vacancies
    stages.report["rows"] = len(vacancies)
    stages.stage("load", time.perf_counter() - started)
    search = {"lda": {"search": {"sample_size": args.lda_search_sample}}} if args.lda_search_sample else None
    path = train_bundle(
        vacancies,
        args.out,
        models=[m for m in args.models.split(",") if m],
        data_paths=[args.corpus],
        salary=not args.no_salary,
        fit_sample=args.fit_sample,
        model_params=search,
        on_stage=stages.stage,
    )
    finished = time.perf_counter()
    stages.stage("write", finished - stages.last_end, finished)
    sampler.stopped.set()
    stages.report.update(
        total_s=round(finished - started, 1),
        total_cpu_s=round(time.process_time(), 1),
        peak_rss_mb=round(max(mb for _, mb in sampler.samples)),
        bundle_mb=round(folder_mb(path), 1),
        load_average_after=[round(x, 2) for x in os.getloadavg()],
        bundle=str(path),
    )
    stages.write()
    print(json.dumps(stages.report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
