"""The figures in a real browser at a phone's width (Playwright driving the system's Chromium, as tests/browser does):
the step-through shows one step at a time, follows its labels, the keyboard and Play, never overflows a 390 px
screen, and degrades to a worked example when JupyterLab's sanitizer strips its <style>; every SVG figure loads
as an <img> and fits the 342 px output column. Skipped without a browser (the run's summary says so in capitals)."""

import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import lstm_utils as lu

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_browser():
    for candidate in (
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


BROWSER = find_browser()
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="NO BROWSER: install Debian's chromium (apt-get install chromium)",
)

RNG = np.random.default_rng(6)
KERNEL = RNG.uniform(-2, 2, (2, 12)).round(1).astype("float32")
RK = RNG.uniform(-2, 2, (3, 12)).round(1).astype("float32")
BIAS = RNG.uniform(-2, 2, (12,)).round(1).astype("float32")
X = RNG.normal(size=(1, 4, 2)).round(1).astype("float32")
PAGE = (
    "<!doctype html><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
    "<body style='margin:16px'>{}</body>"
)


@pytest.fixture(scope="module")
def phone():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=BROWSER, args=CHROMIUM_FLAGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.set_default_timeout(10_000)
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on(
            "console",
            lambda m: page.errors.append(m.text) if m.type == "error" else None,
        )
        yield page
        browser.close()


def visible_steps(page):
    return page.eval_on_selector_all(
        "section.lu-frame",
        "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => e.getAttribute('aria-label'))",
    )


def test_one_step_at_a_time_by_label_keyboard_and_play(phone):
    html = lu.figures.plot_step_through(X[0], KERNEL, RK, BIAS).html()
    phone.set_content(PAGE.format(html))
    assert visible_steps(phone) == ["step 1 of 4"]
    phone.click(".lu-bar label >> text='3'")
    assert visible_steps(phone) == ["step 3 of 4"]
    phone.click("section.lu-f3 .lu-nav label >> text=/step 4/")
    assert visible_steps(phone) == ["step 4 of 4"]
    phone.focus("input.lu-r:checked")
    phone.keyboard.press("ArrowLeft")
    assert visible_steps(phone) == ["step 3 of 4"]
    phone.click(
        "button.lu-play"
    )  # the script's Play button: from step 3 to step 4 at once
    assert visible_steps(phone) == ["step 4 of 4"]
    assert phone.errors == []


def test_fits_a_phone_with_legible_text(phone):
    html = lu.figures.plot_step_through(X[0], KERNEL, RK, BIAS).html()
    phone.set_content(PAGE.format(html))
    for k in range(1, 5):
        phone.click(f".lu-bar label >> text='{k}'")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    smallest = phone.evaluate("""() => Math.min(...[...document.querySelectorAll('.lu-step *')]
        .filter(e => e.offsetParent !== null && e.childNodes.length && [...e.childNodes].some(
            n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    assert smallest >= 11


def test_sanitized_it_is_a_worked_example(phone):
    # JupyterLab's untrusted view: no <style>, no <script>; inputs disabled, `hidden` kept
    html = lu.figures.plot_step_through(X[0], KERNEL, RK, BIAS).html()
    stripped = re.sub(r"<(style|script)>.*?</\1>", "", html, flags=re.S)
    phone.set_content(PAGE.format(stripped))
    assert visible_steps(phone) == [f"step {k} of 4" for k in range(1, 5)]
    assert (
        phone.eval_on_selector_all(
            "input, .lu-bar, .lu-nav", "els => els.filter(e => e.offsetParent).length"
        )
        == 0
    )


def figures():
    F = lu.figures
    rng = np.random.default_rng(0)
    gates = {
        g: rng.uniform(0.1, 0.9, (5, 3)) if g != "c" else rng.uniform(-0.9, 0.9, (5, 3))
        for g in "ifco"
    }
    return [
        F.plot_lstm_cell(),
        F.plot_unrolled_chain([1, 2, 3, 4], [0.1] * 4, [0.2] * 4),
        F.plot_step_shapes(2, 3),
        F.plot_weight_heatmap(KERNEL, RK, BIAS),
        F.plot_feature_mixing([0.5, -1.0], KERNEL[:, ::3]),
        F.plot_unit_wiring(RK),
        F.plot_gate_activations(gates),
        F.plot_states_over_time(gates["i"], gates["c"] * 2),
        F.plot_stack_wiring([4, 6], 5),
        F.plot_wide_vs_stacked([4, 6], 8, 5),
        F.plot_masked_trace([1, 1, 0], gates["o"][:3]),
        F.plot_stateful_batches(2, 4, 2),
        F.plot_gradient_norms({"a": [1e-3, 1e-2, 1.0]}),
        F.plot_backward_roads(),
        F.plot_gru_cell(),
    ]


def test_every_svg_loads_and_fits_the_phone_column(phone):
    import base64

    imgs = "".join(
        f'<img style="max-width:100%;height:auto;display:block" alt="" src="data:image/svg+xml;base64,'
        f'{base64.b64encode(f.svg().encode()).decode()}">'
        for f in figures()
    )
    phone.set_content(PAGE.format(f"<div style='width:342px'>{imgs}</div>"))
    phone.wait_for_load_state("load")
    sizes = phone.eval_on_selector_all(
        "img", "els => els.map(e => [e.complete, e.naturalWidth, e.width])"
    )
    assert all(
        done and natural > 0 and width <= 342 for done, natural, width in sizes
    ), sizes
