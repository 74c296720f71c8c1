"""The fast ALS engine (course_utils.normal_equations) against the teaching versions."""

import os
from pathlib import Path

import numpy as np
import pytest

from course_utils import normal_equations as ne
from course_utils.als import ALS, als_sweep_loops, fit_biases, init_model, objective, ratings_by_key, rmse
from course_utils.ratings import Ratings, split_ratings, synthetic_ratings


@pytest.fixture(scope="module")
def small():
    s = synthetic_ratings(n_users=150, n_items=200, n_ratings=6000, min_per_user=10, seed=4)
    train, test = split_ratings(s.data, 0.2, seed=0)
    return train, test


def test_row_blocks_cover_every_rating_once_and_pad_with_the_sentinel():
    counts = np.array([0, 3, 1, 7, 2, 0, 12, 5])
    indptr = np.concatenate([[0], np.cumsum(counts)])
    layout = ne.row_blocks(indptr, k=2, block_elements=16, growth=1.5, overhead_elements=0)
    seen, rows_seen = [], []
    for rows, positions in layout.blocks:
        assert positions.shape[0] == len(rows)
        assert positions.size * 2 <= 16 or len(rows) == 1               # the block budget (one long row may exceed it)
        for row, pos in zip(rows, positions):
            real = pos[pos < layout.nnz]
            np.testing.assert_array_equal(real, np.arange(indptr[row], indptr[row + 1]))
            assert np.all(pos[len(real):] == layout.nnz)                # padding only at the end, at the sentinel
            seen.extend(real.tolist())
        rows_seen.extend(rows.tolist())
    assert sorted(seen) == list(range(indptr[-1]))
    assert sorted(rows_seen) == [1, 2, 3, 4, 6, 7]                      # rows without ratings are in no block
    assert 0 <= layout.padding < 1


@pytest.mark.parametrize("k", [1, 2, 7, 24])
@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-9), (np.float32, 2e-3)])
def test_column_cholesky_solves_like_numpys_solver(k, dtype, rtol):
    rng = np.random.default_rng(k)
    X = rng.normal(size=(300, k + 3, k))
    A = (X.transpose(0, 2, 1) @ X + 0.5 * np.eye(k)).astype(dtype)          # symmetric positive definite
    b = rng.normal(size=(300, k)).astype(dtype)
    ours = ne.cholesky_solve_columns(A.copy(), b.copy())
    theirs = np.linalg.solve(A.astype(np.float64), b.astype(np.float64)[:, :, None])[:, :, 0]
    assert ours.dtype == dtype and ours.shape == (300, k)
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol * np.abs(theirs).max())


def test_column_cholesky_falls_back_to_lu_when_a_system_is_not_positive_definite():
    A = np.stack([np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([[1.0, 2.0], [2.0, 1.0]])])   # the second is indefinite
    b = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(ne.cholesky_solve_columns(A, b), np.linalg.solve(A, b[:, :, None])[:, :, 0], rtol=1e-12)


@pytest.mark.parametrize("indefinite", [False, True])
def test_systems_of_several_blocks_solve_together_as_one_by_one(indefinite):
    rng = np.random.default_rng(3)
    systems = []
    for b in (4, 1, 7):
        X = rng.normal(size=(b, 9, 5))
        systems.append((X.transpose(0, 2, 1) @ X + np.eye(5), rng.normal(size=(b, 5))))
    if indefinite:                                                       # one system that Cholesky refuses: LU for all
        systems[1][0][0] = np.diag([1.0, -1.0, 2.0, 3.0, 4.0])
    expected = np.concatenate([np.linalg.solve(A, r[:, :, None])[:, :, 0] for A, r in systems])
    copies = [(A.copy(), r.copy()) for A, r in systems]
    np.testing.assert_allclose(ne.NumpyOps("float64").solve_spd_many(copies), expected, rtol=1e-10)
    for (A, r), (A0, r0) in zip(copies, systems):                        # the inputs are left as they were
        np.testing.assert_array_equal(A, A0)
        np.testing.assert_array_equal(r, r0)


@pytest.mark.parametrize("backend", ["numpy", "torch"])
@pytest.mark.parametrize("solve_path", ["column Cholesky", "LU", "one block per solve"])
def test_direct_solver_equals_the_loops_with_small_blocks(small, backend, solve_path, monkeypatch):
    train, _ = small
    start = init_model(train, 6, seed=1)
    loops = start.copy()
    by_user, by_item = ratings_by_key(train)
    for _ in range(2):
        als_sweep_loops(loops, by_user, by_item, 3.0)
    monkeypatch.setattr(ne, "BLOCK_ELEMENTS", 64)                       # many tiny blocks: same answer
    monkeypatch.setattr(ne, "TORCH_BLOCK_ELEMENTS", 64)
    if solve_path == "LU":
        monkeypatch.setattr(ne, "COLUMN_CHOLESKY_MAX_K", 0)              # NumPy's stacked LU solver instead
    elif solve_path == "one block per solve":
        monkeypatch.setattr(ne, "SOLVE_ELEMENTS", 1)                    # no systems collected across blocks
    fast, _ = ALS(train, 6, 3.0, backend=backend).fit(2, model=start)
    for name in ("user_factors", "item_factors", "user_bias", "item_bias"):
        np.testing.assert_allclose(getattr(fast, name), getattr(loops, name), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_cg_with_k_steps_is_the_direct_solve(small, backend):
    train, _ = small
    start = init_model(train, 5, seed=2)
    direct, _ = ALS(train, 5, 4.0, backend=backend).fit(3, model=start)
    cg, _ = ALS(train, 5, 4.0, backend=backend, solver="cg", cg_steps=12, dtype="float64").fit(3, model=start)
    np.testing.assert_allclose(cg.user_factors, direct.user_factors, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(cg.item_bias, direct.item_bias, rtol=1e-6, atol=1e-8)
    one_step, _ = ALS(train, 5, 4.0, backend=backend, solver="cg", cg_steps=1, dtype="float64").fit(3, model=start)
    assert np.abs(one_step.user_factors - direct.user_factors).max() > 1e-4   # the comparison can fail


@pytest.mark.parametrize("weighted", [False, True])
def test_cg_never_increases_the_objective(small, weighted):
    train, _ = small
    lam = 0.3 if weighted else 4.0
    values = []
    ALS(train, 8, lam, lam_bias=2.0, weighted=weighted, solver="cg", cg_steps=2).fit(
        6, track=lambda name, m: values.append(objective(m, train, lam, 2.0, weighted=weighted)))
    assert len(values) == 12
    assert all(b <= a * (1 + 1e-12) for a, b in zip(values, values[1:]))


def _weighted_sweep_reference(m, train, lam, lam_bias):
    """One weighted-lambda sweep written row by row: lam * n_i on each diagonal (Spark's rule)."""
    by_user, by_item = ratings_by_key(train)
    for own, other, own_bias, other_bias, rated_by in ((m.user_factors, m.item_factors, m.user_bias, m.item_bias, by_user),
                                                       (m.item_factors, m.user_factors, m.item_bias, m.user_bias, by_item)):
        k = own.shape[1]
        for i, rated in rated_by.items():
            cols = np.array([j for j, _ in rated])
            w = np.array([r for _, r in rated]) - m.mu - other_bias[cols]
            X = other[cols]
            own_bias[i] = (w.sum() - X.sum(0) @ own[i]) / (len(cols) + lam_bias)
            own[i] = np.linalg.solve(X.T @ X + lam * len(cols) * np.eye(k), X.T @ (w - own_bias[i]))
    return m


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_weighted_lambda_scales_each_rows_penalty_by_its_count(small, backend):
    train, _ = small
    start = init_model(train, 4, seed=3)
    reference = _weighted_sweep_reference(start.copy(), train, 0.2, 1.5)
    fast, _ = ALS(train, 4, 0.2, lam_bias=1.5, weighted=True, backend=backend).fit(1, model=start)
    np.testing.assert_allclose(fast.user_factors, reference.user_factors, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(fast.item_factors, reference.item_factors, rtol=1e-8, atol=1e-10)
    plain, _ = ALS(train, 4, 0.2, lam_bias=1.5, backend=backend).fit(1, model=start)
    assert np.abs(plain.item_factors - reference.item_factors).max() > 1e-3


@pytest.mark.parametrize("backend,solver", [("numpy", "direct"), ("torch", "direct"), ("torch", "cg")])
def test_float32_stays_within_the_course_tolerance(small, backend, solver):
    train, test = small
    start = init_model(train, 8, seed=0)
    m64, _ = ALS(train, 8, 5.0, backend=backend, solver=solver, dtype="float64").fit(10, model=start)
    m32, info = ALS(train, 8, 5.0, backend=backend, solver=solver, dtype="float32").fit(10, model=start)
    assert info["dtype"] == "float32" and m32.user_factors.dtype == np.float64     # results come back as float64
    assert abs(rmse(m32, test) - rmse(m64, test)) < 1e-4
    np.testing.assert_allclose(m32.predict(test.users, test.items), m64.predict(test.users, test.items), atol=1e-3)


def test_rows_without_ratings_stay_zero_with_every_option():
    train = Ratings([0, 0, 1, 1], [0, 1, 1, 3], [4, 2, 5, 3], 3, 5)        # user 2, items 2 and 4 unrated
    for options in ({}, {"solver": "cg"}, {"backend": "torch", "dtype": "float32"}, {"weighted": True, "lam": 0.1}):
        kwargs = {"lam": 1.0, **options}
        model, _ = ALS(train, 2, **kwargs).fit(3)
        assert np.all(model.user_factors[2] == 0) and model.user_bias[2] == 0
        assert np.all(model.item_factors[[2, 4]] == 0) and np.all(model.item_bias[[2, 4]] == 0)


def test_auto_dtype_is_float64_for_direct_and_float32_for_cg(small):
    train, _ = small
    assert ALS(train, 4, 1.0).dtype == "float64" and ALS(train, 4, 1.0).solver == "direct"
    assert ALS(train, 4, 1.0, solver="cg").dtype == "float32"
    assert ALS(train, 40, 1.0).solver == "cg" and ALS(train, 40, 1.0).dtype == "float32"
    assert ALS(train, 40, 1.0, dtype="float64").dtype == "float64"
    assert ALS(train).k == 50 and ALS(train).weighted and ALS(train).lam == 0.1 and ALS(train).lam_bias == 3.0
    assert not ALS(train, 10, 5.0).weighted and ALS(train, 10, 5.0).lam_bias == 5.0     # explicit lam: plain, as before


def test_choose_dtype_on_mps_cpu_and_cuda():
    dtype, note = ne.choose_dtype("mps", "float64")
    assert dtype == "float32" and "MPS has no float64" in note
    assert ne.choose_dtype("mps", "float32") == ("float32", "")
    assert ne.choose_dtype("cpu", "float64") == ("float64", "")
    assert ne.choose_dtype("cuda", "float64") == ("float64", "")
    with pytest.raises(ValueError, match="dtype must be one of"):
        ne.choose_dtype("cpu", "float16")


def test_als_on_mps_runs_float32_and_warns_only_when_float64_was_asked(small):
    import warnings

    train, _ = small                                  # constructing needs no MPS device: arrays are made in fit
    with pytest.warns(UserWarning, match="MPS has no float64"):
        explicit = ALS(train, 4, 1.0, backend="torch", device="mps", dtype="float64")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        auto = ALS(train, 4, 1.0, backend="torch", device="mps")
    assert explicit.dtype == auto.dtype == "float32" and "MPS has no float64" in auto.dtype_note
    assert ALS(train, 4, 1.0, backend="torch").dtype == "float64"            # direct solver on the CPU: float64


def test_als_refuses_bad_options_with_a_fix(small):
    train, _ = small
    with pytest.raises(ValueError, match=r"lam must be > 0 \(got 0\): λ = 0 makes each normal-equation matrix singular"):
        ALS(train, 4, 0)
    with pytest.raises(ValueError, match="solver must be one of"):
        ALS(train, 4, 1.0, solver="lu")
    with pytest.raises(ValueError, match="dtype must be one of"):
        ALS(train, 4, 1.0, dtype="float16")
    with pytest.raises(ValueError, match="cg_steps must be"):
        ALS(train, 4, 1.0, solver="cg", cg_steps=0)
    with pytest.raises(TypeError, match="weighted must be True or False"):
        ALS(train, 4, 1.0, weighted="yes")
    with pytest.raises(TypeError, match="train must be a Ratings"):
        ALS([(0, 1, 4.0)], 4, 1.0)
    with pytest.raises(ValueError, match="starting model has factors of shape"):
        ALS(train, 4, 1.0).fit(1, model=init_model(train, 3))
    with pytest.raises(TypeError, match="track must be a function"):
        ALS(train, 4, 1.0).fit(1, track="print")


def _movielens_small():
    root = Path(__file__).resolve().parents[1]
    for candidate in (os.environ.get("MOVIELENS_DIR"), root.parent / "shared" / "data" / "ml-latest-small"):
        if candidate and (Path(candidate) / "ratings.csv").is_file():
            return Path(candidate)
    return None


@pytest.mark.skipif(_movielens_small() is None, reason="ml-latest-small not found (../shared/data or $MOVIELENS_DIR)")
def test_defaults_beat_biases_on_movielens_small():
    from course_utils.movielens import load_movielens

    data = load_movielens(_movielens_small())
    train, test = split_ratings(data, 0.2, seed=0)
    model, _ = ALS(train).fit()
    biases = rmse(fit_biases(train), test)
    assert rmse(model, test) < biases - 0.003, (rmse(model, test), biases)


# ----------------------------------------------------------------------------- cost model
def test_sweep_operations_follow_the_counted_terms():
    from course_utils.cost_model import sweep_operations

    direct = sweep_operations(1_000, 100, np.array([4, 8]))
    np.testing.assert_allclose(direct, 2 * 1_000 * np.array([16, 64]) + 100 * (np.array([64, 512]) / 3 + 2 * np.array([16, 64])))
    assert sweep_operations(2_000, 100, 8, "cg", 3) == 2 * sweep_operations(1_000, 100, 8, "cg", 3)
    assert sweep_operations(1_000, 100, 16, "cg", 3) == 2 * sweep_operations(1_000, 100, 8, "cg", 3)
    with pytest.raises(ValueError, match="solver must be one of"):
        sweep_operations(1, 1, 1, "lu")


def test_fit_power_law_recovers_known_exponents_and_flags_bad_input():
    from course_utils.cost_model import fit_power_law

    nnz, k = np.meshgrid([1e4, 2e4, 4e4], [8, 16, 32])
    noise = np.exp(np.random.default_rng(0).normal(scale=0.01, size=nnz.size))
    fit = fit_power_law(nnz.ravel(), k.ravel(), 3e-9 * nnz.ravel() ** 1.0 * k.ravel() ** 2.5 * noise)
    assert abs(fit["alpha"] - 1.0) < 0.05 and abs(fit["beta"] - 2.5) < 0.05
    assert fit["alpha_se"] < 0.05 and fit["max_rel_error"] < 0.05
    with pytest.raises(ValueError, match="two sizes, two k values"):
        fit_power_law([1e4, 1e4, 1e4, 1e4], [8, 16, 32, 64], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="must all be > 0"):
        fit_power_law([1e4, 2e4, 1e4, 2e4], [8, 8, 16, 16], [1, 2, 0, 4])


def test_measure_sweep_times_covers_the_grid(small):
    from course_utils.cost_model import measure_sweep_times, subsample

    train, _ = small
    part = subsample(train, 1000, seed=1)
    assert len(part) == 1000 and part.n_users == train.n_users
    grid = measure_sweep_times(train, [1000, 2000], [2, 4], solver="cg", n_sweeps=2, repeats=2)
    assert sorted(zip(grid["nnz"], grid["k"])) == [(1000, 2), (1000, 4), (2000, 2), (2000, 4)]
    assert np.all(grid["seconds"] > 0) and np.all(grid["spread"] >= 0)
    with pytest.raises(ValueError, match=r"sizes \(each size\) must be a whole number in"):
        measure_sweep_times(train, [10**9], [2])


def test_fit_gd_refuses_bad_input_at_the_boundary(small):
    import torch

    from course_utils.mf_torch import DotProductBias, fit_gd, predict

    train, _ = small
    model = DotProductBias(train.n_users, train.n_items, 2)
    with pytest.raises(TypeError, match="train must be a Ratings object"):
        fit_gd(model, [(0, 1, 4.0)])
    with pytest.raises(ValueError, match="batch_size must be a whole number >= 1"):
        fit_gd(model, train, batch_size=0)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        fit_gd(model, train, optimizer="lbfgs")
    with pytest.raises(TypeError, match="on_epoch must be a function"):
        fit_gd(model, train, on_epoch="redraw")
    stops = []
    history = fit_gd(model, train, epochs=5, on_epoch=lambda epoch, h: stops.append(epoch) or epoch == 2)
    assert stops == [1, 2] and len(history["train_mse"]) == 2              # a true return value stops training
    with pytest.raises(ValueError, match="lam must be >= 0"):
        fit_gd(model, train, lam=-1.0)
    with pytest.raises(TypeError, match="model must be a torch nn.Module"):
        fit_gd("model", train)
    with pytest.raises(TypeError, match="data must be a Ratings object"):
        predict(model, torch.zeros(3))
