"""The scale curve: training stages and serving figures at each corpus size, as a chart (PNG).

Reads the JSON lines bench_train_scale.py and bench_scale_serving.py print (one file each per
size) and draws, against the number of vacancies: each training stage's seconds (stacked
bars), training peak memory, serving memory and recommend() p50/p99.

    python bench/plot_scale.py --train /tmp/scale-train-100k-nmf.json /tmp/scale-train-300k.json \\
        --serve /tmp/scale-serve-100k.json --out docs/scale-curve.png
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def read(paths: list[Path]) -> list[dict]:
    rows = [
        json.loads(p.read_text().strip().splitlines()[-1]) for p in paths if p.is_file() and p.stat().st_size
    ]
    return sorted(rows, key=lambda r: r.get("rows") or r.get("vacancies") or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--train", nargs="*", type=Path, default=[])
    parser.add_argument("--serve", nargs="*", type=Path, default=[])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    trains, serves = read(args.train), read(args.serve)
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    if trains:
        # the models trained, when the report says (a 300k NMF-only run beside a full 1M one)
        labels = [f"{r['rows'] // 1000}k\n{r.get('models', '')}".strip() for r in trains]
        stages = [s for s in trains[-1]["stages_s_mb"] if s != "write"] + ["write"]
        bottom = [0.0] * len(trains)
        for stage in stages:
            seconds = [r["stages_s_mb"].get(stage, [0, 0])[0] / 60 for r in trains]
            left.bar(labels, seconds, bottom=bottom, label=stage)
            bottom = [b + s for b, s in zip(bottom, seconds, strict=True)]
        left.set_ylabel("training, minutes (stacked stages)")
        left.set_xlabel("vacancies (topic and salary models fitted on 100k)")
        memory = left.twinx()
        memory.plot(labels, [r["peak_rss_mb"] / 1024 for r in trains], "k--o", label="peak RSS")
        memory.set_ylabel("training peak RSS, GB")
        left.legend(loc="upper left", fontsize=8)
        loads = [x for r in trains for x in (r["load_average_before"][0], r["load_average_after"][0])]
        load = f"{min(loads):.0f}-{max(loads):.0f}"
        left.set_title(f"jobrec train by stage (shared 2-core machine, load {load} before/after)")
    if serves:
        sizes = [r["vacancies"] / 1000 for r in serves]
        right.plot(sizes, [r["recommend_cpu_p50_ms"] for r in serves], "o-", label="answer p50, CPU ms")
        right.plot(sizes, [r["recommend_cpu_p99_ms"] for r in serves], "s-", label="answer p99, CPU ms")
        right.plot(sizes, [r["update_cpu_s"] for r in serves], "^-", label="10k added + 10k closed, CPU s")
        right.set_xlabel("vacancies, thousands")
        rss = right.twinx()
        rss.plot(sizes, [r["serving_rss_mb"] / 1024 for r in serves], "k--o", label="serving RSS, GB")
        rss.set_ylabel("serving RSS per replica, GB")
        right.legend(loc="upper left", fontsize=8)
        right.set_title("serving one replica")
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    print(f"chart written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
