"""The website as a reader gets it, in a real browser (Playwright driving the system's Chromium).

Builds the book (incremental, a few seconds), serves it on 127.0.0.1, and reads it in one tab, page after page,
arriving at each page by clicking "next" on the one before. For every page it checks: no console errors, every
image loaded, math rendered by the site's own MathJax, previous/next links; then that "previous" goes back and
search finds `recurrent_kernel`. Saves a screenshot of every chapter under _build/screenshots/.
Without a browser these tests are skipped, and the run's summary says so in capitals (see tests/conftest.py).
"""

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_browser():
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


BROWSER = find_browser()
pytestmark = pytest.mark.skipif(BROWSER is None, reason="NO BROWSER: install Debian's chromium (apt-get install chromium)")


def toc_pages():
    """Page paths in reading order, from _toc.yml (root first)."""
    text = (ROOT / "_toc.yml").read_text()
    root = re.search(r"^root:\s*(\S+)", text, re.M).group(1)
    return [root] + re.findall(r"^\s*- file:\s*(\S+)", text, re.M)


PAGES = toc_pages()


def page_url(site, k):
    """The address of the k-th page in reading order."""
    return f"{site}/{PAGES[k]}.html"


@pytest.fixture(scope="module")
def site():
    # the same build as `make book` (tools/book.py)
    subprocess.run([sys.executable, "-m", "tools.book", "build", str(ROOT), "-W", "-n", "--keep-going", "-q"],
                   check=True, cwd=ROOT, capture_output=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(HTML))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def tab(site):
    """One browser tab that reads the book as a reader does: one window, page after page, the site's files cached.

    (A fresh tab per page costs about twice the CPU: a new renderer process and every script parsed again.)
    `tab.errors` collects console errors, page errors and failed requests; `visit` clears it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=BROWSER, args=CHROMIUM_FLAGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(15_000)   # a missing link or a page that never loads fails in seconds
        page.errors = []
        page.on("console", lambda msg: page.errors.append(f"{msg.text} ({msg.location.get('url')})")
                if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico") else None)
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("requestfailed", lambda req: page.errors.append(f"failed to load {req.url}"))
        yield page
        browser.close()


def visit(tab, url, *, via=None):
    """Load `url` in the tab, by clicking the link `via` if given (a reader's click), else by typing the address."""
    tab.errors.clear()
    if via:
        tab.click(via)
        tab.wait_for_url(url, wait_until="load")
    else:
        tab.goto(url, wait_until="load")


@pytest.mark.parametrize("index", range(len(PAGES)), ids=PAGES)
def test_page_loads_clean_with_images_math_and_neighbours(site, tab, index):
    path = PAGES[index]
    # Pages are read in order: arrive at each one with the "next" button of the page before (if the tab is there,
    # which it is unless that page's test failed or was deselected). So every "next" link is clicked once.
    came_from_previous = index > 0 and tab.url == page_url(site, index - 1)
    visit(tab, page_url(site, index), via="a.right-next" if came_from_previous else None)
    has_math = tab.locator(".math").count() > 0
    if has_math:
        tab.wait_for_function("() => document.querySelectorAll('mjx-container').length > 0", timeout=20_000)
        assert tab.locator("mjx-container").count() >= tab.locator(".math").count()
    body = tab.inner_text("article")
    assert "$$" not in body and "\\begin{" not in body, "raw LaTeX left on the page"
    widths = tab.evaluate("() => [...document.images].map(i => [i.currentSrc, i.complete && i.naturalWidth])")
    assert all(w for _, w in widths), f"images that did not load: {[s for s, w in widths if not w]}"
    external = tab.evaluate(
        "() => [...document.querySelectorAll('script[src], link[rel=stylesheet]')]"
        ".map(e => e.src || e.href).filter(u => !u.startsWith(location.origin))")
    assert external == [], f"loaded from another host: {external}"
    # previous/next point at the neighbours in the table of contents
    links = tab.evaluate("() => ({prev: document.querySelector('a.left-prev')?.href ?? null,"
                         " next: document.querySelector('a.right-next')?.href ?? null})")
    assert links["prev"] == (page_url(site, index - 1) if index > 0 else None)
    assert links["next"] == (page_url(site, index + 1) if index + 1 < len(PAGES) else None)
    # one search box: sphinx-book-theme 1.3 also puts one in a top bar of its own unless _config.yml turns it off
    assert tab.locator(".search-button-field:visible").count() == 1
    assert tab.errors == [], tab.errors
    if path.startswith("chapters/"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"{Path(path).name}.png"))


def test_previous_button_goes_back_one_page(site, tab):
    # Every "next" button was clicked above; the "previous" button is clicked once, from the last page.
    if tab.url != page_url(site, -1):
        visit(tab, page_url(site, -1))
    visit(tab, page_url(site, -2), via="a.left-prev")
    assert tab.errors == [], tab.errors


def test_search_finds_recurrent_kernel(site, tab):
    visit(tab, f"{site}/search.html?q=recurrent_kernel")
    tab.wait_for_selector("ul.search li", timeout=20_000)
    hits = tab.locator("ul.search li a").all_inner_texts()
    assert any("Many units" in h for h in hits), hits
    assert tab.errors == [], tab.errors
