"""Benchmark: load a generated million-line MovieLens ``ratings.csv``; print seconds and peak memory.

    make bench                                  # part of the full benchmark
    python tools/bench_loader.py                # this table only
    python tools/bench_loader.py --lines 200000 --repeats 5

The file is written once, in the real ml-latest format (userId,movieId,rating,timestamp with
half stars, plus a movies.csv with quoted titles), into the git-ignored build/ folder.
Each row runs in a fresh child process, so its peak resident memory (getrusage, minus the
peak after imports) belongs to that row alone; the table shows medians over the repeats.

Rows: the course loader (``load_movielens``, every line checked), the loader as it was
before issue 14 (untyped ``read_csv`` then ``numpy.unique``), and parser alternatives on
their own (no checks, no id mapping): pandas' C engine untyped, typed, typed with only three
columns, and pandas' pyarrow engine when pyarrow happens to be installed (the course does
not depend on it).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "bench-loader"


def generate(folder: Path, n_lines: int) -> Path:
    """A ratings.csv of exactly n_lines unique (user, item) pairs, and its movies.csv."""
    import numpy as np

    marker = folder / f".complete-{n_lines}"
    if marker.is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    n_users, n_items = max(n_lines // 140, 10), max(n_lines // 50, 10)
    pairs = np.sort(rng.choice(n_users * n_items, size=n_lines, replace=False))
    users, items = pairs // n_items + 1, pairs % n_items + 1
    ratings = rng.integers(1, 11, n_lines) / 2
    stamps = rng.integers(828_000_000, 1_700_000_000, n_lines)
    with open(folder / "ratings.csv", "w", newline="\n") as fh:
        fh.write("userId,movieId,rating,timestamp\n")
        fh.writelines(f"{u},{i},{r:.1f},{t}\n" for u, i, r, t in zip(users.tolist(), items.tolist(), ratings.tolist(),
                                                                     stamps.tolist()))
    with open(folder / "movies.csv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("movieId,title,genres\n")
        fh.writelines(f'{m},"Movie, The {m} ({1950 + m % 70})",{"Comedy|Drama" if m % 3 else "(no genres listed)"}\n'
                      for m in range(1, n_items + 1))
    marker.write_text("")
    return folder


# ------------------------------------------------------------------------------ the rows (run in a child)
def _course(folder: Path):
    from course_utils.movielens import load_movielens

    return len(load_movielens(folder))


def _before_issue_14(folder: Path):
    """The loader before issue 14: untyped read_csv, a NaN/dtype check per column, numpy.unique ids."""
    import numpy as np
    import pandas as pd

    ratings = pd.read_csv(folder / "ratings.csv").rename(columns={"userId": "user", "movieId": "item"})
    for col in ("user", "item", "rating"):
        if ratings[col].isna().any() or not pd.api.types.is_numeric_dtype(ratings[col]):
            raise ValueError(col)
    movies = pd.read_csv(folder / "movies.csv", encoding="utf-8")
    titles = dict(zip(movies["movieId"], movies["title"]))
    user_ids, users = np.unique(ratings["user"].to_numpy(), return_inverse=True)
    item_ids, items = np.unique(ratings["item"].to_numpy(), return_inverse=True)
    values = ratings["rating"].to_numpy(dtype=float)
    _ = [titles.get(m, "") for m in item_ids]
    return int(values.size)


DTYPES = {"userId": "int64", "movieId": "int64", "rating": "float64", "timestamp": "int64"}


def _c_untyped(folder: Path):
    import pandas as pd

    return len(pd.read_csv(folder / "ratings.csv"))


def _c_typed(folder: Path):
    import pandas as pd

    return len(pd.read_csv(folder / "ratings.csv", dtype=DTYPES, engine="c"))


def _c_typed_three(folder: Path):
    import pandas as pd

    return len(pd.read_csv(folder / "ratings.csv", dtype=DTYPES, engine="c", usecols=["userId", "movieId", "rating"]))


def _pyarrow(folder: Path):
    import pandas as pd

    return len(pd.read_csv(folder / "ratings.csv", dtype=DTYPES, engine="pyarrow"))


ROWS = {
    "course loader (load_movielens)": (_course, "every line checked; typed C parser in chunks, ids hashed"),
    "before issue 14": (_before_issue_14, "untyped read_csv, numpy.unique ids"),
    "parse only: C engine, untyped": (_c_untyped, "no checks, no id mapping"),
    "parse only: C engine, typed": (_c_typed, "no checks, no id mapping"),
    "parse only: C engine, typed, 3 columns": (_c_typed_three, "misses a missing/extra last field"),
    "parse only: pyarrow engine, typed": (_pyarrow, "needs pyarrow (not a course dependency)"),
}


def _peak_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def child(row: str, folder: Path) -> dict:
    import numpy  # noqa: F401  (imports are not part of the measurement)
    import pandas  # noqa: F401

    import course_utils.movielens  # noqa: F401

    if row.startswith("parse only: pyarrow"):
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            return {"skipped": "pyarrow is not installed"}
    base = _peak_mib()
    start = time.perf_counter()
    n = ROWS[row][0](folder)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mib": _peak_mib() - base, "rows": n}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="ratings in the generated file (default 1,000,000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per row; the table shows medians")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0
    folder = generate(OUT / f"ml-bench-{args.lines}", args.lines)
    size = (folder / "ratings.csv").stat().st_size / 2**20
    print(f"Loading a generated ratings.csv: {args.lines:,} lines, {size:.1f} MiB (medians of {args.repeats} runs, "
          "each in a fresh process; peak = resident memory added by the load)")
    print(f"{'variant':<40s} {'seconds':>8s} {'peak MiB':>9s}  note")
    failed = False
    for row, (_, note) in ROWS.items():
        runs = []
        for _ in range(args.repeats):
            done = subprocess.run([sys.executable, __file__, "--child", row, str(folder)], capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{row:<40s} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
                failed = True
                break
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        if not runs:
            continue
        if "skipped" in runs[0]:
            print(f"{row:<40s} {'-':>8s} {'-':>9s}  skipped: {runs[0]['skipped']}")
            continue
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = statistics.median(r["peak_mib"] for r in runs)
        print(f"{row:<40s} {seconds:8.2f} {peak:9.0f}  {note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
