"""`jobrec data stats` against a plain read of the same file, in the same run.

The plain read is gzip + ``json.loads`` of every line and nothing else: the floor any reader
pays. The command is run as a user runs it (a fresh process: imports, loading, the skill
vocabulary built from the texts, its extraction over every vacancy). Prints wall-clock and CPU
seconds of both and their ratios (target: at most 12×). CPU time is the steadier figure on a
shared machine.

    python bench/bench_data_stats.py ../shared/data/hh_it_2021.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def plain_read(path: Path) -> tuple[int, float, float]:
    """Records, wall seconds and CPU seconds of gzip + json.loads over the file."""
    wall, cpu = time.perf_counter(), time.process_time()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = sum(1 for line in lines if line.strip() and json.loads(line) is not None)
    return records, time.perf_counter() - wall, time.process_time() - cpu


def command(path: Path, tree: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of `jobrec data stats --data path` in a child process (the code of
    another checkout ``tree`` when given: the same run's "before")."""
    env = dict(os.environ, PYTHONPATH=str(tree)) if tree else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).parent / "jobrec"), "data", "stats", "--data", str(path)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path)
    parser.add_argument("--before", type=Path, default=None, help="another checkout to time too")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best is kept")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    plains = [plain_read(args.path) for _ in range(args.repeat)]
    commands = [command(args.path) for _ in range(args.repeat)]
    records = plains[0][0]
    plain_wall, plain_cpu = min(p[1] for p in plains), min(p[2] for p in plains)
    stats_wall, stats_cpu = min(c[0] for c in commands), min(c[1] for c in commands)
    before = [command(args.path, args.before) for _ in range(args.repeat)] if args.before else []
    print(f"{args.path.name}: {records:,} records; load average {load[0]:.2f} → {os.getloadavg()[0]:.2f}")
    print(f"  plain gzip + json.loads   wall {plain_wall:6.1f} s   cpu {plain_cpu:6.1f} s")
    print(f"  jobrec data stats         wall {stats_wall:6.1f} s   cpu {stats_cpu:6.1f} s")
    print(f"  ratio   wall {stats_wall / plain_wall:6.1f}×   cpu {stats_cpu / plain_cpu:6.1f}×")
    if before:
        wall, cpu = min(b[0] for b in before), min(b[1] for b in before)
        print(f"  {args.before}: jobrec data stats   wall {wall:6.1f} s   cpu {cpu:6.1f} s")
        print(f"  ratio   wall {wall / plain_wall:6.1f}×   cpu {cpu / plain_cpu:6.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
