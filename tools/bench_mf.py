"""Benchmark for notebook 05: the course's ALS and gradient descent against LensKit and Surprise.

    make bench                               # runs this with no options (about 10 minutes on a quiet 2-core laptop)
    python tools/bench_mf.py --quick         # 100k synthetic ratings only, K = 10: a smoke run
    python tools/bench_mf.py --full          # also K = 100 on 1M ratings and Surprise on 1M ratings
    python tools/bench_mf.py --large         # also the 10M-rating run (MovieLens-10M size)
    python tools/bench_mf.py --defaults      # also the validation grid behind ALS's default hyperparameters
    python tools/bench_mf.py --movielens DIR # real MovieLens (default: $MOVIELENS_DIR or ../shared/data/ml-latest-small)

Prints, in order:
1. One table: method, backend, K, data, sweeps (or epochs), seconds, peak memory, test RMSE,
   for the course's ALS (its defaults, float32, torch), gradient descent, biases only, and the
   peer rows (LensKit's biased ALS, Surprise's SVD and BaselineOnly) on the same data and split. Peers say
   "not installed" without the optional extra: pip install -e ".[peers]".
   Every configuration runs ``--repeats`` times, interleaved with the others, and the median
   time is shown; seconds are wall-clock for training from the Ratings (set-up included).
   Peak memory is the growth of the process's peak resident memory during the fit (Linux).
2. Plain vs weighted lambda on the same splits, each with lambda chosen on a validation split.
3. Quiet vs busy: the torch backend and gradient descent, alone and while another process
   keeps one core busy; the course's thread policy (one torch thread) keeps the ratio small.
4. The cost model: time per sweep over a grid of data sizes and K, fitted exponents.

Threads: the course's policy (``course_utils.threads``; one torch thread and one BLAS thread)
unless ``--threads`` says otherwise; LensKit gets the same number (``--peer-threads`` to change).
GPU rows (CUDA: timed after a warm-up, with synchronisation) run when a CUDA device exists.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

from course_utils.als import ALS, DEFAULTS, als_sweep_loops, fit_biases, init_model, ratings_by_key, rmse
from course_utils.cost_model import fit_power_law, measure_sweep_times
from course_utils.mf_torch import DotProductBias, default_y_range, fit_gd, rmse_torch
from course_utils.movielens import MovieLensNotFound, load_movielens
from course_utils.ratings import split_ratings, synthetic_ratings
from course_utils.threads import apply_thread_policy

ROOT = Path(__file__).resolve().parents[1]
SHARED_MOVIELENS = ROOT.parent / "shared" / "data" / "ml-latest-small"
# Gradient descent (DotProductBias, K = 10, AdamW): ALS's plain penalty lam = 5, lam_bias = 3 divided by
# the number of ratings (fit_gd's lam). On 1M ratings, validation RMSE (10 % of the training ratings) by
# epoch: batch 8,192 / lr 0.01: .870 .750 .730 .725 .724 .725; batch 16,384 / lr 0.02: .886 .742 .728 .727;
# batch 32,768 / lr 0.04: .878 .750 .729 .729: the cheapest within 0.5 % of the best is 16,384 for 3 epochs.
GD_SETTINGS = {"default": dict(batch_size=1024, epochs=10, lr=1e-2, lam=5.0, lam_bias=3.0),          # notebook 05's
               "1M synthetic": dict(batch_size=16384, epochs=3, lr=2e-2, lam=5.0, lam_bias=3.0)}


# ----------------------------------------------------------------------------- measuring
def _rss_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _release_free_memory():
    """Hand memory that is freed but still held by the C allocator back to the system (glibc), so
    the resident size before a fit counts live data only."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


@contextlib.contextmanager
def peak_memory():
    """Growth of this process's peak resident memory inside the block, in MiB (Linux: freed
    memory is first returned to the system, then the kernel's high-water mark is reset through
    /proc/self/clear_refs); None elsewhere."""
    result = {"mib": None}
    import gc

    gc.collect()
    _release_free_memory()
    before = _rss_kib("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        resettable = before is not None
    except OSError:
        resettable = False
    yield result
    if resettable:
        result["mib"] = max(0, _rss_kib("VmHWM") - before) / 1024


@contextlib.contextmanager
def busy_core():
    """Another process that keeps one core busy (a Python spin loop) for the block's duration."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)                                   # let it get scheduled
        yield spinner.pid
    finally:
        spinner.terminate()
        spinner.wait()


def timed(fn):
    """Run ``fn()`` (which returns a test RMSE) and return (wall seconds, CPU seconds of this
    process's threads, peak MiB, RMSE). On a loaded machine CPU seconds compare better."""
    with peak_memory() as mem:
        start, cpu_start = time.perf_counter(), time.process_time()
        score = fn()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return seconds, cpu, mem["mib"], score


# ----------------------------------------------------------------------------- the contenders
def als_label(train, k, backend="numpy", **options):
    """What ALS(train, k, **options) will run: backend, solver and dtype after "auto"."""
    model = ALS(train, k, backend=backend, **{o: v for o, v in options.items() if o in ("solver", "dtype", "device")})
    return f"{backend if backend == 'numpy' else 'torch ' + model.device.type} {model.solver} {model.dtype.replace('float', 'f')}"


PLAIN_GRID, WEIGHTED_GRID = (5.0, 10.0, 20.0), (0.05, 0.1, 0.15)


def validated_lambda(train, k):
    """lam for plain and for weighted regularization, each chosen on a 10 % validation split of
    ``train``; returns {kind: (lam, validation RMSE)}."""
    fit_part, valid = split_ratings(train, 0.1, seed=1)
    chosen = {}
    for kind, grid in (("plain", PLAIN_GRID), ("weighted", WEIGHTED_GRID)):
        scores = {lam: rmse(ALS(fit_part, k, lam, weighted=kind == "weighted", lam_bias=DEFAULTS["lam_bias"]).fit()[0], valid)
                  for lam in grid}
        best = min(scores, key=scores.get)
        chosen[kind] = (best, scores[best])
    return chosen


def course_als(train, test, k, **options):
    def run():
        model, _ = ALS(train, k, **options).fit()
        return rmse(model, test)
    return run


def course_gd(train, test, k, settings, device="cpu"):
    def run():
        torch.manual_seed(0)
        model = DotProductBias(train.n_users, train.n_items, k, default_y_range(train.scale))
        fit_gd(model, train, device=device, progress=False, **settings)
        return rmse_torch(model, test, device)
    return run


def lenskit_als(train, test, k, epochs=10):
    """LensKit's BiasedMFScorer with its defaults (weighted regularization 0.1, damping 5)."""
    import pandas as pd
    from lenskit.als import BiasedMFScorer
    from lenskit.data import from_interactions_df
    from lenskit.training import TrainingOptions

    dataset = from_interactions_df(pd.DataFrame({"user_id": train.users, "item_id": train.items, "rating": train.ratings}))

    def run():
        scorer = BiasedMFScorer(embedding_size=k, epochs=epochs)
        scorer.train(dataset, TrainingOptions(rng=0))
        users = scorer.users.numbers(test.users, missing="negative")
        items = scorer.items.numbers(test.items, missing="negative")
        bias = scorer.bias
        pred = np.full(len(test), bias.global_bias, dtype=np.float64)
        known_u, known_i = users >= 0, items >= 0
        pred[known_i] += bias.item_biases[items[known_i]]
        pred[known_u] += bias.user_biases[users[known_u]]
        both = known_u & known_i
        pred[both] += np.einsum("nk,nk->n", scorer.user_embeddings[users[both]], scorer.item_embeddings[items[both]])
        return float(np.sqrt(np.mean((np.clip(pred, *test.scale) - test.ratings) ** 2)))
    return run


def surprise_model(train, test, k=None):
    """Surprise's SVD (biased MF by SGD, 20 epochs) with n_factors = k, or with k=None its
    BaselineOnly (global mean + user and item biases by ALS, Surprise's defaults)."""
    import pandas as pd
    import surprise

    reader = surprise.Reader(rating_scale=train.scale)
    frame = pd.DataFrame({"u": train.users, "i": train.items, "r": train.ratings})

    def run():
        trainset = surprise.Dataset.load_from_df(frame, reader).build_full_trainset()
        algo = surprise.BaselineOnly(verbose=False) if k is None else surprise.SVD(n_factors=k, random_state=0)
        algo.fit(trainset)
        bu, bi = algo.compute_baselines() if k is None else (algo.bu, algo.bi)
        inner_u = np.array([trainset._raw2inner_id_users.get(u, -1) for u in test.users.tolist()])
        inner_i = np.array([trainset._raw2inner_id_items.get(i, -1) for i in test.items.tolist()])
        pred = np.full(len(test), trainset.global_mean)
        ku, ki = inner_u >= 0, inner_i >= 0
        pred[ku] += bu[inner_u[ku]]
        pred[ki] += bi[inner_i[ki]]
        both = ku & ki
        if k is not None:
            pred[both] += np.einsum("nk,nk->n", algo.pu[inner_u[both]], algo.qi[inner_i[both]])
        return float(np.sqrt(np.mean((np.clip(pred, *test.scale) - test.ratings) ** 2)))
    return run


def peers_available():
    found = {}
    for name, module in (("LensKit", "lenskit"), ("Surprise", "surprise")):
        try:
            found[name] = __import__(module).__version__
        except ImportError:
            found[name] = None
    return found


# ----------------------------------------------------------------------------- 1. the main table
def main_table(datasets, ks_for, repeats, peers, surprise_on, gd_on, devices, lambdas):
    rows = []
    for name, (train, test) in datasets.items():
        configs = [("biases only", "numpy", "-", "10 sweeps", lambda: rmse(fit_biases(train), test))]
        if surprise_on(name, None):
            configs.append((f"Surprise BaselineOnly {peers['Surprise']}", "cython", "-", "10 sweeps", surprise_model(train, test))
                           if peers["Surprise"] else ("Surprise BaselineOnly", "not installed", "-", "-", None))
        sweeps = f"{DEFAULTS['n_sweeps']} sweeps"
        for k in ks_for(name):
            configs.append(("ALS, defaults", als_label(train, k), k, sweeps, course_als(train, test, k)))
            if (name, k) in lambdas:
                kind, (lam, _) = min(lambdas[(name, k)].items(), key=lambda item: item[1][1])
                # in float32, as LensKit computes: the like-for-like row (float64 gives the same RMSE to 4 decimals)
                options = dict(lam=lam, weighted=kind == "weighted", lam_bias=DEFAULTS["lam_bias"], dtype="float32")
                configs.append((f"ALS, {kind} lam {lam:g} (valid.)", als_label(train, k, dtype="float32"), k, sweeps,
                                course_als(train, test, k, **options)))
            configs.append(("ALS, direct solves", als_label(train, k, solver="direct", dtype="float32"), k, sweeps,
                            course_als(train, test, k, solver="direct", dtype="float32")))
            for dev in devices:
                configs.append(("ALS, torch", als_label(train, k, backend="torch", device=dev), k, sweeps,
                                course_als(train, test, k, backend="torch", device=dev)))
            if peers["LensKit"]:
                configs.append((f"LensKit BiasedMF {peers['LensKit']}", "rust f32", k, "10 epochs", lenskit_als(train, test, k)))
            else:
                configs.append(("LensKit BiasedMF", "not installed", k, "-", None))
            if surprise_on(name, k):
                if peers["Surprise"]:
                    configs.append((f"Surprise SVD {peers['Surprise']}", "cython", k, "20 epochs", surprise_model(train, test, k)))
                else:
                    configs.append(("Surprise SVD", "not installed", k, "-", None))
        if gd_on(name):
            settings = GD_SETTINGS["1M synthetic"] if name.startswith(("1M", "10M")) else GD_SETTINGS["default"]
            for dev in devices:
                if dev == "cuda":
                    course_gd(train, test, 10, dict(settings, epochs=1), dev)()          # warm-up
                configs.append((f"gradient descent (bs {settings['batch_size']})", f"torch {dev}", 10,
                                f"{settings['epochs']} epochs", course_gd(train, test, 10, settings, dev)))
        results = {i: [] for i, c in enumerate(configs) if c[4] is not None}
        for config_index in results:                                                   # warm-up (imports, first touch)
            if configs[config_index][2] in ("-", 10):
                configs[config_index][4]()
                break
        for _ in range(repeats):                                                       # interleaved repeats
            for i in results:
                results[i].append(timed(configs[i][4]))
        for i, (method, backend, k, steps, fn) in enumerate(configs):
            if fn is None:
                rows.append((method, backend, k, name, steps, None, None, None, None))
                continue
            seconds = float(np.median([r[0] for r in results[i]]))
            cpu = float(np.median([r[1] for r in results[i]]))
            rows.append((method, backend, k, name, steps, seconds, results[i][0][2], results[i][0][3], cpu))
        print_main(rows[-len(configs):], header=(len(rows) == len(configs)))
    return rows


def print_main(rows, header=True):
    if header:
        print(f"\n{'method':<32s} {'backend':<20s} {'K':>4s} {'data':<16s} {'sweeps':>10s} {'seconds':>8s} {'cpu s':>7s} "
              f"{'peak MiB':>9s} {'test RMSE':>9s}")
    for method, backend, k, data, steps, seconds, memory, score, cpu in rows:
        sec = f"{seconds:.2f}" if seconds is not None else "-"
        cp = f"{cpu:.2f}" if cpu is not None else "-"
        mem = f"{memory:.0f}" if memory is not None else "-"
        sc = f"{score:.4f}" if score is not None else "-"
        print(f"{method:<32s} {backend:<20s} {str(k):>4s} {data:<16s} {steps:>10s} {sec:>8s} {cp:>7s} {mem:>9s} {sc:>9s}", flush=True)


def verdicts(rows):
    """Course ALS vs LensKit per (data, K): fastest course row and its RMSE against LensKit's."""
    print("\ncourse ALS vs LensKit (same data, split and threads; CPU seconds of this process, the fair measure on a shared "
          "machine): the fastest course row whose test RMSE is no worse than LensKit's (+1e-4), and the defaults row")
    data_order = list(dict.fromkeys(r[3] for r in rows))                              # as in the table, K ascending
    keys = sorted({(r[3], r[2]) for r in rows if r[0].startswith("LensKit") and r[5] is not None},
                  key=lambda dk: (data_order.index(dk[0]), dk[1]))
    for data, k in keys:
        lk = next(r for r in rows if r[3] == data and r[2] == k and r[0].startswith("LensKit"))
        ours = [r for r in rows if r[3] == data and r[2] == k and r[0].startswith("ALS") and r[7] <= lk[7] + 1e-4]
        if not ours:
            print(f"  {data:<16s} K={k:<4d} no course row reaches LensKit's RMSE {lk[7]:.4f}")
            continue
        best = min(ours, key=lambda r: r[8])
        default = next(r for r in rows if r[3] == data and r[2] == k and r[0] == "ALS, defaults")
        print(f"  {data:<16s} K={k:<4d} {best[0]} ({best[1]}) {best[8]:.2f} cpu s ({best[5]:.2f} wall), RMSE {best[7]:.4f} | "
              f"LensKit {lk[8]:.2f} cpu s ({lk[5]:.2f} wall), RMSE {lk[7]:.4f} -> {lk[8] / best[8]:.2f}x in CPU time, "
              f"{'faster' if best[8] <= lk[8] else 'SLOWER'}; defaults ({default[1]}) {lk[8] / default[8]:.2f}x, "
              f"RMSE {default[7]:.4f}")


# ----------------------------------------------------------------------------- 2. plain vs weighted
def plain_vs_weighted(datasets, lambdas):
    print(f"\nplain vs weighted lambda (ALS-WR) on the same splits: lambda chosen on a 10 % validation split of the training "
          f"ratings (plain from {PLAIN_GRID}, weighted from {WEIGHTED_GRID}), {DEFAULTS['n_sweeps']} sweeps, lam_bias {DEFAULTS['lam_bias']:g}")
    print(f"{'data':<16s} {'K':>4s} {'kind':<9s} {'lambda':>7s} {'valid RMSE':>11s} {'test RMSE':>10s}")
    for (name, k), chosen in lambdas.items():
        train, test = datasets[name]
        for kind, (lam, valid_score) in chosen.items():
            model, _ = ALS(train, k, lam, weighted=kind == "weighted", lam_bias=DEFAULTS["lam_bias"]).fit()
            print(f"{name:<16s} {k:>4d} {kind:<9s} {lam:>7g} {valid_score:>11.4f} {rmse(model, test):>10.4f}", flush=True)


# ----------------------------------------------------------------------------- 3. quiet vs busy
def quiet_vs_busy(datasets, repeats):
    print("\nquiet vs busy: each fit alone, then while another process keeps one core busy (a Python spin loop); "
          f"torch threads: {torch.get_num_threads()}; wall-clock seconds (CPU seconds of this process in brackets)")
    print(f"{'method':<28s} {'data':<16s} {'quiet s':>14s} {'busy s':>14s} {'busy/quiet':>10s}")
    cases = []
    for name in ("100k synthetic", "1M synthetic"):
        if name in datasets:
            train, test = datasets[name]
            cases.append(("ALS torch, K=10", name, course_als(train, test, 10, backend="torch")))
            cases.append(("ALS torch, K=50", name, course_als(train, test, 50, backend="torch")))
            cases.append(("ALS numpy, K=50", name, course_als(train, test, 50)))
    if "1M synthetic" in datasets:
        train, test = datasets["1M synthetic"]
        cases.append(("gradient descent, K=10", "1M synthetic", course_gd(train, test, 10, GD_SETTINGS["1M synthetic"])))
    for method, name, fn in cases:
        quiet, busy = [], []
        fn()
        for _ in range(repeats):
            quiet.append(timed(fn)[:2])
            with busy_core():
                busy.append(timed(fn)[:2])
        (q, qc), (b, bc) = np.median(quiet, axis=0), np.median(busy, axis=0)
        print(f"{method:<28s} {name:<16s} {q:>6.2f} ({qc:>5.2f}) {b:>6.2f} ({bc:>5.2f}) {b / q:>10.2f}", flush=True)


# ----------------------------------------------------------------------------- 4. cost model
def cost_model(data, sizes, ks, repeats):
    print(f"\ncost model: seconds per sweep = c nnz^alpha K^beta, fitted over nnz in {sizes} and K in {ks} "
          f"(subsamples of {len(data):,} ratings; median of {repeats})")
    print(f"{'solver':<8s} {'alpha':>13s} {'beta':>13s} {'max gap':>8s}   counted work: {'direct nnz K^2 + (M+N) K^3':s}; cg nnz K steps")
    grids = {}
    for solver in ("direct", "cg"):
        grid = measure_sweep_times(data, sizes, ks, solver=solver, repeats=repeats)
        fit = fit_power_law(grid["nnz"], grid["k"], grid["seconds"])
        grids[solver] = grid
        print(f"{solver:<8s} {fit['alpha']:>6.2f} ± {fit['alpha_se']:.2f} {fit['beta']:>6.2f} ± {fit['beta_se']:.2f} "
              f"{100 * fit['max_rel_error']:>7.0f}%", flush=True)
    print(f"{'nnz':>9s} {'K':>4s} {'direct s':>9s} {'cg s':>8s} {'direct/cg':>9s}")
    for i in range(len(grids["direct"]["nnz"])):
        d, c = grids["direct"]["seconds"][i], grids["cg"]["seconds"][i]
        print(f"{grids['direct']['nnz'][i]:>9,.0f} {grids['direct']['k'][i]:>4.0f} {d:>9.4f} {c:>8.4f} {d / c:>9.2f}")


# ----------------------------------------------------------------------------- the defaults' validation
def defaults_grid(datasets, k_values):
    print("\nvalidation behind ALS's defaults: validation RMSE (10 % of the training ratings) after 5, 10, 15, 20 sweeps")
    grid = [("plain", lam) for lam in (5.0, 10.0, 20.0)] + [("weighted", lam) for lam in (0.05, 0.08, 0.1, 0.12, 0.15)]
    for name, (train, _) in datasets.items():
        fit_part, valid = split_ratings(train, 0.1, seed=1)
        print(f"{name}: biases only {rmse(fit_biases(fit_part), valid):.4f}")
        for k in k_values:
            for kind, lam in grid:
                trace = []
                ALS(fit_part, k, lam, weighted=kind == "weighted", lam_bias=DEFAULTS["lam_bias"]).fit(
                    20, track=lambda step, m: trace.append(rmse(m, valid)) if step == "c+V" else None)
                print(f"  K={k:<4d} {kind:<9s} lam={lam:<5g} " + " ".join(f"{trace[i]:.4f}" for i in (4, 9, 14, 19)), flush=True)


# ----------------------------------------------------------------------------- main
def loop_speedup(train):
    start_model = init_model(train, 10, seed=0)
    by_user, by_item = ratings_by_key(train)
    t0 = time.perf_counter()
    als_sweep_loops(start_model.copy(), by_user, by_item, 5.0)
    loop_s = time.perf_counter() - t0
    vec_s = min(ALS(train, 10, 5.0).fit(5, model=start_model)[1]["seconds"] / 5 for _ in range(3))
    print(f"\nALS per sweep on 100k ratings, K = 10: loops {loop_s:.2f} s, vectorized {1e3 * vec_s:.1f} ms -> {loop_s / vec_s:.0f}x")


def find_movielens(path):
    for candidate in (path, os.environ.get("MOVIELENS_DIR"), SHARED_MOVIELENS):
        if candidate:
            try:
                return load_movielens(candidate)
            except MovieLensNotFound:
                continue
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k synthetic ratings only, K = 10")
    parser.add_argument("--full", action="store_true", help="also K = 100 on 1M ratings, and Surprise on 1M ratings")
    parser.add_argument("--large", action="store_true", help="also 10M synthetic ratings (MovieLens-10M size)")
    parser.add_argument("--defaults", action="store_true", help="also the validation grid behind ALS's defaults")
    parser.add_argument("--movielens", help="a MovieLens folder (default: $MOVIELENS_DIR, then ../shared/data/ml-latest-small)")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved repeats per configuration (median shown)")
    parser.add_argument("--threads", default=None, help="torch/BLAS threads (default: the course policy)")
    parser.add_argument("--peer-threads", type=int, default=None, help="LensKit's threads (default: the same)")
    parser.add_argument("--skip", default="", help="comma-separated sections to skip: main,lambda,busy,cost")
    args = parser.parse_args()
    threads = apply_thread_policy(args.threads)
    peers = peers_available()
    if peers["LensKit"]:
        import lenskit.parallel

        lenskit.parallel.initialize(threads=args.peer_threads or threads, backend_threads=1)
        apply_thread_policy(args.threads)                    # LensKit sets torch's threads too: restore ours
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"python {platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}; "
          f"{os.cpu_count()} CPUs, threads: course {threads}, LensKit {args.peer_threads or threads}; "
          f"load average at start {', '.join(f'{x:.1f}' for x in load) if load else 'n/a'}")
    print("peers: " + ", ".join(f"{k} {v or 'not installed (pip install -e .[peers])'}" for k, v in peers.items()))
    print("GPU rows: " + (f"CUDA {torch.cuda.get_device_name(0)}" if "cuda" in devices else "skipped: no CUDA device"))
    print(f"ALS defaults: {DEFAULTS}")
    skip = set(filter(None, args.skip.split(",")))

    datasets = {}
    small = synthetic_ratings(seed=0)
    datasets["100k synthetic"] = split_ratings(small.data, 0.2, seed=0)
    if not args.quick:
        big = synthetic_ratings(n_users=6040, n_items=3706, n_ratings=1_000_000, seed=0)
        datasets["1M synthetic"] = split_ratings(big.data, 0.2, seed=0)
        real = find_movielens(args.movielens)
        if real is not None:
            datasets["ml-latest-small"] = split_ratings(real, 0.2, seed=0)
        else:
            print("real data: skipped: no MovieLens folder found (--movielens DIR or $MOVIELENS_DIR)")

    ks_for = (lambda name: (10,)) if args.quick else (lambda name: (10, 50, 100) if (name != "1M synthetic" or args.full) else (10, 50))
    surprise_on = lambda name, k: name != "1M synthetic" or args.full
    gd_on = lambda name: True
    lambdas = {}
    if not skip >= {"main", "lambda"}:
        for name in datasets:
            for k in ks_for(name):
                lambdas[(name, k)] = validated_lambda(datasets[name][0], k)
    if "main" not in skip:
        rows = main_table(datasets, ks_for, args.repeats, peers, surprise_on, gd_on, devices, lambdas)
        if peers["LensKit"]:
            verdicts(rows)
        gd = [r for r in rows if r[3] == "1M synthetic" and r[0].startswith("gradient") and r[1] == "torch cpu"]
        als = [r for r in rows if r[3] == "1M synthetic" and r[0] == "ALS, defaults" and r[2] == 10]
        if gd and als:
            print(f"gradient descent on 1M ratings: {gd[0][5]:.2f} s (target < 5 s), test RMSE {gd[0][7]:.4f} = "
                  f"{100 * (gd[0][7] / als[0][7] - 1):+.1f} % vs ALS defaults at K = 10 ({als[0][7]:.4f}; target within 2 %)")
        loop_speedup(datasets["100k synthetic"][0])
    if "lambda" not in skip:
        plain_vs_weighted(datasets, lambdas)
    if "busy" not in skip:
        quiet_vs_busy(datasets, args.repeats)
    if "cost" not in skip:
        source = datasets.get("1M synthetic", datasets["100k synthetic"])[0]
        sizes = (100_000, 200_000, 400_000, 800_000) if len(source) >= 800_000 else (20_000, 40_000, 80_000)
        cost_model(source, sizes, (8, 16, 32, 64), args.repeats)
    if args.defaults:
        defaults_grid({n: d for n, d in datasets.items()}, (10, 50, 100))
    if args.large:
        start = time.perf_counter()
        huge = synthetic_ratings(n_users=69_878, n_items=10_677, n_ratings=10_000_000, seed=0)
        train, test = split_ratings(huge.data, 0.2, seed=0)
        print(f"\n10M synthetic ratings (69,878 users, 10,677 items) generated and split in {time.perf_counter() - start:.0f} s")
        big_rows = []
        for k in (10, 50):
            variants = [("ALS, defaults", {})] + ([("ALS, direct solves", dict(dtype="float32"))] if k < 20 else [])
            for method, options in variants:
                seconds, cpu, memory, score = timed(course_als(train, test, k, **options))
                big_rows.append((method, als_label(train, k, **options), k, "10M synthetic", f"{DEFAULTS['n_sweeps']} sweeps",
                                 seconds, memory, score, cpu))
                print_main(big_rows[-1:], header=len(big_rows) == 1)
            if peers["LensKit"]:
                seconds, cpu, memory, score = timed(lenskit_als(train, test, k))
                big_rows.append((f"LensKit BiasedMF {peers['LensKit']}", "rust f32", k, "10M synthetic", "10 epochs",
                                 seconds, memory, score, cpu))
                print_main(big_rows[-1:], header=False)


if __name__ == "__main__":
    main()
