"""Benchmark: how fast each playground answers in real JupyterLab in Chromium.

    python tools/bench_browser.py          (also part of `make bench`)
    python tools/bench_browser.py 06       only notebooks whose names start with 06

Runs the browser suite (tests/browser/) with more key presses per playground
(COURSE_LATENCY_PRESSES, default here 10) and prints, per playground, the median and worst
time from the key press (or click) to the new figure having loaded in the page: the whole
round trip a learner feels (browser -> kernel -> matplotlib -> PNG -> browser). For the
Training playground: the first visible response to Train, and the first epoch drawn.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "build" / "browser" / "latency.json"
TARGET_MS = {"Train: first response": 1000, "Train: first epoch drawn": 1000}
DEFAULT_TARGET_MS = 100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="notebook number prefixes, e.g. 06")
    parser.add_argument("--presses", type=int, default=10, help="slider key presses per playground")
    args = parser.parse_args()
    RESULTS.unlink(missing_ok=True)
    env = {**os.environ, "COURSE_LATENCY_PRESSES": str(args.presses), "COURSE_TRAIN_PRESSES": "3"}
    command = [sys.executable, "-m", "pytest", "tests/browser/test_notebooks_in_lab.py", "-n", "0", "-p", "no:randomly", "-q",
               "-k", "test_notebook_runs"]
    if args.prefixes:
        command[-1] += " and (" + " or ".join(f"chromium-{p}" for p in args.prefixes) + ")"
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    summary = [line for line in proc.stdout.splitlines() if line.strip()][-1:] or ["(no output)"]
    if not RESULTS.is_file():
        print(f"\nin-browser latency: not measured ({summary[0]})")
        if "skipped" not in summary[0]:
            print(proc.stdout[-3000:])
        return 0 if "skipped" in summary[0] else 1
    rows = json.loads(RESULTS.read_text())
    print(f"\nin-browser latency, key press or click -> new figure loaded (Chromium, {args.presses} presses per slider)")
    print(f"{'notebook':<38s} {'playground':<24s} {'control':<26s} {'n':>3s} {'median ms':>9s} {'worst ms':>9s}  target")
    for row in rows:
        ms = [m for m in row["ms"] if m is not None]
        target = TARGET_MS.get(row["control"], DEFAULT_TARGET_MS)
        median, worst = statistics.median(ms), max(ms)
        print(f"{row['notebook'][:38]:<38s} {row['playground']:<24s} {row['control']:<26s} {len(ms):3d} {median:9.0f} {worst:9.0f}  "
              f"median <= {target} ms {'yes' if median <= target else 'NO'}")
    print(f"browser suite: {summary[0]}; screenshots in build/screenshots/")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
