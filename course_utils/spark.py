"""Apache Spark for notebook 08: is it here, a quiet local session, and moving data both ways.

PySpark is an optional extra (``pip install -e ".[scale]"``, about 450 MB of jars) and it
needs Java 17 or newer from the system's packages. Nothing here imports PySpark until a
session is asked for, so the rest of the course never pays for it.

- ``spark_environment()``: which PySpark and Java are present, and whether Spark can run.
- ``spark_available()``: the notebook's gate; prints one line naming the install command
  when Spark cannot run (and fails instead when ``$COURSE_REQUIRE_SPARK=1``, as in CI).
- ``local_spark_session()``: ``local[cores]`` on 127.0.0.1 only, UI off, every temporary,
  warehouse and checkpoint file inside one git-ignored folder, the JVM's log in a file there;
  ``stop_spark()`` stops it and ends its Java process.
- ``spark_objective``: the weighted-lambda loss Spark's ALS minimizes, for any ``FactorModel``.
- ``residual_ratings`` / ``als_like_spark`` / ``with_baseline``: the course's ALS set up as
  Spark's (biases taken out first, weighted lambda, no mean, no biases, items solved first),
  and predictions back on the rating scale. One place for that setup: notebook 08, its tests
  and ``tools/bench_spark.py`` all use it.
- ``spark_als``: Spark's ``pyspark.ml.recommendation.ALS`` estimator with the course's settings.
- ``ratings_frame``: a ``Ratings`` set as a Spark DataFrame ``(user, item, rating)``.
- ``factors_to_numpy`` / ``factor_model_from_spark``: Spark's factors back as NumPy
  arrays of shape ``(n_rows, k)`` (rows Spark never saw stay 0) or a ``FactorModel``.
- ``recommendations_to_numpy``: ``recommendForAllUsers`` output as ``(n_users, n)`` arrays.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from importlib import metadata
from pathlib import Path

import numpy as np

from .validation import (check_array, check_bool, check_choice, check_count, check_ids, check_instance, check_nonnegative,
                         check_number, check_path, check_positive, check_same_length, check_text)

SPARK_MAX_ID = 2**31 - 1       # Spark's ALS keeps ids in a 32-bit int
INSTALL_COMMAND = '.venv/bin/pip install -e ".[scale]"'
MIN_JAVA = 17
REQUIRE_ENV_VAR = "COURSE_REQUIRE_SPARK"
JAVA_INSTALL_HINT = "install Java 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or point JAVA_HOME at one"


# ----------------------------------------------------------------------------- what is installed
def _java_executable() -> Path | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return Path(home) / "bin" / "java"
    found = shutil.which("java")
    return Path(found) if found else None


def java_version() -> str | None:
    """The version of the Java that Spark would start (``$JAVA_HOME``, else ``java`` on the
    PATH), e.g. ``"17.0.15"``; None when there is none. Read from the JDK's ``release`` file
    when it has one (no JVM is started), else from ``java -version``."""
    java = _java_executable()
    if java is None:
        return None
    release = java.resolve().parents[1] / "release"
    if release.is_file():
        match = re.search(r'^JAVA_VERSION="([^"]+)"', release.read_text(errors="replace"), re.M)
        if match:
            return match.group(1)
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "([^"]+)"', out.stderr + out.stdout)
    return match.group(1) if match else None


def _major(version: str | None) -> int | None:
    if not version:
        return None
    parts = version.split(".")
    try:
        return int(parts[1]) if parts[0] == "1" and len(parts) > 1 else int(re.match(r"\d+", parts[0]).group())
    except (AttributeError, ValueError):
        return None


def spark_environment() -> dict:
    """Whether notebook 08 can run Spark here: ``{"pyspark": version or None, "java": version
    or None, "ready": bool, "reason": what is missing and how to get it ("" when ready)}``."""
    try:
        pyspark = metadata.version("pyspark")
    except metadata.PackageNotFoundError:
        pyspark = None
    java = java_version()
    reasons = []
    if pyspark is None:
        reasons.append(f"PySpark is not installed: run `{INSTALL_COMMAND}` in the course folder")
    major = _major(java)
    if java is None:
        reasons.append(f"no Java found: {JAVA_INSTALL_HINT}")
    elif major is None or major < MIN_JAVA:
        reasons.append(f"Java {java} is too old (Spark 4 needs Java {MIN_JAVA}+): {JAVA_INSTALL_HINT}")
    return {"pyspark": pyspark, "java": java, "ready": not reasons, "reason": "; ".join(reasons)}


def spark_summary() -> str:
    """One line for the environment report: versions, or what is missing."""
    env = spark_environment()
    found = f"PySpark {env['pyspark'] or 'not installed'}, Java {env['java'] or 'not found'}"
    return found + ("" if env["ready"] else f"; notebook 08 skips its Spark cells ({env['reason']})")


def spark_available(verbose: bool = True) -> bool:
    """The gate for notebook 08's Spark cells: True when PySpark and Java 17+ are here.

    Otherwise print one line saying what is missing and the command that fixes it, and
    return False, so the cells that need Spark skip cleanly. When ``$COURSE_REQUIRE_SPARK``
    is 1 (CI sets it), raise instead: there a skipped Spark path would be a silent failure.
    """
    from .validation import check_bool

    verbose = check_bool("verbose", verbose)
    env = spark_environment()
    if env["ready"]:
        return True
    if os.environ.get(REQUIRE_ENV_VAR, "").strip() == "1":
        raise RuntimeError(f"{REQUIRE_ENV_VAR}=1 but Spark cannot run here: {env['reason']}")
    if verbose:
        print(f"Spark cells skipped: {env['reason']}.")
    return False


# ----------------------------------------------------------------------------- the objective
def spark_objective(model, data, reg_param: float) -> float:
    r"""The loss Spark's explicit-feedback ALS minimizes, evaluated for a ``FactorModel``:

        J_w = sum_{(i,j)} (r_ij - r_hat_ij)^2 + reg_param (sum_i n_i ||u_i||^2 + sum_j n_j ||v_j||^2)

    with n_i, n_j the numbers of ratings of user i and item j in ``data`` (Spark's
    "ALS-WR" weighting: each row's penalty grows with its rating count). Spark's model has
    no biases and no mean, so compare models whose ``mu`` and biases are 0. This is what the
    course's ``ALS(..., weighted=True)`` minimizes too (with ``lam = reg_param``).
    """
    reg_param = check_nonnegative("reg_param", reg_param)
    model, data = _check_model("model", model), _check_ratings("data", data)
    from .als import objective

    return objective(model, data, reg_param, lam_bias=0.0, weighted=True)


# ----------------------------------------------------------------------------- the course's ALS, set up as Spark's
NO_BIAS_PENALTY = 1e12   # a bias penalty this large keeps every bias at 0 (|b| ~ 1e-11 after a fit)


def _check_ratings(name: str, value):
    from .ratings import Ratings
    from .validation import check_instance

    return check_instance(name, value, Ratings, what="a Ratings set (e.g. from split_ratings)")


def _check_model(name: str, value):
    from .als import FactorModel
    from .validation import check_instance

    return check_instance(name, value, FactorModel, what="a FactorModel (e.g. from fit_biases or ALS.fit)")


def residual_ratings(data, baseline):
    r"""What both engines fit once the biases are taken out: ``A_ij - mu - b_i - c_j`` for every
    rating of ``data`` (a ``Ratings`` set), with ``mu``, ``b``, ``c`` from ``baseline`` (a
    ``FactorModel``, usually ``fit_biases`` on the same training ratings; its factors are
    ignored, only its biases and mean are used). Returns a ``Ratings`` set with the same users
    and items; its scale is the residuals' own range."""
    data, baseline = _check_ratings("data", data), _check_model("baseline", baseline)
    if len(baseline.user_bias) != data.n_users or len(baseline.item_bias) != data.n_items:
        raise ValueError(f"baseline has {len(baseline.user_bias)} users and {len(baseline.item_bias)} items, data "
                         f"{data.n_users} and {data.n_items}: fit the baseline on ratings indexed like data")
    from .ratings import Ratings

    residual = data.ratings - (baseline.mu + baseline.user_bias[data.users] + baseline.item_bias[data.items])
    return Ratings(data.users, data.items, residual, data.n_users, data.n_items, scale=(residual.min(), residual.max() + 1e-12),
                   source=f"residuals of {data.source}")


def _swap(model):
    """Users and items exchanged (views, no copies)."""
    from .als import FactorModel

    return FactorModel(model.item_factors, model.user_factors, model.item_bias, model.user_bias, model.mu)


def als_like_spark(residuals, k: int, reg_param: float, n_sweeps: int, start=None, seed: int = 0,
                   items_first: bool = True, track=None):
    r"""The course's ``ALS`` configured to minimize what Spark's explicit ALS minimizes,

        J_w = sum_{(i,j) in Omega} (A_ij - u_i . v_j)^2 + reg_param (sum_i |Omega_i| ||u_i||^2 + sum_j |Omega_j| ||v_j||^2),

    on ``residuals`` (from ``residual_ratings``): weighted lambda (``lam * |Omega_i|`` on each
    diagonal), no mean (``mu = 0``), no biases (a penalty of 1e12 keeps them at 0).
    ``items_first=True`` solves the items first in every sweep, as Spark does, so that from
    Spark's own start (``SparkALS(maxIter=0)``) both engines take the same steps.
    ``start``: a ``FactorModel`` (default: ``init_model(residuals, k, seed)`` with mu = 0).
    ``track(step, model)`` is called after each half-sweep (the model has users as users).
    Returns the fitted ``FactorModel`` (``(n_users, k)`` and ``(n_items, k)`` factors, mu 0).
    """
    from .als import ALS, init_model
    from .ratings import Ratings
    from .validation import check_bool, check_callable, check_seed

    residuals = _check_ratings("residuals", residuals)
    k = check_count("k", k)
    reg_param = check_positive("reg_param", reg_param, hint="Spark's regParam, e.g. 0.1")
    n_sweeps = check_count("n_sweeps", n_sweeps, minimum=0)
    seed = check_seed("seed", seed)
    items_first = check_bool("items_first", items_first)
    if track is not None:
        check_callable("track", track, hint="a function track(step, model), or None")
    if start is None:
        start = init_model(residuals, k, seed=seed)
        start.mu = 0.0
    else:
        start = _check_model("start", start)
        if start.user_factors.shape != (residuals.n_users, k) or start.item_factors.shape != (residuals.n_items, k):
            raise ValueError(f"start has factors of shape {start.user_factors.shape} and {start.item_factors.shape}; "
                             f"residuals need ({residuals.n_users}, {k}) and ({residuals.n_items}, {k})")
        start = start.copy()
        start.mu = 0.0
    data, begin, report = residuals, start, track
    if items_first:
        data = Ratings(residuals.items, residuals.users, residuals.ratings, residuals.n_items, residuals.n_users,
                       scale=residuals.scale, source=residuals.source)
        begin = _swap(start)
        report = None if track is None else (lambda step, m: track(step, _swap(m)))
    fitted, _ = ALS(data, k, lam=reg_param, weighted=True, lam_bias=NO_BIAS_PENALTY).fit(n_sweeps, model=begin, track=report)
    return _swap(fitted) if items_first else fitted


def with_baseline(model, baseline):
    """Factors of ``model`` (fitted on residuals, e.g. by ``als_like_spark`` or copied from Spark)
    with the mean and biases of ``baseline`` added back: a ``FactorModel`` that predicts on the
    rating scale, ``mu + b_i + c_j + u_i . v_j``."""
    from .als import FactorModel

    model, baseline = _check_model("model", model), _check_model("baseline", baseline)
    if len(model.user_bias) != len(baseline.user_bias) or len(model.item_bias) != len(baseline.item_bias):
        raise ValueError(f"model has {len(model.user_bias)} users and {len(model.item_bias)} items, baseline "
                         f"{len(baseline.user_bias)} and {len(baseline.item_bias)}: both must come from the same data")
    return FactorModel(model.user_factors, model.item_factors, baseline.user_bias, baseline.item_bias, float(baseline.mu))


def spark_als(k: int, reg_param: float, max_iter: int, n_blocks: int = 2, seed: int = 0):
    """Spark's ``pyspark.ml.recommendation.ALS`` estimator with the course's settings: rank ``k``,
    ``regParam = reg_param``, ``maxIter = max_iter`` (Spark's iterations are the course's sweeps),
    ``n_blocks`` user and item blocks (one per core in local mode), ``seed``; everything else is
    Spark's default (explicit feedback, checkpoint every 10 iterations, coldStartStrategy "nan").
    Needs PySpark (imported here, not before)."""
    k, n_blocks = check_count("k", k), check_count("n_blocks", n_blocks)
    reg_param = check_positive("reg_param", reg_param, hint="Spark's regParam, e.g. 0.1")
    max_iter = check_count("max_iter", max_iter, minimum=0)
    from .validation import check_seed

    seed = check_seed("seed", seed)
    if not spark_available(verbose=False):
        raise RuntimeError(f"Spark cannot run here: {spark_environment()['reason']}")
    from pyspark.ml.recommendation import ALS as SparkALS

    return SparkALS(rank=k, regParam=reg_param, maxIter=max_iter, numUserBlocks=n_blocks, numItemBlocks=n_blocks, seed=seed)


# ----------------------------------------------------------------------------- a local session
def default_folder() -> Path:
    """Where Spark's files go: ``build/spark`` in the course repository (git-ignored), or a
    folder under the system's temporary directory when the package is installed elsewhere."""
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file() and (root / "course_utils").is_dir():
        return root / "build" / "spark"
    return Path(tempfile.gettempdir()) / "course-utils-spark"


_LOG4J = """\
# Written by course_utils.spark: Spark's driver logs errors only, to its stderr (a file).
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


@contextlib.contextmanager
def _process_output_to(path: Path):
    """Point this process's stdout and stderr file descriptors at ``path`` for the block.
    A JVM started inside keeps them, so its banner and warnings land in the file instead of
    under a notebook cell; Python's own streams are restored afterwards."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved:
            os.close(fd)


def local_spark_session(cores: int = 2, folder=None, driver_memory: str = "1g", app_name: str = "course-als",
                        jit: str = "quick"):
    """A SparkSession in local mode for the course; returns ``(spark, seconds to start)``.

    ``local[cores]``: one JVM on this machine, ``cores`` task threads. Bound to 127.0.0.1
    (nothing listens on other interfaces), web UI and console progress bars off, shuffle,
    temporary, warehouse and checkpoint files under ``folder`` (default ``default_folder()``),
    the JVM's own output in ``folder/driver.log``, Spark's log level ERROR.
    ``jit="quick"`` starts the JVM with its quick compiler only (``-XX:TieredStopAtLevel=1``):
    about half the CPU time to start, which dominates on small data; ``"full"`` keeps Java's
    default optimizing compiler (better for long benchmarks).
    """
    cores = check_count("cores", cores, minimum=1, maximum=os.cpu_count() or 1)
    if not isinstance(driver_memory, str):
        raise TypeError(f"driver_memory must be a size such as '1g' or '512m' (got {driver_memory!r})")
    if not re.fullmatch(r"\d+[mg]", driver_memory):
        raise ValueError(f"driver_memory must be a size such as '1g' or '512m' (got {driver_memory!r})")
    app_name = check_text("app_name", app_name, hint="a name for Spark's logs, e.g. 'course-als'")
    check_choice("jit", jit, ("quick", "full"), hint='"quick" starts faster, "full" suits long benchmarks')
    folder = check_path("folder", folder, hint="a folder for Spark's files") if folder is not None else default_folder()
    if not spark_available(verbose=False):
        raise RuntimeError(f"Spark cannot run here: {spark_environment()['reason']}")
    for sub in ("local", "tmp", "warehouse", "checkpoints"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    log4j = folder / "log4j2.properties"
    log4j.write_text(_LOG4J)
    java_options = f"-Dlog4j2.configurationFile=file:{log4j} -Djava.io.tmpdir={folder / 'tmp'}"
    if jit == "quick":
        java_options += " -XX:TieredStopAtLevel=1"
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # Python workers (if any) use this environment
    start = time.perf_counter()
    with warnings.catch_warnings():
        # PySpark 4.3 warns that pandas 3 is "not yet fully supported"; the course moves no
        # pandas frames through Spark, so the warning says nothing about what runs here.
        warnings.filterwarnings("ignore", message=".*does not yet fully support pandas.*")
        from pyspark.sql import SparkSession

        builder = (SparkSession.builder.master(f"local[{cores}]").appName(app_name)
                   .config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.driver.memory", driver_memory)
                   .config("spark.driver.extraJavaOptions", java_options)
                   .config("spark.local.dir", str(folder / "local"))
                   .config("spark.sql.warehouse.dir", str(folder / "warehouse"))
                   .config("spark.sql.shuffle.partitions", str(2 * cores))
                   .config("spark.default.parallelism", str(2 * cores)))
        with _process_output_to(folder / "driver.log"):
            spark = builder.getOrCreate()
            spark.sparkContext.setLogLevel("ERROR")
            spark.sparkContext.setCheckpointDir(str(folder / "checkpoints"))
    return spark, time.perf_counter() - start


def stop_spark(spark, timeout: float = 60.0) -> int | None:
    """Stop the session and end its Java process (``SparkSession.stop`` alone leaves the JVM
    running, holding its memory, until Python exits). Returns the JVM's exit code, or None if
    there was no Java process. A later ``local_spark_session`` starts a fresh one."""
    timeout = check_nonnegative("timeout", timeout, hint="seconds to wait for the JVM to exit, e.g. 60")
    try:
        from pyspark import SparkContext
        from pyspark.sql import SparkSession
    except ImportError:  # no PySpark, so nothing passed in can be a SparkSession
        SparkContext = SparkSession = None
    if SparkSession is None or not isinstance(spark, SparkSession):
        raise TypeError(f"spark must be a SparkSession from local_spark_session() (got {type(spark).__name__})")

    spark.stop()
    gateway = SparkContext._gateway
    if gateway is None:
        return None
    process = getattr(gateway, "proc", None)
    with contextlib.suppress(Exception):
        gateway.shutdown()
    SparkContext._gateway, SparkContext._jvm = None, None
    if process is None:
        return None
    with contextlib.suppress(Exception):
        process.stdin.close()            # Spark's Python gateway exits when its stdin closes
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.terminate()
        return process.wait(10)


# ----------------------------------------------------------------------------- data both ways
def _check_frame(name: str, frame, method: str) -> None:
    if not callable(getattr(frame, method, None)):
        raise TypeError(f"{name} must be a Spark DataFrame (got {type(frame).__name__}); e.g. model.userFactors")


def ratings_frame(spark, users, items, ratings, folder=None, name: str = "ratings"):
    """Ratings as a cached Spark DataFrame with columns ``user``, ``item`` (int) and
    ``rating`` (float), by way of a CSV file in ``folder`` (default ``default_folder()``):
    the way a cluster gets data too (Spark reads files; the driver never holds the ratings).
    ``users``, ``items``: 0-based whole numbers; ``ratings``: numbers; all of one length.
    The file is ``folder/<name>-<process id>.csv``: a later frame of the same name in this
    process overwrites it, so give frames that are in use at the same time different names
    (Spark may reread the file); two programs (two notebooks, two test workers) never share one."""
    hint = "0-based ids below 2**31 (Spark's int); use Ratings.from_ids to map raw ids (a negative id is refused)"
    users = check_ids("users", users, SPARK_MAX_ID, what="user", hint=hint)
    items = check_ids("items", items, SPARK_MAX_ID, what="item", hint=hint)
    ratings = check_array("ratings", ratings, ndim=1)
    check_same_length(users=users, items=items, ratings=ratings)
    if len(users) == 0:
        raise ValueError("users must hold at least one rating (got none)")
    name = check_text("name", name, hint="letters, digits, '_' or '-'")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise ValueError(f"name must be letters, digits, '_' or '-' (got {name!r}); it names the CSV file")
    folder = check_path("folder", folder, hint="a folder for the CSV file") if folder is not None else default_folder()
    if not hasattr(getattr(spark, "read", None), "csv"):
        raise TypeError(f"spark must be a SparkSession from local_spark_session() (got {type(spark).__name__})")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{os.getpid()}.csv"
    with open(path, "w") as out:                 # 9 significant digits: all that Spark's float32 ratings keep
        for start in range(0, len(users), 1_000_000):
            chunk = slice(start, start + 1_000_000)
            out.writelines(f"{u},{i},{r:.9g}\n" for u, i, r in zip(users[chunk].tolist(), items[chunk].tolist(), ratings[chunk].tolist()))
    frame = spark.read.csv(str(path), schema="user INT, item INT, rating FLOAT").cache()
    frame.count()  # read the file once, now
    return frame


def factors_to_numpy(frame, n_rows: int, k: int) -> np.ndarray:
    """Spark's ``userFactors`` or ``itemFactors`` (columns ``id``, ``features``) as a float64
    array of shape ``(n_rows, k)``; rows Spark has no factors for (no training rating) stay 0,
    as in the course's ALS."""
    _check_frame("frame", frame, "select")
    n_rows, k = check_count("n_rows", n_rows), check_count("k", k)
    out = np.zeros((n_rows, k))
    rows = frame.select("id", "features").collect()
    if rows:
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        if ids.max() >= n_rows:
            raise ValueError(f"Spark has factors for id {ids.max()}, but n_rows is {n_rows}; pass the data's n_users or n_items")
        values = np.array([r[1] for r in rows], dtype=np.float64)
        if values.shape[1] != k:
            raise ValueError(f"Spark's factors have rank {values.shape[1]}, but k is {k}")
        out[ids] = values
    return out


def factor_model_from_spark(spark_model, n_users: int, n_items: int, mu: float = 0.0, user_bias=None, item_bias=None):
    """A course ``FactorModel`` holding a fitted Spark ``ALSModel``'s factors, so the course's
    tools (``rmse``, ``predict``, top-N) run on them. Spark's model has no biases and no mean:
    by default they are 0, so ``predict`` gives Spark's own ``u . v``; pass the biases that were
    taken out of the ratings before Spark saw them to predict on the original scale."""
    from .als import FactorModel

    if not all(hasattr(spark_model, a) for a in ("rank", "userFactors", "itemFactors")):
        raise TypeError(f"spark_model must be a fitted Spark ALSModel, with rank, userFactors and itemFactors "
                        f"(got {type(spark_model).__name__}); fit one with pyspark.ml.recommendation.ALS(...).fit(frame)")
    k = check_count("spark_model.rank", spark_model.rank)
    mu = check_number("mu", mu)
    n_users, n_items = check_count("n_users", n_users), check_count("n_items", n_items)
    user_bias = np.zeros(n_users) if user_bias is None else check_array("user_bias", user_bias, shape=(n_users,))
    item_bias = np.zeros(n_items) if item_bias is None else check_array("item_bias", item_bias, shape=(n_items,))
    return FactorModel(factors_to_numpy(spark_model.userFactors, n_users, k), factors_to_numpy(spark_model.itemFactors, n_items, k),
                       user_bias.copy(), item_bias.copy(), float(mu))


def recommendations_to_numpy(frame, n_users: int, n: int, user_col: str = "user", item_col: str = "item"):
    """``ALSModel.recommendForAllUsers(n)`` as two arrays of shape ``(n_users, n)``: item ids
    (best first) and Spark's scores; users Spark has no list for get item -1 and score NaN."""
    _check_frame("frame", frame, "collect")
    n_users, n = check_count("n_users", n_users), check_count("n", n)
    user_col = check_text("user_col", user_col, hint="the frame's user column, e.g. 'user'")
    item_col = check_text("item_col", item_col, hint="the item column inside each recommendation, e.g. 'item'")
    items = np.full((n_users, n), -1, dtype=np.int64)
    scores = np.full((n_users, n), np.nan)
    for row in frame.collect():
        user, recs = row[user_col], row["recommendations"]
        if not 0 <= user < n_users:
            raise ValueError(f"n_users must cover every user in frame (got n_users={n_users}, but the frame holds user {user}); "
                             "pass the data's n_users")
        if len(recs) > n:
            raise ValueError(f"n must be at least the length of each list in frame (got n={n}, a list of {len(recs)}); "
                             "pass the n given to recommendForAllUsers")
        items[user, : len(recs)] = [r[item_col] for r in recs]
        scores[user, : len(recs)] = [r["rating"] for r in recs]
    return items, scores
