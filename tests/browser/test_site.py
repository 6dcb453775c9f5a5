"""The website as a reader gets it, in a real browser (Playwright driving the system's Chromium).

Builds the book (incremental, a few seconds), serves it on 127.0.0.1, and for every page checks: no console
errors, every image loaded, math rendered by the site's own MathJax, previous/next links; then that search
finds `recurrent_kernel`. Saves a screenshot of every chapter under _build/screenshots/.
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


@pytest.fixture(scope="module")
def site():
    subprocess.run([str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "-W", "-n", "--keep-going", "-q"],
                   check=True, cwd=ROOT, capture_output=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(HTML))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=BROWSER, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda msg: errors.append(f"{msg.text} ({msg.location.get('url')})")
            if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico") else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"failed to load {req.url}"))
    page.goto(url, wait_until="load")
    return page, errors


@pytest.mark.parametrize("index", range(len(PAGES)), ids=PAGES)
def test_page_loads_clean_with_images_math_and_neighbours(site, browser, index):
    path = PAGES[index]
    page, errors = open_page(browser, f"{site}/{path}.html")
    try:
        has_math = page.locator(".math").count() > 0
        if has_math:
            page.wait_for_function("() => document.querySelectorAll('mjx-container').length > 0", timeout=20_000)
            assert page.locator("mjx-container").count() >= page.locator(".math").count()
        body = page.inner_text("article")
        assert "$$" not in body and "\\begin{" not in body, "raw LaTeX left on the page"
        widths = page.evaluate("() => [...document.images].map(i => [i.currentSrc, i.complete && i.naturalWidth])")
        assert all(w for _, w in widths), f"images that did not load: {[s for s, w in widths if not w]}"
        external = page.evaluate(
            "() => [...document.querySelectorAll('script[src], link[rel=stylesheet]')]"
            ".map(e => e.src || e.href).filter(u => !u.startsWith(location.origin))")
        assert external == [], f"loaded from another host: {external}"
        # previous/next point at the neighbours in the table of contents (each of those pages is loaded by its own test)
        links = page.evaluate("() => ({prev: document.querySelector('a.left-prev')?.href ?? null,"
                              " next: document.querySelector('a.right-next')?.href ?? null})")
        assert links["prev"] == (f"{site}/{PAGES[index - 1]}.html" if index > 0 else None)
        assert links["next"] == (f"{site}/{PAGES[index + 1]}.html" if index + 1 < len(PAGES) else None)
        assert errors == [], errors
        if path.startswith("chapters/"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{Path(path).name}.png"))
    finally:
        page.close()


def test_clicking_next_and_previous(site, browser):
    # The links are checked on every page above; here the buttons are clicked once, there and back.
    page, _ = open_page(browser, f"{site}/{PAGES[1]}.html")
    try:
        page.click("a.right-next")
        page.wait_for_url(f"{site}/{PAGES[2]}.html")
        page.click("a.left-prev")
        page.wait_for_url(f"{site}/{PAGES[1]}.html")
    finally:
        page.close()


def test_search_finds_recurrent_kernel(site, browser):
    page, errors = open_page(browser, f"{site}/search.html?q=recurrent_kernel")
    try:
        page.wait_for_selector("ul.search li", timeout=20_000)
        hits = page.locator("ul.search li a").all_inner_texts()
        assert any("Many units" in h for h in hits), hits
        assert errors == [], errors
    finally:
        page.close()
