"""Benchmark: each notebook executed quiet, then again while another process keeps one CPU
core busy, the way a learner's laptop runs it next to a browser and a video call.

    python tools/bench_busy.py            # every notebook (also part of `make bench`)
    python tools/bench_busy.py 02 06      # only notebooks whose names start with these numbers

Each run is a plain Jupyter kernel started by nbclient (as JupyterLab starts one): the
course's thread policy comes only from `import course_utils` in the notebook's setup cell.
Thread variables that would hide the problem (COURSE_THREADS, OMP_NUM_THREADS,
MKL_NUM_THREADS) are removed from the kernel's environment. The busy core is a child
process running `while True: pass`. Prints seconds quiet and busy, their ratio (the goal:
at most 1.5), and the slowest cell of each run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).with_name("bench.py")
HIDING_VARIABLES = ("COURSE_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
RATIO_GOAL = 1.5


def plain_environment() -> dict:
    return {k: v for k, v in os.environ.items() if k not in HIDING_VARIABLES}


def execute(path: Path) -> dict:
    """Run one notebook in a fresh kernel (through bench.py --one); returns its timings."""
    proc = subprocess.run([sys.executable, str(BENCH), "--one", str(path)], capture_output=True, text=True,
                          env=plain_environment(), cwd=ROOT)
    if proc.returncode != 0:
        return {"failed": proc.stderr[-1500:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


class BusyCore:
    """A child process that keeps one core at 100% while the block runs."""

    def __enter__(self):
        self.process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        time.sleep(0.5)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="notebook number prefixes, e.g. 02 06")
    args = parser.parse_args()
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if args.prefixes:
        notebooks = [p for p in notebooks if p.name.startswith(tuple(args.prefixes))]
    print(f"\nquiet vs one core busy: {os.cpu_count()} cores, plain kernels, load average before: {load_average()}")
    print(f"{'notebook':<40s} {'quiet s':>8s} {'busy s':>8s} {'ratio':>6s}  {'<= ' + str(RATIO_GOAL):<7s} "
          f"{'slowest cell quiet':>20s} {'slowest cell busy':>20s}")
    all_ran = True
    for path in notebooks:
        quiet = execute(path)
        with BusyCore():
            busy = execute(path)
        if "failed" in quiet or "failed" in busy:
            all_ran = False
            print(f"{path.name:<40s} FAILED\n{quiet.get('failed') or busy.get('failed')}")
            continue
        ratio = busy["seconds"] / quiet["seconds"]
        ok = ratio <= RATIO_GOAL
        cq, cb = quiet["slowest_cell"], busy["slowest_cell"]
        print(f"{path.name:<40s} {quiet['seconds']:8.1f} {busy['seconds']:8.1f} {ratio:6.2f}  {'yes' if ok else 'NO':<7s} "
              f"{cq['seconds']:8.1f} s {cq['id'] or '-':<9s} {cb['seconds']:8.1f} s {cb['id'] or '-':<9s}")
    print(f"load average after: {load_average()} (on a shared machine the ratio is noisy: rerun on a quiet one)")
    return 0 if all_ran else 1


if __name__ == "__main__":
    sys.exit(main())
