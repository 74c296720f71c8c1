"""Malformed MovieLens files: each is a clear error naming the file and the line, or an
announced repair; harmless variants (Windows line endings, BOM, blank lines) load the same."""

import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course_utils.movielens import MovieLensFormatError, MovieLensNotFound, load_movielens

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "userId,movieId,rating,timestamp\n"
MOVIES = 'movieId,title,genres\n10,"American President, The (1995)",Comedy|Drama\n20,Amélie (2001),Comedy|Romance\n' \
         '30,Heat (1995),(no genres listed)\n'
GOOD_ROWS = "1,10,4.0,964982703\n1,20,0.5,964981247\n2,10,3.5,964982224\n2,30,5.0,964983815\n3,20,2.0,964982931\n"
U_ITEM = (FIXTURES / "ml-100k-tiny" / "u.item").read_bytes()
U_DATA = (FIXTURES / "ml-100k-tiny" / "u.data").read_bytes()


def latest(tmp_path, ratings: str | bytes, movies: str | bytes = MOVIES) -> Path:
    folder = tmp_path / "ml-latest-small"
    folder.mkdir(exist_ok=True)
    for name, content in (("ratings.csv", ratings), ("movies.csv", movies)):
        (folder / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return folder


def ml100k(tmp_path, data: str | bytes = U_DATA, items: bytes = U_ITEM) -> Path:
    folder = tmp_path / "ml-100k"
    folder.mkdir(exist_ok=True)
    (folder / "u.data").write_bytes(data.encode() if isinstance(data, str) else data)
    (folder / "u.item").write_bytes(items)
    return folder


def error_of(folder, **kwargs) -> MovieLensFormatError:
    with pytest.raises(MovieLensFormatError) as info:
        load_movielens(folder, **kwargs)
    assert isinstance(info.value, ValueError)
    return info.value


# ------------------------------------------------------------------ whole-file problems
def test_empty_file(tmp_path):
    err = error_of(latest(tmp_path, ""))
    assert err.path.name == "ratings.csv" and err.line is None and "empty (0 bytes)" in str(err)


def test_header_only(tmp_path):
    err = error_of(latest(tmp_path, HEADER))
    assert "no ratings (only a header)" in str(err) and "ratings.csv" in str(err)


@pytest.mark.parametrize("header", ["userId,movieId\n", "userId,movieId,rating,timestamp,extra\n", "1,10,4.0,964982703\n",
                                    "user,item,rating,timestamp\n"])
def test_missing_extra_or_wrong_header_names_line_1(tmp_path, header):
    err = error_of(latest(tmp_path, header + GOOD_ROWS))
    assert err.line == 1 and "expected the header userId,movieId,rating,timestamp" in str(err)


def test_header_without_timestamp_is_accepted(tmp_path):
    d = load_movielens(latest(tmp_path, "userId,movieId,rating\n1,10,4.0\n2,20,3.5\n"))
    assert len(d) == 2 and d.ratings.tolist() == [4.0, 3.5]


# ------------------------------------------------------------------ line-level problems
@pytest.mark.parametrize("bad_line, line, words", [
    ("2,20\n", 4, "expected 4 fields"),                                   # missing columns
    ("2,20,3.0,964982224,99\n", 4, "expected 4 fields"),                  # extra column
    ("2,X,3.0,964982224\n", 4, "row 3 has a missing or non-numeric 'movieId' ('X' is not a number)"),
    ("2,20,,964982224\n", 4, "non-numeric 'rating'"),
    ("2.5,20,3.0,964982224\n", 4, "userId '2.5' is not a whole number"),  # fractional id
    ("-2,20,3.0,964982224\n", 4, "userId '-2' is negative"),              # negative id
    ("2,20,5.5,964982224\n", 4, "ratings must be in [0.5, 5]; this line has 5.5"),
    ("2,20,0,964982224\n", 4, "ratings must be in [0.5, 5]; this line has 0"),
    ("2,20,3.7,964982224\n", 4, "not on the grid of half stars"),
])
def test_bad_line_in_ratings_csv_names_file_and_line(tmp_path, bad_line, line, words):
    rows = GOOD_ROWS.splitlines(keepends=True)
    err = error_of(latest(tmp_path, HEADER + "".join(rows[:2]) + bad_line + "".join(rows[2:])))
    assert err.path.name == "ratings.csv" and err.line == line, str(err)
    assert words in str(err) and f"ratings.csv, line {line}:" in str(err)


def test_line_numbers_count_blank_lines(tmp_path):
    err = error_of(latest(tmp_path, HEADER + "1,10,4.0,1\n\n\n2,X,3.0,2\n"))
    assert err.line == 5


@pytest.mark.parametrize("bad, words", [("2\t3\t3.5\t0\n", "not on the grid of whole stars 1-5 (ml-100k has no half stars)"),
                                        ("2\t3\t6\t0\n", "ratings must be in [1, 5]; this line has 6"),
                                        ("2\t3\t0\t0\n", "ratings must be in [1, 5]")])
def test_ml100k_has_whole_stars_only(tmp_path, bad, words):
    err = error_of(ml100k(tmp_path, U_DATA + bad.encode()))
    assert err.path.name == "u.data" and err.line == 11 and words in str(err)


def test_duplicate_pairs_name_both_lines_or_keep_the_last_with_a_warning(tmp_path):
    folder = latest(tmp_path, HEADER + GOOD_ROWS + "2,10,1.0,964990000\n")
    err = error_of(folder)
    assert err.line == 7 and "user 2 rated item 10 twice (lines 4 and 7)" in str(err) and "keep-last" in str(err)
    with pytest.warns(UserWarning, match="1 duplicate"):
        d = load_movielens(folder, duplicates="keep-last")
    assert len(d) == 5
    row = np.flatnonzero((d.user_ids[d.users] == 2) & (d.item_ids[d.items] == 10))
    assert d.ratings[row].tolist() == [1.0]                              # the later rating
    with pytest.raises(ValueError, match="duplicates must be one of"):
        load_movielens(folder, duplicates="drop")


def test_truncated_last_line_is_an_error_but_a_missing_final_newline_is_not(tmp_path):
    err = error_of(latest(tmp_path, HEADER + GOOD_ROWS + "4,30,4."))
    assert err.line == 7 and "ends in the middle of this line" in str(err) and "cut off" in str(err)
    err = error_of(latest(tmp_path, HEADER + GOOD_ROWS + "4,30"))
    assert err.line == 7
    d = load_movielens(latest(tmp_path, HEADER + GOOD_ROWS.rstrip("\n")))
    assert len(d) == 5
    err = error_of(ml100k(tmp_path, U_DATA + b"5\t3\t4"))
    assert err.path.name == "u.data" and err.line == 11


# ------------------------------------------------------------------ harmless variants load the same
def test_windows_line_endings_bom_and_blank_lines_load_the_same(tmp_path):
    for sub in "abcde":
        (tmp_path / sub).mkdir()
    reference = load_movielens(latest(tmp_path / "a", HEADER + GOOD_ROWS))
    crlf = load_movielens(latest(tmp_path / "b", (HEADER + GOOD_ROWS).replace("\n", "\r\n"), MOVIES.replace("\n", "\r\n")))
    bom = load_movielens(latest(tmp_path / "c", "\ufeff" + HEADER + GOOD_ROWS.replace("\n", "\n\n", 2)))
    for other in (crlf, bom):
        assert np.array_equal(other.users, reference.users) and np.array_equal(other.items, reference.items)
        assert np.array_equal(other.ratings, reference.ratings) and other.item_titles == reference.item_titles
        assert other.item_genres == reference.item_genres
    a = load_movielens(ml100k(tmp_path / "d"))
    b = load_movielens(ml100k(tmp_path / "e", U_DATA.replace(b"\n", b"\r\n"), U_ITEM.replace(b"\n", b"\r\n")))
    assert np.array_equal(a.ratings, b.ratings) and a.item_titles == b.item_titles and a.item_genres == b.item_genres


# ------------------------------------------------------------------ encodings: no mojibake
def test_latin1_title_round_trip_in_u_item(tmp_path):
    title = "Misérables, Les (1995)"
    line = f"2|{title}|01-Jan-1995||http://example.invalid/2|" + "|".join("0" * 14 + "1" + "0" * 4) + "\n"
    items = U_ITEM.replace(U_ITEM.splitlines(keepends=True)[1], line.encode("latin-1"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                                   # the shipped encoding: no warning
        d = load_movielens(ml100k(tmp_path, items=items))
    assert d.item_titles[1] == title and d.item_genres[1] == ["Romance"]


def test_u_item_saved_as_utf8_is_read_as_utf8_with_a_warning(tmp_path):
    items = U_ITEM.decode("latin-1").encode("utf-8")
    with pytest.warns(UserWarning, match="u.item is UTF-8, not latin-1"):
        d = load_movielens(ml100k(tmp_path, items=items))
    assert d.item_titles[1] == "Misérables, Les (1995)" and "Ã" not in "".join(d.item_titles)


def test_movies_csv_in_latin1_is_read_with_a_warning(tmp_path):
    with pytest.warns(UserWarning, match=r"movies.csv is not UTF-8 \(first bad byte on line 3\)"):
        d = load_movielens(latest(tmp_path, HEADER + GOOD_ROWS, MOVIES.encode("latin-1")))
    assert d.item_titles[1] == "Amélie (2001)"


# ------------------------------------------------------------------ movie files
@pytest.mark.parametrize("replace, words", [(b"|0|0|0|0\n", "expected 24 fields"), (b"|0|0|0|0|0\n", "genre flags must be 0 or 1")])
def test_bad_u_item_line_is_named(tmp_path, replace, words):
    lines = U_ITEM.splitlines(keepends=True)
    broken = lines[2][: lines[2].rindex(b"|0|0|0|0|0")] + replace
    if words.startswith("genre"):
        broken = lines[2][:-4] + b"|7\n"
    err = error_of(ml100k(tmp_path, items=b"".join(lines[:2]) + broken))
    assert err.path.name == "u.item" and err.line == 3 and words in str(err)


@pytest.mark.parametrize("movies, line, words", [
    ("movieId,title\n10,x\n", 1, "expected the header movieId,title,genres"),
    ("movieId,title,genres\n10,x,Drama\n20,y\n", 3, "expected 3 fields"),
    ("movieId,title,genres\nten,x,Drama\n", 2, "movieId 'ten' is not a whole number"),
])
def test_bad_movies_csv_line_is_named(tmp_path, movies, line, words):
    err = error_of(latest(tmp_path, HEADER + GOOD_ROWS, movies))
    assert err.path.name == "movies.csv" and err.line == line and words in str(err)


def test_a_title_that_looks_like_a_missing_value_stays_text(tmp_path):
    d = load_movielens(latest(tmp_path, HEADER + "1,10,4.0,1\n", "movieId,title,genres\n10,NA,Drama\n"))
    assert d.item_titles == ["NA"]


def test_missing_movies_file(tmp_path):
    folder = latest(tmp_path, HEADER + GOOD_ROWS)
    (folder / "movies.csv").unlink()
    with pytest.raises(MovieLensNotFound, match="movies.csv is missing"):
        load_movielens(folder)


def test_path_argument_is_checked():
    with pytest.raises(TypeError, match="path must be a path"):
        load_movielens(3)
    with pytest.raises(MovieLensNotFound, match="holds no MovieLens files") as info:
        load_movielens("/nonexistent/folder")
    assert isinstance(info.value, ValueError)


# ------------------------------------------------------------------ same result as the simple loader
def test_fast_loader_matches_pandas_plus_numpy_unique(tmp_path):
    rng = np.random.default_rng(5)
    pairs = rng.choice(300 * 200, size=5000, replace=False)
    frame = pd.DataFrame({"userId": pairs // 200 + 1, "movieId": (pairs % 200) * 7 + 3,
                          "rating": rng.integers(1, 11, 5000) / 2, "timestamp": rng.integers(0, 10**9, 5000)})
    folder = latest(tmp_path, frame.to_csv(index=False), "movieId,title,genres\n" + "".join(
        f"{m},Movie {m},Drama\n" for m in range(3, 1400, 7)))
    d = load_movielens(folder)
    user_ids, users = np.unique(frame["userId"].to_numpy(), return_inverse=True)
    item_ids, items = np.unique(frame["movieId"].to_numpy(), return_inverse=True)
    assert np.array_equal(d.users, users) and np.array_equal(d.items, items) and np.array_equal(d.user_ids, user_ids)
    assert np.array_equal(d.item_ids, item_ids) and np.array_equal(d.ratings, frame["rating"].to_numpy())
    assert d.item_titles[0] == f"Movie {item_ids[0]}"


def _real_data_dir() -> Path | None:
    for candidate in (os.environ.get("MOVIELENS_DIR"), Path(__file__).resolve().parents[2] / "shared" / "data" / "ml-latest-small"):
        if candidate and (Path(candidate) / "ratings.csv").is_file():
            return Path(candidate)
    return None


@pytest.mark.skipif(_real_data_dir() is None, reason="real MovieLens data not present (set MOVIELENS_DIR or ../shared/data)")
def test_real_ml_latest_small_loads_cleanly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = load_movielens(_real_data_dir())
    raw = pd.read_csv(_real_data_dir() / "ratings.csv")
    assert len(d) == len(raw) and d.n_users == raw["userId"].nunique() and d.n_items == raw["movieId"].nunique()
    assert d.scale == (0.5, 5.0) and all(isinstance(t, str) for t in d.item_titles)


@pytest.mark.parametrize("which", ["u.data", "u.item"])
def test_empty_ml100k_files(tmp_path, which):
    folder = ml100k(tmp_path, data=b"" if which == "u.data" else U_DATA, items=b"" if which == "u.item" else U_ITEM)
    err = error_of(folder)
    assert err.path.name == which and ("empty" in str(err) or "lists no movies" in str(err))
