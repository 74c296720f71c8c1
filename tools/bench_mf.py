"""Benchmark for notebook 05: ALS vs gradient descent, accuracy against time.

    python tools/bench_mf.py                       # synthetic ML-100k size and ~1M ratings
    python tools/bench_mf.py --movielens PATH      # also a real MovieLens folder (or set MOVIELENS_DIR)
    python tools/bench_mf.py --quick               # ML-100k size only

Prints one table per data set: method, device, steps, seconds, train RMSE, test RMSE, and
the loop-vs-vectorized ALS speed-up per sweep. GPU rows run when CUDA is available
(timed after a warm-up, with torch.cuda.synchronize). Surprise rows run if it is installed.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch

from course_utils.als import ALS, als_sweep_loops, fit_biases, init_model, ratings_by_key, rmse
from course_utils.mf_torch import DotProductBias, default_y_range, fit_gd, rmse_torch
from course_utils.movielens import load_movielens
from course_utils.ratings import split_ratings, synthetic_ratings

K = 10


def table(title, rows):
    print(f"\n{title}")
    print(f"{'method':<26s} {'device':>6s} {'steps':>10s} {'seconds':>8s} {'train RMSE':>11s} {'test RMSE':>10s}")
    for r in rows:
        sec = f"{r[3]:.3f}" if r[3] is not None else ""
        tr = f"{r[4]:.4f}" if r[4] is not None else ""
        print(f"{r[0]:<26s} {r[1]:>6s} {r[2]:>10s} {sec:>8s} {tr:>11s} {r[5]:>10.4f}")


def run(data, lam, lam_bias, gd_batch, gd_epochs, truth=None, loop_sweep=True):
    train, test = split_ratings(data, 0.2, seed=0)
    rows = []
    b = fit_biases(train, lam_bias)
    rows.append(("biases only", "cpu", "10 sweeps", None, rmse(b, train), rmse(b, test)))
    als = ALS(train, K, lam, lam_bias=lam_bias)
    als.fit(1)                                                      # warm caches
    best = min((als.fit(15) for _ in range(3)), key=lambda r: r[1]["seconds"])
    model, info = best
    rows.append(("ALS numpy (best of 3)", "cpu", "15 sweeps", info["seconds"], rmse(model, train), rmse(model, test)))
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    for dev in devices:
        t_als = ALS(train, K, lam, lam_bias=lam_bias, backend="torch", device=dev)
        t_als.fit(1)
        tm, ti = min((t_als.fit(15) for _ in range(3)), key=lambda r: r[1]["seconds"])
        rows.append(("ALS torch (best of 3)", dev, "15 sweeps", ti["seconds"], rmse(tm, train), rmse(tm, test)))
    for dev in devices:
        if dev == "cuda":
            fit_gd(DotProductBias(data.n_users, data.n_items, K, default_y_range(data.scale)), train, epochs=1, batch_size=gd_batch, device=dev)
        torch.manual_seed(0)
        gd = DotProductBias(data.n_users, data.n_items, K, default_y_range(data.scale))
        hist = fit_gd(gd, train, epochs=gd_epochs, batch_size=gd_batch, lr=1e-2, lam=lam, lam_bias=lam_bias, device=dev)
        rows.append((f"gradient descent (bs {gd_batch})", dev, f"{gd_epochs} epochs", hist["seconds"], rmse_torch(gd, train, dev), rmse_torch(gd, test, dev)))
    try:
        import surprise
    except ImportError:
        print("  (Surprise not installed: its SVD and BaselineOnly rows are skipped; pip install scikit-surprise to add them)")
    else:
        import pandas as pd

        reader = surprise.Reader(rating_scale=data.scale)
        frame = pd.DataFrame({"u": train.users, "i": train.items, "r": train.ratings})
        trainset = surprise.Dataset.load_from_df(frame, reader).build_full_trainset()
        for name, algo in (("Surprise BaselineOnly", surprise.BaselineOnly(verbose=False)), ("Surprise SVD", surprise.SVD(random_state=0))):
            start = time.perf_counter()
            algo.fit(trainset)
            seconds = time.perf_counter() - start
            pred = np.clip([algo.predict(u, i).est for u, i in zip(test.users, test.items)], *data.scale)
            rows.append((name, "cpu", "-", seconds, None, float(np.sqrt(np.mean((pred - test.ratings) ** 2)))))
    if truth is not None:
        planted = lambda d: float(np.sqrt(np.mean((truth.planted_scores(d.users, d.items) - d.ratings) ** 2)))
        rows.append(("planted model (truth)", "-", "-", None, planted(train), planted(test)))
    speedup = None
    if loop_sweep:
        start_model = init_model(train, K, seed=0)
        by_user, by_item = ratings_by_key(train)
        t0 = time.perf_counter()
        als_sweep_loops(start_model.copy(), by_user, by_item, lam)
        loop_s = time.perf_counter() - t0
        vec = ALS(train, K, lam)
        vec_s = min(vec.fit(5, model=start_model)[1]["seconds"] / 5 for _ in range(3))
        speedup = (loop_s, vec_s)
    return rows, speedup


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movielens", default=os.environ.get("MOVIELENS_DIR"), help="a MovieLens folder to add")
    parser.add_argument("--quick", action="store_true", help="only the ML-100k-sized synthetic set")
    args = parser.parse_args()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          + (f"CUDA: {torch.cuda.get_device_name(0)}" if torch.cuda.is_available() else "GPU rows: skipped: no CUDA device"))
    s = synthetic_ratings(seed=0)
    rows, (loop_s, vec_s) = run(s.data, lam=5.0, lam_bias=3.0, gd_batch=1024, gd_epochs=10, truth=s)
    table("synthetic, MovieLens-100k shape (943 users, 1,682 items, 100,000 ratings), K = 10", rows)
    print(f"ALS per sweep: loops {loop_s:.3f} s, vectorized {1e3 * vec_s:.2f} ms -> {loop_s / vec_s:.0f}x")
    als_row = next(r for r in rows if r[0].startswith("ALS numpy"))
    gd_row = next(r for r in rows if r[0].startswith("gradient descent") and r[1] == "cpu")
    print(f"targets: ALS 15 sweeps {als_row[3]:.3f} s (< 0.15 s); GD {gd_row[3]:.2f} s (< 3 s), "
          f"test RMSE {gd_row[5]:.4f} vs ALS {als_row[5]:.4f} ({100 * (gd_row[5] / als_row[5] - 1):+.1f} %, within +2 %)")
    if args.movielens:
        data = load_movielens(args.movielens)
        rows, sp = run(data, lam=15.0, lam_bias=3.0, gd_batch=1024, gd_epochs=10, loop_sweep=False)
        table(f"{data.source}: {len(data):,} ratings (peers on this split: Surprise SVD 0.897, SVD++ 0.883, "
              "LensKit ALS 0.877, fastai-style 0.874)", rows)
    if not args.quick:
        big = synthetic_ratings(n_users=6040, n_items=3706, n_ratings=1_000_000, seed=0)
        rows, _ = run(big.data, lam=5.0, lam_bias=3.0, gd_batch=8192, gd_epochs=10, truth=big, loop_sweep=False)
        table("synthetic, ~1M ratings (6,040 users, 3,706 items), K = 10", rows)


if __name__ == "__main__":
    main()
