"""Benchmark for notebook 08: the course's ALS against Spark's ALS (local mode) on growing data.

    python tools/bench_spark.py                          # 100k, 300k, 1M, 3M and 10M ratings
    python tools/bench_spark.py --max-ratings 1000000    # stop at 1M
    python tools/bench_spark.py --quick                  # 100k and 300k only

Both engines fit the same objective (weighted lambda, no biases, K = 10) on the synthetic
sets of ``course_utils.scaling.synthetic_at_scale``. For each size: the seconds to generate
the data, to hand it to Spark (a CSV file Spark reads), and for each engine the fixed cost
per fit and the cost per sweep, from fits of 1 and 3 sweeps (median of ``--repeats`` runs).
Then a straight line per engine through the per-sweep times, where the lines cross, and
Spark's start-up. Needs the optional extra: pip install -e ".[scale]" and Java 17+;
without them it prints one line and exits 0. The course's ALS runs in one process (NumPy,
one core); Spark in local[--cores].
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from course_utils.scaling import fit_line, line_crossing, synthetic_at_scale, time_fits
from course_utils.spark import als_like_spark, local_spark_session, ratings_frame, spark_environment

K, REG_PARAM = 10, 0.1
SIZES = (100_000, 300_000, 1_000_000, 3_000_000, 10_000_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-ratings", type=int, default=SIZES[-1], help="largest data set (default 10M)")
    parser.add_argument("--quick", action="store_true", help="100k and 300k only")
    parser.add_argument("--repeats", type=int, default=3, help="runs per fit length (median)")
    parser.add_argument("--cores", type=int, default=2, help="Spark's local[N]")
    parser.add_argument("--jit", choices=("quick", "full"), default="full", help="Java compiler for Spark (see local_spark_session)")
    args = parser.parse_args()

    env = spark_environment()
    if not env["ready"]:
        print(f"bench_spark: skipped: {env['reason']}")
        return
    sizes = [n for n in SIZES if n <= (300_000 if args.quick else args.max_ratings)]
    print(f"\nALS on one machine vs Spark local[{args.cores}] (PySpark {env['pyspark']}, Java {env['java']}, JIT {args.jit}); "
          f"K = {K}, weighted lambda {REG_PARAM}, no biases; fits of 1 and 3 sweeps, median of {args.repeats}; "
          f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    memory = "6g" if sizes[-1] > 3_000_000 else "3g" if sizes[-1] > 1_000_000 else "1g"
    spark, startup = local_spark_session(cores=args.cores, driver_memory=memory, jit=args.jit, app_name="bench-spark")
    from pyspark.ml.recommendation import ALS as SparkALS

    settings = dict(rank=K, regParam=REG_PARAM, numUserBlocks=args.cores, numItemBlocks=args.cores, seed=0)
    print(f"Spark start-up: {startup:.1f} s (driver memory {memory})")
    start = time.perf_counter()                      # warm-up, untimed: Java compiles Spark's hot code on first use
    warm = synthetic_at_scale(sizes[0], seed=2).data
    warm_frame = ratings_frame(spark, warm.users, warm.items, warm.ratings, name="bench-warm-up")
    SparkALS(maxIter=3, **settings).fit(warm_frame)
    warm_frame.unpersist()
    als_like_spark(warm, K, REG_PARAM, 3, seed=0)
    print(f"warm-up (first CSV read, first fits): {time.perf_counter() - start:.1f} s")
    header = (f"{'ratings':>11s} {'users':>7s} {'items':>6s} {'generate':>9s} {'to Spark':>9s} | {'course fit':>10s} {'sweep':>8s} | "
              f"{'Spark fit':>9s} {'sweep':>8s} | {'Spark/course sweep':>18s}")
    print(header)
    rows = []
    try:
        for n in sizes:
            start = time.perf_counter()
            data = synthetic_at_scale(n, seed=1).data
            generate = time.perf_counter() - start
            course = time_fits(lambda s: als_like_spark(data, K, REG_PARAM, s, seed=0), sweeps=(1, 3),
                               repeats=args.repeats)
            start = time.perf_counter()
            frame = ratings_frame(spark, data.users, data.items, data.ratings, name="bench")
            transfer = time.perf_counter() - start
            spark_costs = time_fits(lambda s: SparkALS(maxIter=s, **settings).fit(frame), sweeps=(1, 3), repeats=args.repeats)
            frame.unpersist()
            rows.append((n, course, spark_costs))
            print(f"{n:11,d} {data.n_users:7,d} {data.n_items:6,d} {generate:8.1f}s {transfer:8.1f}s | {course['per_fit']:9.3f}s "
                  f"{course['per_sweep']:7.3f}s | {spark_costs['per_fit']:8.2f}s {spark_costs['per_sweep']:7.2f}s | "
                  f"{spark_costs['per_sweep'] / course['per_sweep']:18.1f}", flush=True)
            del data
    finally:
        spark.stop()
    if any(r[i]["per_sweep"] <= 0 for r in rows for i in (1, 2)):
        print("warning: a per-sweep time came out <= 0: the machine was too busy for these timings; rerun on a quiet machine")
    if len(rows) >= 2:
        nnz = np.array([r[0] for r in rows], dtype=float)
        lines = {name: fit_line(nnz, [r[i]["per_sweep"] for r in rows]) for i, name in ((1, "course"), (2, "Spark"))}
        for name, (a, b) in lines.items():
            measured = np.array([r[1 if name == "course" else 2]["per_sweep"] for r in rows])
            misfit = f" (worst misfit of the line {np.max(np.abs((a + b * nnz) / measured - 1)):.0%})" if len(rows) > 2 else ""
            print(f"{name:>6s}: seconds per sweep = {a:.3f} + {b * 1e6:.3f} per million ratings{misfit}")
        crossing = line_crossing(lines["course"], lines["Spark"]) if lines["Spark"][1] < lines["course"][1] else None
        print(f"Spark overtakes the course's ALS beyond {crossing:,.0f} ratings" if crossing else
              f"the lines do not cross: Spark's cost per rating is {lines['Spark'][1] / lines['course'][1]:.1f}x the course's on this machine")


if __name__ == "__main__":
    main()
