"""The website as a reader gets it, in a real browser (Playwright driving the system's Chromium).

Builds the book (incremental, a few seconds), serves it on 127.0.0.1, and reads it in one tab, page after page,
arriving at each page by clicking "next" on the one before. For every page it checks: no console errors, every
image loaded, math rendered by the site's own MathJax, previous/next links; then that "previous" goes back and
search finds `recurrent_kernel`. Saves a screenshot of every chapter under _build/screenshots/.

Then every page again in three views, light and dark at 1280 px and a 390 px phone: axe-core (Deque's rules,
shipped in the axe-playwright-python wheel) finds no serious or critical violation and no content outside a
landmark; at 1280 px every code cell shows 88 columns; at 390 px nothing scrolls the page sideways (code,
outputs, tables and equations scroll in their own box), and _build/screenshots/phone/ gets every chapter. Each
view's findings, every impact, go to _build/axe/<view>.json. Last, a search for a chapter's subject lists that
chapter first. Without a browser these tests are skipped, and the run's summary says so in capitals (see
tests/conftest.py); the home page's picture is checked without one.
"""

import functools
import http.server
import json
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
needs_browser = pytest.mark.skipif(BROWSER is None,
                                   reason="NO BROWSER: install Debian's chromium (apt-get install chromium)")


def toc_pages():
    """Page paths in reading order, from _toc.yml (root first)."""
    text = (ROOT / "_toc.yml").read_text()
    root = re.search(r"^root:\s*(\S+)", text, re.M).group(1)
    return [root] + re.findall(r"^\s*- file:\s*(\S+)", text, re.M)


PAGES = toc_pages()


def page_url(site, k):
    """The address of the k-th page in reading order."""
    return f"{site}/{PAGES[k]}.html"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    # the same build as `make book` (tools/book.py)
    subprocess.run([sys.executable, "-m", "tools.book", "build", str(ROOT), "-W", "-n", "--keep-going", "-q"],
                   check=True, cwd=ROOT, capture_output=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=BROWSER, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def new_tab(browser, **context):
    """A tab whose `errors` collects console errors, page errors and failed requests (`visit` clears it)."""
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(15_000)   # a missing link or a page that never loads fails in seconds
    page.errors = []
    page.on("console", lambda msg: page.errors.append(f"{msg.text} ({msg.location.get('url')})")
            if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico") else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("requestfailed", lambda req: page.errors.append(f"failed to load {req.url}"))
    return page


@pytest.fixture(scope="module")
def tab(browser):
    """One browser tab that reads the book as a reader does: one window, page after page, the site's files cached.

    (A fresh tab per page costs about twice the CPU: a new renderer process and every script parsed again.)"""
    page = new_tab(browser, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


def visit(tab, url, *, via=None):
    """Load `url` in the tab, by clicking the link `via` if given (a reader's click), else by typing the address."""
    tab.errors.clear()
    if via:
        tab.click(via)
        tab.wait_for_url(url, wait_until="load")
    else:
        tab.goto(url, wait_until="load")


@needs_browser
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


@needs_browser
def test_previous_button_goes_back_one_page(site, tab):
    # Every "next" button was clicked above; the "previous" button is clicked once, from the last page.
    if tab.url != page_url(site, -1):
        visit(tab, page_url(site, -1))
    visit(tab, page_url(site, -2), via="a.left-prev")
    assert tab.errors == [], tab.errors


@needs_browser
def test_search_finds_recurrent_kernel(site, tab):
    visit(tab, f"{site}/search.html?q=recurrent_kernel")
    tab.wait_for_selector("ul.search li", timeout=20_000)
    hits = tab.locator("ul.search li a").all_inner_texts()
    assert any("Many units" in h for h in hits), hits
    assert tab.errors == [], tab.errors


# ---------------------------------------------------------------- every page in three views: axe-core, and the fit
# Light and dark at 1280 px (the theme follows the reader's system setting: default_mode auto), and a phone.
VIEWS = {
    "light": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"},
    "dark": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"},
    "phone": {"viewport": {"width": 390, "height": 844}, "color_scheme": "light", "is_mobile": True,
              "has_touch": True},
}
BLOCKING = ("critical", "serious")
AXE_DIR = ROOT / "_build" / "axe"
CODE_COLUMNS = 88

# the widest a code cell's text is, in characters of its own font, and whether it scrolls
CODE_CELLS = """() => [...document.querySelectorAll('div.cell_input pre')].map(pre => {
    const probe = document.createElement('span');
    probe.textContent = 'x'.repeat(%d);
    probe.style.cssText = 'visibility:hidden;position:absolute;white-space:pre';
    pre.appendChild(probe);
    const need = probe.getBoundingClientRect().width;
    probe.remove();
    const style = getComputedStyle(pre);
    const room = pre.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const longest = Math.max(...pre.textContent.split('\\n').map(line => line.length));
    return {room: room, need: need, longest: longest, scrolls: pre.scrollWidth > pre.clientWidth + 1,
            text: pre.textContent.slice(0, 60)};
})""" % CODE_COLUMNS

# boxes wider than the screen's text column must scroll inside themselves
WIDE_BOXES = """() => {
    const boxes = document.querySelectorAll(
        'div.cell_input pre, div.cell_output pre, div.cell_output .output, table, mjx-container[display="true"]');
    return [...boxes].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => {
        let box = e;   // the element itself or an ancestor that scrolls sideways
        while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
        return {tag: e.tagName.toLowerCase(), cls: String(e.className).slice(0, 40), scrolls: Boolean(box),
                right: box ? Math.round(box.getBoundingClientRect().right) : null};
    });
}"""


@pytest.fixture(scope="module")
def view_tabs(browser):
    """One tab per view, opened when first needed; `view_tabs.findings[view][page]` collects axe's results."""
    tabs = {}

    def get(view):
        if view not in tabs:
            tabs[view] = new_tab(browser, **VIEWS[view])
        return tabs[view]

    get.findings = {}
    yield get
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    for view, pages in get.findings.items():
        (AXE_DIR / f"{view}.json").write_text(json.dumps(pages, indent=1, sort_keys=True) + "\n")
    for page in tabs.values():
        page.context.close()


@pytest.fixture(scope="module")
def axe_script():
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def run_axe(tab, axe_script):
    """axe-core over the whole document; the violations as {rule: {"impact", "nodes", "targets", "help"}}."""
    if not tab.evaluate("() => typeof axe !== 'undefined'"):
        tab.evaluate(axe_script)
    result = tab.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return {v["id"]: {"impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"],
                      "targets": [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]}
            for v in result["violations"]}


@needs_browser
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_is_accessible_and_fits(site, view_tabs, axe_script, view, path):
    tab = view_tabs(view)
    visit(tab, f"{site}/{path}.html")
    assert tab.evaluate("() => document.documentElement.dataset.theme") == VIEWS[view]["color_scheme"]
    if tab.locator(".math").count():
        tab.wait_for_function("() => window.MathJax?.startup?.promise && "
                              "document.querySelectorAll('mjx-container').length > 0", timeout=20_000)
        tab.evaluate("() => MathJax.startup.promise")
        # MathJax's assistive MathML: a hidden MathML copy of every formula, for screen readers
        assert tab.locator("mjx-container mjx-assistive-mml").count() == tab.locator("mjx-container").count()

    # the page's own errors; axe's CSS preloading then asks for theme.css's `@import "../basic.css"` relative to
    # the page (a 404 in the console that no reader's browser makes)
    assert tab.errors == [], tab.errors
    found = run_axe(tab, axe_script)
    view_tabs.findings.setdefault(view, {})[path] = found
    blocking = {rule: f["targets"] for rule, f in found.items() if f["impact"] in BLOCKING}
    assert blocking == {}, f"axe-core, {view} view, {path}: {json.dumps(blocking, indent=1)}"
    # content outside every landmark (moderate): fixed by _templates/sections/sidebar-primary.html
    assert "region" not in found, found["region"]["targets"]

    width = VIEWS[view]["viewport"]["width"]
    wide = [box for box in tab.evaluate(WIDE_BOXES) if not box["scrolls"] or box["right"] > width]
    assert wide == [], f"boxes wider than the page that do not scroll inside themselves: {wide}"
    if view == "phone":
        scroll_width = tab.evaluate("() => document.scrollingElement.scrollWidth")
        assert scroll_width <= width, f"the page scrolls sideways at {width} px: {scroll_width} px wide"
        if path.startswith("chapters/"):
            # the top of the page, and each of its first figures, as a reader on a phone sees them
            (SHOTS / "phone").mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(SHOTS / "phone" / f"{Path(path).name}.png"))
            figures = tab.locator("div.cell_output img, div.cell_output svg[role=img], figure img")
            for k in range(min(figures.count(), 3)):
                figures.nth(k).scroll_into_view_if_needed()
                figures.nth(k).screenshot(path=str(SHOTS / "phone" / f"{Path(path).name}-figure-{k + 1}.png"))
    elif view == "light":
        for cell in tab.evaluate(CODE_CELLS):
            assert cell["room"] >= cell["need"], (
                f"a code cell shows {cell['room']:.0f} px, {CODE_COLUMNS} columns need {cell['need']:.0f}: "
                f"{cell['text']!r}")
            assert cell["longest"] > CODE_COLUMNS or not cell["scrolls"], cell


# ---------------------------------------------------------------- search: a chapter first for its own subject
SUBJECTS = {
    "stateful": "chapters/07_stateful",
    "masking": "chapters/06_masking",
    "gradients": "chapters/08_gradients",
    "backward": "chapters/08_gradients",
    "stacking": "chapters/05_stacking",
    "return_sequences": "chapters/04_outputs_and_states",
    "pytorch": "chapters/10_pytorch_and_keras",
    "gru": "chapters/11_gru_and_simple_rnn",
    "bidirectional": "chapters/12_bidirectional",
    "timedistributed": "chapters/13_sequences_in_and_out",
    "adam": "chapters/14_training_by_hand",
}


@needs_browser
@pytest.mark.parametrize("query", list(SUBJECTS))
def test_search_lists_the_subjects_chapter_first(site, tab, query):
    visit(tab, f"{site}/search.html?q={query}")
    tab.wait_for_selector("ul.search li", timeout=20_000)
    # results arrive one by one; the summary line is written once all are listed
    tab.wait_for_function("() => document.querySelector('p.search-summary')?.textContent.trim()", timeout=20_000)
    hrefs = tab.locator("ul.search li > a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) > 1, hrefs     # other pages mention it too: the order is what is tested
    assert hrefs[0].split("#")[0] == f"{SUBJECTS[query]}.html", hrefs[:5]
    assert tab.errors == [], tab.errors


# ---------------------------------------------------------------- the home page's picture (no browser needed)
def test_home_page_picture_is_the_helpers_drawing_with_its_alt_text():
    from tools import step_figure

    assert step_figure.main(["--check"]) == 0, "run python -m tools.step_figure"
    figure = step_figure.figure()
    intro = (ROOT / "intro.md").read_text(encoding="utf-8")
    block = re.search(r"```\{figure\} _static/step_shapes_2x3\.svg\n(.*?)```", intro, re.S)
    assert block, "intro.md shows _static/step_shapes_2x3.svg in a {figure} directive"
    alt = re.search(r"^:alt: (.*)$", block.group(1), re.M)
    assert alt and alt.group(1) == figure.alt
    assert f"{step_figure.FEATURES} features" in figure.alt and f"{step_figure.UNITS} units" in figure.alt
