"""The built course site in Chromium with the network cut (every non-localhost request aborted)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pagecheck import (LINKS, ROOT, SCREENSHOTS, SITE, WIDGET_TEXT, OfflinePage, expected_playgrounds, page_problems,
                       playground_classes_built, site_extension, unresolved_links)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _site_pages() -> list[Path]:
    return sorted(p for p in SITE.rglob("*.html") if not {"_static", "_sources", "_images"} & set(p.parts))


def test_every_page_works_offline_and_every_internal_link_resolves(built_site, server_url, site_browser):
    pages = _site_pages()
    names = {p.relative_to(SITE).as_posix() for p in pages}
    assert {"index.html", "teaching.html", "api.html", "search.html"} <= names
    assert {f"notebooks/{nb.stem}.html" for nb in NOTEBOOKS} <= names
    assert len([n for n in names if n.startswith("api/")]) >= 10, "API pages from the docstrings are missing"
    problems = []
    for path in pages:
        label = path.relative_to(SITE).as_posix()
        page = OfflinePage(site_browser)
        try:
            page.page.goto(f"{server_url}/site/html/{label}", wait_until="load")
            problems += page_problems(page, label)
            problems += unresolved_links(page.page.evaluate(LINKS), server_url, built_site, label)
        finally:
            page.close()
    assert not problems, f"{len(problems)} problems on {len(pages)} pages:\n" + "\n".join(problems[:60])


def test_home_page_says_what_the_course_is_and_links_every_notebook(server_url, offline_page):
    page = offline_page.page
    page.goto(f"{server_url}/site/html/index.html", wait_until="load")
    text = page.inner_text("article")
    for phrase in ("rise over run", "make lab", "make test", "teachers", "Who it is for"):
        assert phrase in text, f"home page lacks {phrase!r}"
    rows = page.locator("table.course-notebooks tbody tr")
    assert rows.count() == len(NOTEBOOKS)
    hrefs = page.eval_on_selector_all("table.course-notebooks a", "links => links.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == sorted(f"notebooks/{nb.stem}.html" for nb in NOTEBOOKS)
    assert all(t.strip().startswith("~") for t in page.locator("table.course-notebooks tbody tr td:last-child").all_inner_texts())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=False)
    assert not offline_page.problems()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_notebook_page_has_outputs_toc_playground_pictures_and_folded_solutions(notebook, server_url, offline_page):
    page = offline_page.page
    page.goto(f"{server_url}/site/html/notebooks/{notebook.stem}.html", wait_until="load")
    page.evaluate("async () => window.MathJax && MathJax.startup && MathJax.startup.promise")
    article = page.inner_text("article")
    assert "PASS" in article, "check lines (executed outputs) are missing"
    assert page.locator("article img").count() >= 1, "no figures"
    assert page.locator("mjx-container").count() >= 1, "no rendered math"
    toc = page.locator(".bd-toc-nav a, nav.page-toc a")
    assert toc.count() >= 3, "the page's table of contents is missing"
    # Playgrounds: their static picture and the "live in JupyterLab" line, never widget text.
    pictures = page.locator("figure.course-playground-static")
    assert pictures.count() == expected_playgrounds(notebook)
    for i in range(pictures.count()):
        figure = pictures.nth(i)
        assert figure.locator("img").evaluate("i => i.complete && i.naturalWidth > 200")
        assert "JupyterLab" in figure.locator("figcaption").inner_text()
    assert not WIDGET_TEXT.search(article), f"widget text on the page: {WIDGET_TEXT.search(article).group(0)}"
    # Exercises: the question shows, the solution is folded.
    details = page.locator("article details")
    assert details.count() >= 2
    assert page.evaluate("() => Array.from(document.querySelectorAll('article details')).every(d => !d.open)")
    first = details.first
    assert first.locator("summary").is_visible()
    assert not first.locator(":scope > :not(summary)").first.is_visible(), "a solution shows before it is opened"
    assert "Exercises" in article
    if notebook.name.startswith("01"):
        page.screenshot(path=str(SCREENSHOTS / "notebook-01.png"), full_page=False)
        first.locator("summary").click()
        assert first.evaluate("d => d.open")
    assert not offline_page.problems()


def test_links_between_notebooks_and_into_the_api(server_url, offline_page):
    page = offline_page.page
    page.goto(f"{server_url}/site/html/notebooks/03_backprop_by_hand.html", wait_until="load")
    hrefs = page.eval_on_selector_all("article a", "links => links.map(a => a.getAttribute('href'))")
    assert any(h.startswith("01_finite_differences.html") for h in hrefs), "'notebook 01' in prose is not a link"
    assert any(h.startswith("../api/course_utils.") for h in hrefs), "inline names of course_utils objects do not link to the API"
    page.goto(f"{server_url}/site/html/api/course_utils.finite_diff.html", wait_until="load")
    signature = page.locator("dt.sig[id='course_utils.finite_diff.derivative']")
    assert signature.count() == 1, "the API page documents derivative()"
    assert not offline_page.problems()


def test_search_finds_a_notebook(server_url, offline_page):
    page = offline_page.page
    page.goto(f"{server_url}/site/html/search.html?q=Jacobian", wait_until="load")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=30_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("01_finite_differences" in h for h in hrefs), hrefs
    assert not offline_page.problems()


# Each section of the teacher's page: its h2 title and its text (nested sections included).
TEACHER_SECTIONS = """() => [...document.querySelectorAll('article section')]
  .filter(s => s.querySelector(':scope > h2'))
  .map(s => ({title: s.querySelector(':scope > h2').textContent.trim(), text: s.innerText,
              answers: s.querySelectorAll('.exercise-answers').length}))"""
SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})   # Sphinx's smartquotes
PARTS = ("Self-study time (from the notebook)", "Live:", "Demonstrate:", "Ask the room", "Common mistakes", "Answers")


def test_teachers_page_covers_every_notebook_with_answers(server_url, offline_page):
    """Coverage, not numbers: one section per notebook with the five parts, every playground the
    notebook builds named, and every exercise of the notebook with its question and an answer."""
    page = offline_page.page
    page.goto(f"{server_url}/site/html/teaching.html", wait_until="load")
    sections = page.evaluate(TEACHER_SECTIONS)
    site = site_extension()
    problems = []
    for notebook in NOTEBOOKS:
        number = notebook.stem[:2]
        found = [s for s in sections if s["title"].startswith(f"{number} ·")]
        if len(found) != 1:
            problems.append(f"{number}: {len(found)} sections titled '{number} · ...' on the teacher's page (want 1)")
            continue
        section = found[0]
        section["text"] = section["text"].translate(SMART_QUOTES)
        problems += [f"{number}: no {part!r} part" for part in PARTS if part not in section["text"]]
        problems += [f"{number}: the playground {name} is not named (say what to demonstrate with it)"
                     for name in sorted(playground_classes_built(notebook)) if name not in section["text"]]
        if section["answers"] != 1:
            problems.append(f"{number}: {section['answers']} exercise-answers blocks (want 1)")
        exercises = site.exercises(number)
        if not exercises:
            problems.append(f"{number}: the notebook has no exercises after '## Exercises'")
        for item in exercises:
            if f"Exercise {item['number']}. {item['title']}" not in section["text"]:
                problems.append(f"{number}: exercise {item['number']} ({item['title']}) is missing")
        if section["text"].count("Answer.") != len(exercises):
            problems.append(f"{number}: {section['text'].count('Answer.')} answers for {len(exercises)} exercises")
    assert not problems, "teacher's page:\n" + "\n".join(problems)
    assert not offline_page.problems()
