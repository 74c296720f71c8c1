"""Every reveal.js deck from `make slides` in Chromium with the network cut: it loads, it advances."""

from __future__ import annotations

import pytest
from pagecheck import LINKS, ROOT, SCREENSHOTS, SLIDES, WIDGET_TEXT, expected_playgrounds, page_problems, unresolved_links

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_deck_works_offline_and_advances(notebook, built_site, server_url, offline_page):
    deck = SLIDES / f"{notebook.stem}.slides.html"
    assert deck.is_file(), f"{deck.name} was not built"
    page = offline_page.page
    page.goto(f"{server_url}/slides/{deck.name}", wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    problems = page_problems(offline_page, deck.name)
    problems += unresolved_links(page.evaluate(LINKS), server_url, built_site, deck.name)
    assert not problems, "\n".join(problems)

    total = page.evaluate("() => Reveal.getTotalSlides()")
    assert total >= 10, f"only {total} slides: is the slide metadata missing?"
    assert page.evaluate("() => Reveal.getIndices().h") == 0
    title = page.locator(".reveal .slides > section.present").inner_text()
    assert notebook.stem[:2] in title, "the deck does not open on the notebook's title slide"
    if notebook.name.startswith("01"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "slide-01-title.png"))
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => Reveal.getIndices().h === 1", timeout=10_000)
    page.keyboard.press("ArrowDown")              # a section's next subslide
    page.wait_for_function("() => Reveal.getIndices().h === 1 && Reveal.getIndices().v === 1", timeout=10_000)
    if notebook.name.startswith("01"):
        page.screenshot(path=str(SCREENSHOTS / "slide-01-section.png"))

    text = page.evaluate("() => document.querySelector('.reveal .slides').textContent")
    assert "PASS" in text, "check lines (executed outputs) are missing from the deck"
    assert not WIDGET_TEXT.search(text), f"widget text in the deck: {WIDGET_TEXT.search(text).group(0)}"
    pictures = page.locator("figure.course-playground-static")
    assert pictures.count() == expected_playgrounds(notebook)
    assert all(pictures.nth(i).locator("img").evaluate("i => i.complete && i.naturalWidth > 200")
               for i in range(pictures.count()))
    assert page.evaluate("() => Array.from(document.querySelectorAll('.reveal details')).every(d => !d.open)")
    assert page.locator(".reveal details").count() >= 2, "the solutions are missing"
    assert not offline_page.problems()
