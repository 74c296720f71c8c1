"""course_utils.spark without a JVM (environment detection, the gate, conversions, the objective),
plus one end-to-end run on a real local Spark that skips when PySpark or Java is missing."""

from types import SimpleNamespace

import numpy as np
import pytest

from course_utils import spark as spark_mod
from course_utils.als import ALS, FactorModel, fit_biases, init_model
from course_utils.ratings import Ratings, synthetic_ratings


class _Row(dict):
    """A stand-in for pyspark.sql.Row: access by name, attribute or position."""

    __getattr__ = dict.__getitem__

    def __getitem__(self, key):
        return list(self.values())[key] if isinstance(key, int) else dict.__getitem__(self, key)


class FakeFrame:
    def __init__(self, rows):
        self.rows = rows

    def select(self, *columns):
        return self

    def collect(self):
        return self.rows


@pytest.mark.parametrize("version, major", [("17.0.15", 17), ("21", 21), ("1.8.0_392", 8), ("11.0.2", 11), (None, None), ("abc", None)])
def test_java_major_version(version, major):
    assert spark_mod._major(version) == major


def test_environment_names_what_is_missing_and_the_fix(monkeypatch):
    monkeypatch.setattr(spark_mod, "java_version", lambda: None)
    monkeypatch.setattr(spark_mod.metadata, "version", lambda name: (_ for _ in ()).throw(spark_mod.metadata.PackageNotFoundError(name)))
    env = spark_mod.spark_environment()
    assert env["ready"] is False and env["pyspark"] is None and env["java"] is None
    assert spark_mod.INSTALL_COMMAND in env["reason"] and "openjdk-17" in env["reason"]
    monkeypatch.setattr(spark_mod, "java_version", lambda: "11.0.2")
    assert "too old" in spark_mod.spark_environment()["reason"]


def test_gate_prints_one_line_or_fails_when_spark_is_required(monkeypatch, capsys):
    monkeypatch.setattr(spark_mod, "spark_environment", lambda: {"ready": False, "reason": "PySpark is not installed (run x)"})
    monkeypatch.delenv(spark_mod.REQUIRE_ENV_VAR, raising=False)
    assert spark_mod.spark_available() is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("Spark cells skipped: PySpark is not installed")
    monkeypatch.setenv(spark_mod.REQUIRE_ENV_VAR, "1")
    with pytest.raises(RuntimeError, match="COURSE_REQUIRE_SPARK=1"):
        spark_mod.spark_available()
    monkeypatch.setattr(spark_mod, "spark_environment", lambda: {"ready": True, "reason": ""})
    assert spark_mod.spark_available() is True


def test_environment_report_includes_spark():
    from course_utils import environment_report

    facts = environment_report(verbose=False)
    assert "PySpark" in facts["spark"] and "Java" in facts["spark"]


def test_factors_and_recommendations_from_spark_rows():
    frame = FakeFrame([_Row(id=2, features=[1.0, 2.0]), _Row(id=0, features=[3.0, 4.0])])
    factors = spark_mod.factors_to_numpy(frame, 4, 2)
    assert factors.tolist() == [[3, 4], [0, 0], [1, 2], [0, 0]]
    with pytest.raises(ValueError, match="n_rows is 2"):
        spark_mod.factors_to_numpy(frame, 2, 2)
    with pytest.raises(ValueError, match="rank 2"):
        spark_mod.factors_to_numpy(frame, 4, 3)
    recs = FakeFrame([_Row(user=1, recommendations=[_Row(item=5, rating=2.5), _Row(item=3, rating=1.0)])])
    items, scores = spark_mod.recommendations_to_numpy(recs, 3, 2)
    assert items.tolist() == [[-1, -1], [5, 3], [-1, -1]] and scores[1].tolist() == [2.5, 1.0] and np.isnan(scores[0]).all()


def test_factor_model_from_spark_has_zero_biases_by_default():
    fake = SimpleNamespace(rank=2, userFactors=FakeFrame([_Row(id=0, features=[1.0, 0.0])]),
                           itemFactors=FakeFrame([_Row(id=1, features=[2.0, 3.0])]))
    model = spark_mod.factor_model_from_spark(fake, 2, 2)
    assert model.mu == 0 and not model.user_bias.any() and model.predict([0], [1]).tolist() == [2.0]
    with pytest.raises(ValueError, match="user_bias"):
        spark_mod.factor_model_from_spark(fake, 2, 2, user_bias=np.zeros(3))


def _residual_problem(seed=3):
    data = synthetic_ratings(80, 120, 2400, seed=seed).data
    baseline = fit_biases(data, lam_bias=3.0)
    return data, baseline, spark_mod.residual_ratings(data, baseline)


def test_spark_objective_is_what_weighted_als_minimizes():
    """Notebook 08 writes J_w out; the course's ALS set up as Spark's must never increase it."""
    _, _, res = _residual_problem()
    values = []
    spark_mod.als_like_spark(res, 4, 0.1, 4, track=lambda step, m: values.append(spark_mod.spark_objective(m, res, 0.1)))
    assert len(values) == 8 and all(b <= a * (1 + 1e-12) for a, b in zip(values, values[1:]))
    # by hand for one tiny model
    tiny = Ratings(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([1.0, 2.0, 3.0]), 2, 2, scale=(1, 3))
    model = FactorModel(np.array([[1.0], [2.0]]), np.array([[1.0], [1.0]]), np.zeros(2), np.zeros(2), 0.0)
    # errors 0, 1, 1; penalty 0.5 * (2*1 + 1*4 + 1*1 + 2*1)
    assert spark_mod.spark_objective(model, tiny, 0.5) == pytest.approx(2 + 0.5 * 9)


def test_spark_objective_equals_the_weighted_objective_of_als_when_it_has_one():
    """spark_objective is als.objective with count weights and no bias term: once als.objective
    takes ``weighted`` (helper E's branch), the two must agree and spark_objective can call it."""
    import inspect

    from course_utils import als

    if "weighted" not in inspect.signature(als.objective).parameters:
        pytest.skip("als.objective has no weighted=... yet (it arrives with the ALS rework)")
    data, baseline, res = _residual_problem(seed=5)
    model = spark_mod.als_like_spark(res, 3, 0.1, 2)
    assert als.objective(model, res, 0.1, lam_bias=0.0, weighted=True) == pytest.approx(spark_mod.spark_objective(model, res, 0.1), rel=1e-12)


def test_residuals_are_the_ratings_minus_the_baseline_and_back():
    data, baseline, res = _residual_problem()
    assert np.allclose(res.ratings + baseline.predict(data.users, data.items), data.ratings, rtol=0, atol=1e-12)
    assert (res.users == data.users).all() and (res.items == data.items).all()
    model = spark_mod.als_like_spark(res, 3, 0.1, 2)
    stars = spark_mod.with_baseline(model, baseline)
    expected = baseline.predict(data.users, data.items) + np.einsum("nk,nk->n", model.user_factors[data.users], model.item_factors[data.items])
    assert np.allclose(stars.predict(data.users, data.items), expected, rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="baseline"):
        spark_mod.residual_ratings(data, fit_biases(synthetic_ratings(30, 40, 600, seed=1).data))
    with pytest.raises(TypeError, match="baseline"):
        spark_mod.residual_ratings(data, "biases")


def test_als_like_spark_has_no_biases_and_solves_items_first():
    """Items first = the course's ALS on the transposed ratings (items as rows) from the swapped
    start; users first gives a different path to a (nearly) equal objective."""
    _, _, res = _residual_problem()
    start = init_model(res, 4, seed=2)
    start.mu = 0.0
    items_first = spark_mod.als_like_spark(res, 4, 0.1, 3, start=start)
    assert max(np.abs(items_first.user_bias).max(), np.abs(items_first.item_bias).max()) < 1e-9 and items_first.mu == 0.0
    transposed = Ratings(res.items, res.users, res.ratings, res.n_items, res.n_users, scale=res.scale)
    swapped = FactorModel(start.item_factors, start.user_factors, np.zeros(res.n_items), np.zeros(res.n_users), 0.0)
    by_hand, _ = ALS(transposed, 4, lam=0.1, weighted=True, lam_bias=1e12).fit(3, model=swapped)
    assert np.allclose(items_first.user_factors, by_hand.item_factors, rtol=0, atol=1e-12)
    assert np.allclose(items_first.item_factors, by_hand.user_factors, rtol=0, atol=1e-12)
    users_first = spark_mod.als_like_spark(res, 4, 0.1, 3, start=start, items_first=False)
    assert not np.allclose(users_first.user_factors, items_first.user_factors, atol=1e-6)
    j_start = spark_mod.spark_objective(start, res, 0.1)
    assert all(spark_mod.spark_objective(m, res, 0.1) < 0.9 * j_start for m in (items_first, users_first))
    assert (start.user_factors == init_model(res, 4, seed=2).user_factors).all()     # the start is not modified


@pytest.mark.parametrize("kwargs, message", [
    ({"k": 0}, "k"), ({"reg_param": 0.0}, "reg_param"), ({"n_sweeps": -1}, "n_sweeps"), ({"items_first": "yes"}, "items_first"),
    ({"track": 3}, "track"), ({"start": "random"}, "start"),
])
def test_als_like_spark_refuses_bad_settings(kwargs, message):
    _, _, res = _residual_problem()
    with pytest.raises((ValueError, TypeError), match=message):
        spark_mod.als_like_spark(res, **{"k": 3, "reg_param": 0.1, "n_sweeps": 1, **kwargs})
    with pytest.raises(ValueError, match="start"):
        spark_mod.als_like_spark(res, 3, 0.1, 1, start=init_model(res, 2))


def test_course_ratings_picks_movielens_when_present_and_synthetic_otherwise(monkeypatch, tmp_path):
    from pathlib import Path

    from course_utils import course_data, movielens
    from course_utils.movielens import MovieLensNotFound

    fixture = Path(__file__).resolve().parent / "fixtures" / "ml-latest-tiny"
    data, truth = course_data.course_ratings(path=fixture)
    assert truth is None and data.source.startswith("MovieLens")
    monkeypatch.delenv(movielens.ENV_VAR, raising=False)
    monkeypatch.setattr(movielens, "DATA_DIR", tmp_path)
    data, truth = course_data.course_ratings(seed=0)
    assert data.source == "synthetic (seed 0)" and len(data) == 100_000 and truth is not None
    monkeypatch.setenv(movielens.ENV_VAR, str(fixture))
    assert course_data.course_ratings()[0].source.startswith("MovieLens")
    with pytest.raises(MovieLensNotFound):
        course_data.course_ratings(path=tmp_path)          # a path given but empty is an error, not a fallback


@pytest.mark.parametrize("kwargs, message", [
    ({"cores": 0}, "cores"), ({"driver_memory": "lots"}, "driver_memory"), ({"jit": "fast"}, "jit"),
])
def test_session_settings_are_validated_before_anything_starts(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        spark_mod.local_spark_session(**kwargs)


def test_ratings_frame_refuses_bad_input_before_spark_is_touched():
    with pytest.raises(ValueError, match="same length"):
        spark_mod.ratings_frame(None, [0, 1], [0], [1.0, 2.0])
    with pytest.raises(ValueError, match="negative"):
        spark_mod.ratings_frame(None, [0, -1], [0, 1], [1.0, 2.0])
    with pytest.raises(ValueError, match="name"):
        spark_mod.ratings_frame(None, [0, 1], [0, 1], [1.0, 2.0], name="../x")


@pytest.mark.skipif(not spark_mod.spark_environment()["ready"], reason=f"Spark cannot run here: {spark_mod.spark_environment()['reason']}")
def test_local_session_round_trip(tmp_path):
    """One real local Spark: localhost only, UI off, files in our folder; a tiny ALS whose copied
    factors reproduce Spark's own predictions, and the same answer as the course's weighted ALS."""
    from pyspark.ml.recommendation import ALS as SparkALS

    spark, seconds = spark_mod.local_spark_session(cores=1, folder=tmp_path)
    try:
        conf = spark.sparkContext.getConf()
        assert conf.get("spark.driver.bindAddress") == "127.0.0.1" and conf.get("spark.ui.enabled") == "false"
        assert conf.get("spark.local.dir").startswith(str(tmp_path)) and (tmp_path / "driver.log").is_file()
        data = synthetic_ratings(60, 90, 1800, seed=4).data
        frame = spark_mod.ratings_frame(spark, data.users, data.items, data.ratings - 3.0, folder=tmp_path)
        assert frame.count() == len(data)
        settings = dict(rank=3, regParam=0.1, numUserBlocks=1, numItemBlocks=1, seed=0)
        fitted = SparkALS(maxIter=5, **settings).fit(frame)
        model = spark_mod.factor_model_from_spark(fitted, data.n_users, data.n_items)
        predicted = {(r.user, r.item): r.prediction for r in fitted.transform(frame).collect()}
        ours = model.predict(data.users, data.items)
        assert np.allclose([predicted[(u, i)] for u, i in zip(data.users, data.items)], ours, atol=1e-5)
        # the same start, items first (Spark's order): the course's ALS set up as Spark's lands on the same
        # factors, to float32 precision (Spark computes in float32, the course in float64)
        start = spark_mod.factor_model_from_spark(spark_mod.spark_als(3, 0.1, 0, n_blocks=1).fit(frame), data.n_users, data.n_items)
        shifted = Ratings(data.users, data.items, data.ratings - 3.0, data.n_users, data.n_items, scale=(-2, 2))
        course = spark_mod.als_like_spark(shifted, 3, 0.1, 5, start=start)
        assert np.allclose(course.user_factors, model.user_factors, rtol=0, atol=1e-5)
        assert np.allclose(course.item_factors, model.item_factors, rtol=0, atol=1e-5)
    finally:
        process = __import__("pyspark").SparkContext._gateway.proc
        assert spark_mod.stop_spark(spark) == 0 and process.poll() is not None     # the JVM is gone, not just the session
