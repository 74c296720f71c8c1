"""Real MovieLens data: find it, load either GroupLens format, or download it safely.

Formats:

- ``ml-100k``: ``u.data`` (tab-separated user, item, rating, timestamp; whole stars 1-5) and
  ``u.item`` (pipe-separated, 24 fields, **latin-1** encoded: older data sets predate UTF-8,
  so titles such as "Misérables" fail to decode as UTF-8) with 19 genre flags.
- ``ml-latest`` / ``ml-latest-small``: ``ratings.csv`` (userId, movieId, rating, timestamp;
  half stars 0.5-5) and ``movies.csv`` (movieId, title, genres joined by "|"), UTF-8.

Where data is looked for, in order: an explicit path, the ``MOVIELENS_DIR`` environment
variable, then the git-ignored ``data/`` folder at the repository root. Nothing is ever
downloaded unless ``download_movielens`` is called.

**A malformed file is an error that names the file and the line** (``MovieLensFormatError``,
a ``ValueError``): an empty file, a header only, a missing or wrong header, a line with too
few or too many fields, a non-numeric field, a fractional or negative id, a rating outside
the scale or off its grid (half stars in ml-100k, which has whole stars only), a duplicate
(user, item) pair (both lines are named), and a last line cut off mid-way (a truncated
download). Repairs, each announced with a ``UserWarning``: a ``u.item`` saved as UTF-8
instead of latin-1 is read as UTF-8 (titles stay right, no mojibake); a ``movies.csv`` that
is not UTF-8 is read as latin-1; ``duplicates="keep-last"`` keeps the later of two ratings of
one pair. Harmless variants are read as they are: Windows line endings, a UTF-8 byte-order
mark, blank lines, and a complete last line without its final newline.

**Speed.** ``ratings.csv`` is parsed by pandas' C parser with typed columns (int64 ids,
float64 ratings) in chunks of 100,000 lines, keeping only the three columns we use, and ids
are mapped to 0..n-1 by hashing (``pandas.factorize``) rather than sorting. The timestamp
column is still parsed, so a line with a missing or extra field is caught. ``make bench``
(``tools/bench_loader.py``) measures a generated million-line file against the alternatives.

The downloader (``download_movielens``) never loses or corrupts a learner's data: see its
docstring.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import socket
import tempfile
import time
import urllib.error
import urllib.request
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .ratings import Ratings
from .validation import check_choice, check_count, check_path, check_positive, check_text

ENV_VAR = "MOVIELENS_DIR"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
ML100K_GENRES = ("unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
                 "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western")
# Official archives (GroupLens), with the sizes and SHA-256 digests recorded by tensorflow-datasets.
KNOWN_ARCHIVES = {
    "ml-100k": ("https://files.grouplens.org/datasets/movielens/ml-100k.zip", 4924029,
                "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229"),
    "ml-latest-small": ("https://files.grouplens.org/datasets/movielens/ml-latest-small.zip", 978202,
                        "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436"),
}
# A name given with your own url= and sha256= (a mirror, a course copy) must still be a plain folder name.
SAFE_NAME = re.compile(r"^ml-[a-z0-9][a-z0-9._-]{0,40}$")
# Limits for download_movielens (the official archives are 1-5 MB and expand to 3-16 MB in 5-23 files).
MAX_DOWNLOAD_BYTES = 200 * 2**20
MAX_EXTRACTED_BYTES = 1 * 2**30
MAX_ENTRIES = 1000
CHUNK_LINES = 100_000
# A download that keeps trickling (each read within ``timeout``) still ends: after this many timeouts in all.
DOWNLOAD_DEADLINE_TIMEOUTS = 30


class MovieLensNotFound(FileNotFoundError, ValueError):
    """No MovieLens folder where we looked; the message says where to put one.
    A ``FileNotFoundError`` and, because it answers a bad ``path`` argument, a ``ValueError``."""


class MovieLensFormatError(ValueError):
    """A malformed MovieLens file; ``path`` and ``line`` (1-based, or None for the whole file) say where."""

    def __init__(self, path, line: int | None, problem: str, fix: str = ""):
        self.path, self.line = Path(path), line
        where = f"{path}, line {line}" if line is not None else f"{path}"
        fix = fix or "Delete the folder and unzip the original archive again (or run download_movielens)"
        super().__init__(f"{where}: {problem}. {fix}")


# ------------------------------------------------------------------------------ finding the data
def _is_movielens_dir(path: Path) -> bool:
    return (path / "u.data").is_file() or (path / "ratings.csv").is_file()


def find_movielens(path=None) -> Path:
    """The folder to load: ``path`` if given, else ``$MOVIELENS_DIR``, else ``data/<ml-*>``."""
    candidates = []
    if path is not None:
        path = check_path("path", path, hint="the folder that holds u.data or ratings.csv")
        if _is_movielens_dir(path):
            return path
        raise MovieLensNotFound(f"path {path} holds no MovieLens files (expected u.data, or ratings.csv)")
    if os.environ.get(ENV_VAR):
        candidates.append(Path(os.environ[ENV_VAR]).expanduser())
    candidates += [DATA_DIR / name for name in ("ml-latest-small", "ml-100k")]
    if DATA_DIR.is_dir():
        candidates += sorted(p for p in DATA_DIR.glob("ml-*") if p.is_dir())
    for candidate in candidates:
        if candidate.is_dir() and _is_movielens_dir(candidate):
            return candidate
    raise MovieLensNotFound(
        "No MovieLens data found. Looked in: " + ", ".join(str(c) for c in candidates) + ". "
        f"Unzip ml-100k or ml-latest-small from https://grouplens.org/datasets/movielens/ into {DATA_DIR}, "
        f"set {ENV_VAR} to its folder, or call course_utils.movielens.download_movielens() when online."
    )


# ------------------------------------------------------------------------------ ratings files
# Each format: separator, header (None: no header line), columns, rating scale, rating step.
FORMATS = {
    "ml-100k": {"file": "u.data", "sep": "\t", "header": None, "columns": ("user", "item", "rating", "timestamp"),
                "scale": (1.0, 5.0), "step": 1.0, "what": "whole stars 1-5 (ml-100k has no half stars)"},
    "ml-latest": {"file": "ratings.csv", "sep": ",", "header": ("userId", "movieId", "rating", "timestamp"),
                  "columns": ("user", "item", "rating", "timestamp"), "scale": (0.5, 5.0), "step": 0.5,
                  "what": "half stars 0.5-5"},
}


def _lines(path: Path, encoding: str = "utf-8-sig"):
    """(line number, text without the line ending) for every line; used only to explain an error."""
    with open(path, encoding=encoding, errors="replace", newline=None) as fh:
        for number, line in enumerate(fh, start=1):
            yield number, line.rstrip("\n")


def _row_problem(fields: list[str], fmt: dict, names: tuple, row: int) -> str | None:
    """What is wrong with one line (data row ``row``) of a ratings file whose columns are ``names``, or None."""
    if len(fields) != len(names):
        return f"expected {len(names)} fields ({', '.join(names)}), found {len(fields)}"
    for name, text in zip(names, fields):
        text = text.strip()
        try:
            value = float(text)
        except ValueError:
            return f"row {row} has a missing or non-numeric {name!r} ({text!r} is not a number)"
        if not np.isfinite(value):
            return f"{name} {text!r} is not a finite number"
        if name != "rating" and (value != int(value) or "." in text or "e" in text.lower()):
            return f"{name} {text!r} is not a whole number (ids and timestamps are integers)"
        if name not in ("rating", "timestamp") and value < 0:
            return f"{name} {text!r} is negative (ids are >= 0)"
    rating = float(fields[2])
    lo, hi = fmt["scale"]
    if not lo <= rating <= hi:
        return f"ratings must be in [{lo:g}, {hi:g}]; this line has {fields[2].strip()}"
    if (rating / fmt["step"]) != round(rating / fmt["step"]):
        return f"rating {fields[2].strip()} is not on the grid of {fmt['what']}"
    return None


def _explain(path: Path, fmt: dict, names: tuple, fallback: str) -> MovieLensFormatError:
    """Scan the file line by line (slow, only after the fast parser refused it) for the first bad line."""
    row = 0
    for number, line in _lines(path):
        if number == 1 and fmt["header"]:
            continue
        if not line.strip():
            continue
        row += 1
        problem = _row_problem(line.split(fmt["sep"]), fmt, names, row)
        if problem:
            return MovieLensFormatError(path, number, f"{problem}: {line[:80]!r}")
    return MovieLensFormatError(path, None, fallback)


def _check_header_and_ending(path: Path, fmt: dict) -> tuple:
    """Refuse an empty file, a wrong header and a cut-off last line; returns the column names in the file."""
    size = path.stat().st_size
    if size == 0:
        raise MovieLensFormatError(path, None, "the file is empty (0 bytes)")
    with open(path, "rb") as fh:
        first = fh.readline().decode("utf-8-sig", errors="replace").strip()
        fh.seek(max(size - 4096, 0))
        tail = fh.read()
    names = fmt["columns"]
    if fmt["header"]:
        found = tuple(name.strip() for name in first.split(fmt["sep"]))
        if found not in (fmt["header"], fmt["header"][:3]):        # the timestamp column may be left out
            raise MovieLensFormatError(path, 1, f"expected the header {','.join(fmt['header'])}; found {first[:80]!r}")
        names = fmt["header"][: len(found)]
    if not tail.endswith(b"\n"):          # the last line has no line ending: complete (hand-edited) or cut off?
        last = tail.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace").rstrip("\r")
        fields = last.split(fmt["sep"])
        if len(fields) < len(names) or not fields[-1].strip():
            count = sum(1 for _ in _lines(path))
            raise MovieLensFormatError(path, count, f"the file ends in the middle of this line ({last[:80]!r}): "
                                       "it was cut off (an interrupted download or copy)")
    return names


def _read_ratings_table(path: Path, fmt: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(raw user ids, raw item ids, ratings), every line checked; errors name the line."""
    file_names = _check_header_and_ending(path, fmt)
    names = list(fmt["columns"][: len(file_names)])
    dtypes = {"user": np.int64, "item": np.int64, "rating": np.float64, "timestamp": np.int64}
    users, items, ratings = [], [], []
    try:
        reader = pd.read_csv(path, sep=fmt["sep"], header=None, names=names, skiprows=1 if fmt["header"] else 0,
                             dtype={n: dtypes[n] for n in names}, engine="c", chunksize=CHUNK_LINES,
                             encoding="utf-8-sig", na_filter=True)
        for chunk in reader:            # typed chunks: only the three columns we keep outlive the chunk
            users.append(chunk["user"].to_numpy())
            items.append(chunk["item"].to_numpy())
            ratings.append(chunk["rating"].to_numpy())
    except (ValueError, OverflowError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise _explain(path, fmt, file_names, f"cannot parse it ({exc})") from None
    if not ratings or not sum(part.size for part in ratings):
        raise MovieLensFormatError(path, None, "the file has no ratings (only a header)" if fmt["header"]
                                   else "the file has no ratings")
    users, items, ratings = np.concatenate(users), np.concatenate(items), np.concatenate(ratings)
    lo, hi = fmt["scale"]
    steps = ratings / fmt["step"]
    if (np.isnan(ratings).any() or users.min() < 0 or items.min() < 0 or ratings.min() < lo or ratings.max() > hi
            or not np.array_equal(steps, np.round(steps))):
        raise _explain(path, fmt, file_names, "a value is out of range")
    return users, items, ratings


def _duplicate_lines(path: Path, fmt: dict, user, item) -> tuple[int, int]:
    seen = []
    for number, line in _lines(path):
        if (number == 1 and fmt["header"]) or not line.strip():
            continue
        fields = line.split(fmt["sep"])
        if int(fields[0]) == user and int(fields[1]) == item:
            seen.append(number)
            if len(seen) == 2:
                return seen[0], seen[1]
    return seen[0], seen[-1]  # pragma: no cover - the pair was found twice by the fast path


def _drop_duplicates(path: Path, fmt: dict, data: Ratings, duplicates: str) -> Ratings:
    """Refuse (naming both lines) or, with ``duplicates="keep-last"``, drop with a warning every
    earlier rating of a (user, item) pair that is rated again later in the file."""
    pair = data.users * data.n_items + data.items
    order = np.argsort(pair, kind="stable")           # equal pairs end up adjacent, in file order
    repeated = pair[order[1:]] == pair[order[:-1]]
    if not repeated.any():
        return data
    n_dup = int(repeated.sum())
    if duplicates == "error":
        row = int(order[1:][np.argmax(repeated)])
        user, item = int(data.user_ids[data.users[row]]), int(data.item_ids[data.items[row]])
        first, second = _duplicate_lines(path, fmt, user, item)
        raise MovieLensFormatError(
            path, second, f"user {user} rated item {item} twice (lines {first} and {second}); "
            f"{n_dup} duplicate pair(s) in all",
            "Remove one of the two lines, or call load_movielens(..., duplicates='keep-last') to keep the later rating")
    warnings.warn(f"{path}: {n_dup} duplicate (user, item) pair(s); kept the last rating of each "
                  "(duplicates='keep-last')", UserWarning, stacklevel=3)
    keep = np.ones(len(data), dtype=bool)
    keep[order[:-1][repeated]] = False                 # an earlier row whose pair comes again
    return data.subset(keep)


# ------------------------------------------------------------------------------ movie files
def _decode(path: Path, expected: str) -> str:
    """The text of a small file in its expected encoding, repairing (with a warning) a file that was
    re-saved in the other one. UTF-8 is tried first either way: latin-1 text with accents is almost
    never valid UTF-8, while UTF-8 read as latin-1 silently gives mojibake ("MisÃ©rables")."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if expected == "utf-8":
            warnings.warn(f"{path} is not UTF-8 (first bad byte on line {line}); read it as latin-1. "
                          "Save it as UTF-8 to silence this", UserWarning, stacklevel=3)
        return raw.decode("latin-1")
    if expected == "latin-1" and not text.isascii():
        warnings.warn(f"{path} is UTF-8, not latin-1 as GroupLens ships it; read it as UTF-8 so titles stay right",
                      UserWarning, stacklevel=3)
    return text


def _read_u_item(path: Path) -> tuple[dict, dict]:
    titles, genres = {}, {}
    n_fields = 5 + len(ML100K_GENRES)
    for number, line in enumerate(_decode(path, "latin-1").replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("|")
        if len(fields) != n_fields:
            raise MovieLensFormatError(path, number, f"expected {n_fields} fields separated by '|', found {len(fields)}: "
                                       f"{line[:80]!r}")
        if not fields[0].strip().isdigit():
            raise MovieLensFormatError(path, number, f"movie id {fields[0]!r} is not a whole number >= 0")
        flags = fields[5:]
        if any(f.strip() not in ("0", "1") for f in flags):
            raise MovieLensFormatError(path, number, f"the 19 genre flags must be 0 or 1; found {'|'.join(flags)!r}")
        movie = int(fields[0])
        titles[movie] = fields[1]
        genres[movie] = [g for g, f in zip(ML100K_GENRES, flags) if f.strip() == "1"]
    if not titles:
        raise MovieLensFormatError(path, None, "the file lists no movies")
    return titles, genres


def _read_movies_csv(path: Path) -> tuple[dict, dict]:
    titles, genres = {}, {}
    rows = csv.reader(io.StringIO(_decode(path, "utf-8"), newline=""))
    header = next(rows, None)
    if header is None:
        raise MovieLensFormatError(path, None, "the file is empty")
    if [h.strip() for h in header] != ["movieId", "title", "genres"]:
        raise MovieLensFormatError(path, 1, f"expected the header movieId,title,genres; found {','.join(header)[:80]!r}")
    for row in rows:
        number = rows.line_num
        if not row:
            continue
        if len(row) != 3:
            raise MovieLensFormatError(path, number, f"expected 3 fields (movieId, title, genres), found {len(row)}: "
                                       f"{','.join(row)[:80]!r}")
        if not row[0].strip().isdigit():
            raise MovieLensFormatError(path, number, f"movieId {row[0]!r} is not a whole number >= 0")
        movie = int(row[0])
        titles[movie] = row[1]
        genres[movie] = [] if row[2] == "(no genres listed)" else row[2].split("|")
    return titles, genres


def load_movielens(path=None, duplicates: str = "error") -> Ratings:
    """Load the MovieLens folder found by ``find_movielens(path)`` as ``Ratings``, with titles and genres.

    Every line is checked; a malformed file raises ``MovieLensFormatError`` naming the file and
    the line (see the module docstring for the cases and the announced repairs).
    ``duplicates``: ``"error"`` (default) refuses a (user, item) pair rated twice, naming both
    lines; ``"keep-last"`` keeps the later rating and warns.
    """
    check_choice("duplicates", duplicates, ("error", "keep-last"), hint="'keep-last' keeps the later of two ratings")
    folder = find_movielens(path)
    kind = "ml-100k" if (folder / "u.data").is_file() else "ml-latest"
    fmt = FORMATS[kind]
    ratings_path = folder / fmt["file"]
    movies_path = folder / ("u.item" if kind == "ml-100k" else "movies.csv")
    if not movies_path.is_file():
        raise MovieLensNotFound(f"{movies_path} is missing; the movies file is needed for titles and genres")
    raw_users, raw_items, ratings = _read_ratings_table(ratings_path, fmt)
    titles, genres = _read_u_item(movies_path) if kind == "ml-100k" else _read_movies_csv(movies_path)
    source = f"MovieLens 100k ({folder})" if kind == "ml-100k" else f"MovieLens {folder.name} ({folder})"
    data = Ratings.from_ids(raw_users, raw_items, ratings, scale=fmt["scale"], source=source)
    del raw_users, raw_items, ratings
    data = _drop_duplicates(ratings_path, fmt, data, duplicates)
    data.item_titles = [titles.get(mid, f"movie {mid}") for mid in data.item_ids.tolist()]
    data.item_genres = [genres.get(mid, []) for mid in data.item_ids.tolist()]
    return data


# ------------------------------------------------------------------------------ downloading
class DownloadError(ConnectionError):
    """The download itself failed (HTTP error, timeout, no network); nothing was left behind."""


def _check_name(name, url, sha256) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a data-set name such as 'ml-100k' (got {name!r:.60})")
    if name in KNOWN_ARCHIVES:
        return name
    if url is None or sha256 is None:
        raise ValueError(f"name must be one of {sorted(KNOWN_ARCHIVES)} (got {name!r:.60}): unknown archive; those are the ones whose "
                         "address and checksum the course knows; for another one pass url= and sha256= as well")
    if not SAFE_NAME.match(name) or ".." in name:
        raise ValueError(f"name must be a plain folder name like 'ml-1m' (lowercase letters, digits, '.', '-', '_', "
                         f"starting with 'ml-'); got {name!r:.60}, which could point outside the data folder")
    return name


def _is_link(info: zipfile.ZipInfo) -> bool:
    return (info.external_attr >> 16) & 0o170000 == 0o120000


def _plan_extraction(archive: zipfile.ZipFile, archive_name: str, max_extracted: int, max_entries: int) -> list:
    """Refuse, before writing a byte, an archive with too many entries, too large a declared total,
    a path that leaves the folder, or a link. Returns the members to extract."""
    members = archive.infolist()
    if len(members) > max_entries:
        raise ValueError(f"{archive_name} holds {len(members):,} entries, more than the limit of {max_entries:,} "
                         "(max_entries); a MovieLens archive holds a few dozen. Nothing was extracted")
    total = sum(m.file_size for m in members)
    if total > max_extracted:
        raise ValueError(f"{archive_name} would expand to {total / 2**20:,.0f} MiB, more than the limit of "
                         f"{max_extracted / 2**20:,.0f} MiB (max_extracted_bytes); nothing was extracted. "
                         "A small archive that expands that much is a 'zip bomb', not a data set")
    for m in members:
        parts = Path(m.filename.replace("\\", "/")).parts
        if (m.filename.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", m.filename)
                or any(p.startswith("/") for p in parts[1:])):
            raise ValueError(f"refusing to extract {m.filename!r} from {archive_name}: it would be written outside "
                             "the data folder. Nothing was extracted")
        if _is_link(m):
            raise ValueError(f"refusing to extract {m.filename!r} from {archive_name}: symbolic links are not expected "
                             "in a data archive. Nothing was extracted")
    return members


def _extract(archive: zipfile.ZipFile, members: list, staging: Path, max_extracted: int) -> None:
    """Copy each member into ``staging``, counting the bytes really written (a header can lie about sizes)."""
    written = 0
    for member in members:
        target = staging / member.filename
        if member.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, open(target, "wb") as out:
            while block := source.read(1 << 20):
                written += len(block)
                if written > max_extracted:
                    raise ValueError(f"the archive expands beyond the limit of {max_extracted / 2**20:,.0f} MiB "
                                     "(max_extracted_bytes) although its header said less; nothing was kept")
                out.write(block)


def _same_files(new: Path, old: Path) -> list[str]:
    """Files under ``new`` that are missing or different under ``old`` (relative paths)."""
    differ = []
    for f in sorted(p for p in new.rglob("*") if p.is_file()):
        rel = f.relative_to(new)
        other = old / rel
        if not other.is_file() or other.stat().st_size != f.stat().st_size or other.read_bytes() != f.read_bytes():
            differ.append(str(rel))
    return differ


def _remove_stale(dest: Path, name: str) -> None:
    """Staging folders left by a process that was killed mid-extraction (never seen by the loaders)."""
    for stale in dest.glob(f".{name}.extracting-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in dest.glob(f".{name}.download-*"):
        stale.unlink(missing_ok=True)


def download_movielens(name: str = "ml-100k", dest=None, url: str | None = None, sha256: str | None = None,
                       timeout: float = 60.0, existing: str = "refuse", max_download_bytes: int = MAX_DOWNLOAD_BYTES,
                       max_extracted_bytes: int = MAX_EXTRACTED_BYTES, max_entries: int = MAX_ENTRIES) -> Path:
    """Download an official MovieLens zip, verify it and extract it into ``dest`` (default: the
    repository's ``data/``); returns the extracted folder, ``dest / name``.

    ``name``: one of ``KNOWN_ARCHIVES`` (``url`` and ``sha256`` default to the official ones); any
    other name needs your own ``url`` and ``sha256`` and must be a plain ``ml-...`` folder name.

    What can go wrong, and what is left behind (nothing, in every failing case):

    - **Limits**: more than ``max_download_bytes`` to download, an archive that declares (or
      really expands to) more than ``max_extracted_bytes`` or holds more than ``max_entries``
      entries: refused before the disk fills.
    - **Unsafe members**: a path that leaves ``dest`` (``../x``, ``/etc/x``) or a link: refused.
    - **Network**: an HTTP error, a timeout or no connection raise ``DownloadError`` (a
      ``ConnectionError``) saying what to do; a checksum mismatch or a corrupt archive raise
      ``ValueError``. The partial download is deleted.
    - **Atomic**: the archive is downloaded to a hidden file and extracted into a hidden folder
      beside the target (``.ml-100k.extracting-*``), checked (CRCs, a ratings file present),
      then renamed into place in one step. A process killed half-way leaves only that hidden
      folder, which no loader looks at and the next download removes.
    - **A learner's files are never overwritten**: if ``dest / name`` exists with the same files,
      nothing changes; if its files differ, ``existing="refuse"`` (default) raises
      ``FileExistsError`` listing them, and ``existing="backup"`` renames the old folder to
      ``<name>.backup-<date>-<time>`` first and warns with that name.
    """
    name = _check_name(name, url, sha256)
    dest = check_path("dest", dest if dest is not None else DATA_DIR, hint="the folder to download into")
    if url is not None:
        check_text("url", url)
        if not re.match(r"^https?://[^\s/]+", url):
            raise ValueError(f"url must be an http:// or https:// address (got {url!r:.60})")
    if sha256 is not None:
        check_text("sha256", sha256)
        if not re.fullmatch(r"[0-9a-fA-F]{64}", sha256):
            raise ValueError(f"sha256 must be 64 hexadecimal digits, the archive's SHA-256 checksum (got {sha256!r:.70})")
    timeout = check_positive("timeout", timeout, hint="seconds to wait for the server, e.g. 60")
    if not timeout < 24 * 3600:
        raise ValueError(f"timeout must be < 86400 seconds (got {timeout:g}); try 60")
    check_choice("existing", existing, ("refuse", "backup"), hint="'backup' keeps your folder under a new name")
    max_download_bytes = check_count("max_download_bytes", max_download_bytes)
    max_extracted_bytes = check_count("max_extracted_bytes", max_extracted_bytes)
    max_entries = check_count("max_entries", max_entries)
    if name in KNOWN_ARCHIVES:
        official_url, _size, official_sha256 = KNOWN_ARCHIVES[name]
        url, sha256 = url or official_url, sha256 or official_sha256

    dest.mkdir(parents=True, exist_ok=True)
    _remove_stale(dest, name)
    target = dest / name
    handle, partial_name = tempfile.mkstemp(dir=dest, prefix=f".{name}.download-", suffix=".zip")
    os.close(handle)
    partial = Path(partial_name)
    staging = None
    try:
        _fetch(url, partial, timeout, max_download_bytes, dest, sha256.lower())
        staging = Path(tempfile.mkdtemp(dir=dest, prefix=f".{name}.extracting-"))
        try:
            with zipfile.ZipFile(partial) as archive:
                members = _plan_extraction(archive, f"the archive from {url}", max_extracted_bytes, max_entries)
                _extract(archive, members, staging, max_extracted_bytes)
        except (zipfile.BadZipFile, EOFError) as exc:
            raise ValueError(f"the archive from {url} is corrupt ({exc}), although its checksum matched what was "
                             "given; download it again or check the sha256 you passed. Nothing was extracted") from None
        tops = {Path(m.filename).parts[0] for m in members if Path(m.filename).parts}
        extracted = staging / tops.pop() if len(tops) == 1 and (staging / next(iter(tops))).is_dir() else staging
        if not _is_movielens_dir(extracted):
            raise ValueError(f"the archive from {url} holds no MovieLens ratings file (u.data or ratings.csv); "
                             "nothing was extracted")
        _place(extracted, target, existing)
        return target
    finally:
        partial.unlink(missing_ok=True)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _fetch(url: str, partial: Path, timeout: float, max_bytes: int, dest: Path, sha256: str) -> None:
    by_hand = (f"If you are offline, download it by hand from https://grouplens.org/datasets/movielens/ and unzip it "
               f"into {dest}")
    digest = hashlib.sha256()
    received = 0
    deadline = time.monotonic() + DOWNLOAD_DEADLINE_TIMEOUTS * timeout
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(partial, "wb") as out:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ValueError(f"{url} is {int(declared) / 2**20:,.1f} MiB, more than the limit of "
                                 f"{max_bytes / 2**20:,.1f} MiB (max_download_bytes); nothing was downloaded")
            while chunk := response.read(1 << 16):
                if time.monotonic() > deadline:
                    raise DownloadError(f"could not download {url}: still unfinished after "
                                        f"{DOWNLOAD_DEADLINE_TIMEOUTS * timeout:g} s ({received / 2**20:.1f} MiB received; "
                                        f"the connection is stalling). Try again later. {by_hand}")
                received += len(chunk)
                if received > max_bytes:
                    raise ValueError(f"{url} sent more than the limit of {max_bytes / 2**20:,.1f} MiB "
                                     "(max_download_bytes); the partial download was deleted")
                digest.update(chunk)
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"could not download {url}: the server answered HTTP {exc.code} ({exc.reason}). "
                            f"Check the address, or try again later. {by_hand}") from None
    except (TimeoutError, socket.timeout) as exc:
        raise DownloadError(f"could not download {url}: no answer within {timeout:g} s ({exc}). Try again with a larger "
                            f"timeout=. {by_hand}") from None
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise DownloadError(f"could not download {url}: no answer within {timeout:g} s. Try again with a larger "
                                f"timeout=. {by_hand}") from None
        raise DownloadError(f"could not download {url} ({reason}). {by_hand}") from None
    if digest.hexdigest() != sha256:
        raise ValueError(f"checksum mismatch for {url}: expected SHA-256 {sha256}, got {digest.hexdigest()}. "
                         "The download is corrupt or the file changed upstream; nothing was extracted")


def _place(extracted: Path, target: Path, existing: str) -> None:
    """Rename the verified folder into place, never over a learner's differing files."""
    if target.exists():
        differ = _same_files(extracted, target) if target.is_dir() else [target.name]
        if not differ:
            return                                       # already there, identical: nothing to do
        if existing == "refuse":
            shown = ", ".join(differ[:5]) + (f" and {len(differ) - 5} more" if len(differ) > 5 else "")
            raise FileExistsError(
                f"{target} already exists and differs from the archive ({shown}); nothing was changed. Move it away, "
                "or call download_movielens(..., existing='backup') to keep it under a new name and extract a fresh copy")
        backup = target.with_name(f"{target.name}.backup-{time.strftime('%Y%m%d-%H%M%S')}")
        while backup.exists():
            backup = backup.with_name(backup.name + "-1")
        os.replace(target, backup)
        warnings.warn(f"{target} differed from the archive ({', '.join(differ[:5])}); your folder was kept as {backup}",
                      UserWarning, stacklevel=3)
    os.replace(extracted, target)
