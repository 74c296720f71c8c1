"""Real MovieLens data: find it, load either GroupLens format, or download it safely.

Formats:
- ``ml-100k``: ``u.data`` (tab-separated user, item, rating, timestamp) and ``u.item``
  (pipe-separated, **latin-1** encoded: older data sets predate UTF-8, so titles such as
  "Misérables" fail to decode as UTF-8) with 19 genre flags.
- ``ml-latest`` / ``ml-latest-small``: ``ratings.csv`` (userId, movieId, rating, timestamp;
  half stars 0.5-5) and ``movies.csv`` (movieId, title, genres joined by "|"), UTF-8.

Where data is looked for, in order: an explicit path, the ``MOVIELENS_DIR`` environment
variable, then the git-ignored ``data/`` folder at the repository root. Nothing is ever
downloaded unless ``download_movielens`` is called.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .ratings import Ratings

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


class MovieLensNotFound(FileNotFoundError):
    """No MovieLens folder where we looked; the message says where to put one."""


def _is_movielens_dir(path: Path) -> bool:
    return (path / "u.data").is_file() or (path / "ratings.csv").is_file()


def find_movielens(path=None) -> Path:
    """The folder to load: ``path`` if given, else ``$MOVIELENS_DIR``, else ``data/<ml-*>``."""
    candidates = []
    if path is not None:
        path = Path(path).expanduser()
        if _is_movielens_dir(path):
            return path
        raise MovieLensNotFound(f"{path} holds no MovieLens files (expected u.data, or ratings.csv)")
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


def _read(path: Path, what: str, **kwargs) -> pd.DataFrame:
    try:
        return pd.read_csv(path, **kwargs)
    except FileNotFoundError:
        raise MovieLensNotFound(f"{path} is missing; the {what} file is needed") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{path}: cannot parse the {what} file ({exc}). Is it truncated or not a MovieLens file? "
                         "Delete the folder and unzip the original archive again") from None


def _check_columns(df: pd.DataFrame, path: Path, numeric: list) -> None:
    for col in numeric:
        if df[col].isna().any() or not pd.api.types.is_numeric_dtype(df[col]):
            bad = df.index[pd.to_numeric(df[col], errors="coerce").isna()][0]
            raise ValueError(f"{path}: row {bad + 1} has a missing or non-numeric {col!r}; the file looks corrupt")


def load_movielens(path=None) -> Ratings:
    """Load the MovieLens folder found by ``find_movielens(path)`` as ``Ratings``, with titles and genres."""
    folder = find_movielens(path)
    if (folder / "u.data").is_file():
        ratings = _read(folder / "u.data", "ratings", sep="\t", header=None, names=["user", "item", "rating", "time"])
        _check_columns(ratings, folder / "u.data", ["user", "item", "rating"])
        movies = _read(folder / "u.item", "movies", sep="|", header=None, encoding="latin-1")
        if movies.shape[1] != 5 + len(ML100K_GENRES):
            raise ValueError(f"{folder / 'u.item'}: expected {5 + len(ML100K_GENRES)} fields per line, got {movies.shape[1]}")
        titles = dict(zip(movies[0], movies[1]))
        flags = movies.iloc[:, 5:].to_numpy()
        genres = {mid: [g for g, f in zip(ML100K_GENRES, row) if f] for mid, row in zip(movies[0], flags)}
        scale, source = (1.0, 5.0), f"MovieLens 100k ({folder})"
    else:
        ratings = _read(folder / "ratings.csv", "ratings").rename(columns={"userId": "user", "movieId": "item"})
        if not {"user", "item", "rating"} <= set(ratings.columns):
            raise ValueError(f"{folder / 'ratings.csv'}: expected columns userId, movieId, rating; got {list(ratings.columns)}")
        _check_columns(ratings, folder / "ratings.csv", ["user", "item", "rating"])
        movies = _read(folder / "movies.csv", "movies", encoding="utf-8")
        titles = dict(zip(movies["movieId"], movies["title"]))
        genres = {mid: ([] if g == "(no genres listed)" else g.split("|")) for mid, g in zip(movies["movieId"], movies["genres"])}
        scale, source = (0.5, 5.0), f"MovieLens {folder.name} ({folder})"
    data = Ratings.from_ids(ratings["user"].to_numpy(), ratings["item"].to_numpy(), ratings["rating"].to_numpy(dtype=float),
                            scale=scale, source=source)
    data.item_titles = [titles.get(mid, f"movie {mid}") for mid in data.item_ids]
    data.item_genres = [genres.get(mid, []) for mid in data.item_ids]
    return data


def _safe_extract(archive: zipfile.ZipFile, dest: Path) -> None:
    """Extract every member, refusing any whose path would land outside ``dest``."""
    root = dest.resolve()
    for member in archive.infolist():
        target = (root / member.filename).resolve()
        if member.filename.startswith(("/", "\\")) or not target.is_relative_to(root):
            raise ValueError(f"refusing to extract {member.filename!r}: it would be written outside {root}")
        if (member.external_attr >> 16) & 0o170000 == 0o120000:
            raise ValueError(f"refusing to extract {member.filename!r}: symbolic links are not expected in a data archive")
    archive.extractall(root)


def download_movielens(name: str = "ml-100k", dest=None, url: str | None = None, sha256: str | None = None,
                       timeout: float = 60.0) -> Path:
    """Download an official MovieLens zip, verify its SHA-256, extract it safely into ``dest``
    (default: the repository's ``data/``) and return the extracted folder.

    ``url`` and ``sha256`` default to the official archive of ``name``. A checksum mismatch
    deletes the download and raises; so does a member path that escapes ``dest``.
    """
    if url is None or sha256 is None:
        if name not in KNOWN_ARCHIVES:
            raise ValueError(f"unknown archive {name!r}; known: {sorted(KNOWN_ARCHIVES)} (or pass url= and sha256=)")
        official_url, _size, official_sha256 = KNOWN_ARCHIVES[name]
        url, sha256 = url or official_url, sha256 or official_sha256
    dest = Path(dest or DATA_DIR)
    dest.mkdir(parents=True, exist_ok=True)
    partial = dest / f"{name}.zip.part"
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(partial, "wb") as out:
            while chunk := response.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        partial.unlink(missing_ok=True)
        raise ConnectionError(
            f"could not download {url} ({exc}). If you are offline, download it by hand from "
            f"https://grouplens.org/datasets/movielens/ and unzip it into {dest}"
        ) from None
    if digest.hexdigest() != sha256.lower():
        partial.unlink(missing_ok=True)
        raise ValueError(f"checksum mismatch for {url}: expected SHA-256 {sha256}, got {digest.hexdigest()}. "
                         "The download is corrupt or the file changed upstream; nothing was extracted")
    archive_path = dest / f"{name}.zip"
    shutil.move(partial, archive_path)
    with zipfile.ZipFile(archive_path) as archive:
        _safe_extract(archive, dest)
        top = {Path(m).parts[0] for m in archive.namelist() if Path(m).parts}
    folder = dest / (top.pop() if len(top) == 1 else name)
    if not _is_movielens_dir(folder):
        raise ValueError(f"{archive_path} extracted, but {folder} holds no MovieLens ratings file")
    return folder
