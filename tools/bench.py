"""Benchmark: execute every notebook headlessly and print a table of seconds and peak memory.

    make bench                      # every notebook
    python tools/bench.py 01 03     # only notebooks whose names start with these numbers

Each notebook runs in its own child process with a fresh kernel, so the kernel's peak
resident memory can be read from getrusage(RUSAGE_CHILDREN) once it has exited. The
executed copies (with outputs) land in build/executed/, which git ignores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "build" / "executed"
BUDGET_S = 60.0
CELL_BUDGET_S = 30.0   # no single cell may take longer on a quiet machine


def run_one(path: Path) -> dict:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    try:
        client.execute()
    finally:  # a failed run is kept too, with its traceback, for debugging
        nbformat.write(nb, OUT_DIR / path.name)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux, bytes on macOS
    peak_mib = peak / 1024 / (1024 if sys.platform == "darwin" else 1)
    cells = cell_seconds(nb)
    slowest = max(cells, key=lambda c: c["seconds"], default={"seconds": 0.0, "index": None, "id": None, "first_line": ""})
    return {"notebook": path.name, "seconds": seconds, "peak_mib": peak_mib, "cells": cells, "slowest_cell": slowest}


def cell_seconds(nb) -> list[dict]:
    """Seconds per code cell, from the timestamps nbclient records in each cell's metadata
    (kernel busy on the cell until its execute_reply)."""
    from datetime import datetime

    rows = []
    for index, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        begin, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if cell.cell_type != "code" or not (begin and end):
            continue
        seconds = (datetime.fromisoformat(end.replace("Z", "+00:00")) - datetime.fromisoformat(begin.replace("Z", "+00:00"))).total_seconds()
        first = next((line for line in cell.source.splitlines() if line.strip()), "")[:60]
        rows.append({"index": index, "id": cell.get("id"), "seconds": seconds, "first_line": first})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="notebook number prefixes, e.g. 01 05")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.one))))
        return 0
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if args.prefixes:
        notebooks = [p for p in notebooks if p.name.startswith(tuple(args.prefixes))]
    if not notebooks:
        print("no notebooks matched", args.prefixes)
        return 1
    import torch

    device = "cuda: " + torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu only"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, torch {torch.__version__}, {device}")
    print(f"{'notebook':<40s} {'seconds':>8s} {'peak MiB':>9s}  within {BUDGET_S:.0f} s  slowest cell (s, id; each must stay <= {CELL_BUDGET_S:.0f} s)")
    failed = False
    for path in notebooks:
        proc = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True)
        if proc.returncode != 0:
            failed = True
            print(f"{path.name:<40s} {'FAILED':>8s}\n{proc.stderr[-2000:]}")
            continue
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        ok = "yes" if row["seconds"] < BUDGET_S else "NO"
        cell = row["slowest_cell"]
        flag = "" if cell["seconds"] <= CELL_BUDGET_S else "  OVER"
        print(f"{row['notebook']:<40s} {row['seconds']:8.1f} {row['peak_mib']:9.0f}  {ok:<13s} {cell['seconds']:6.1f}  {cell['id']}{flag}")
    print(f"executed copies: {OUT_DIR.relative_to(ROOT)}/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
