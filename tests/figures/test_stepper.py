"""plot_step_through (chapter 03): every number it shows is lstm_step's (and Keras's, through lstm_forward's tests);
every vector at its real size; the HTML survives JupyterLab's sanitizer for untrusted outputs; deterministic;
bad input refused. (The browser behaviour, one step at a time, keyboard and phone width: test_stepper_browser.py.)"""

import re
from html.parser import HTMLParser

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_step_through
from lstm_utils.figures.stepper import step_frames

# chapter 03: LSTM(3) on 4 timesteps of 2 features, seed 6
RNG = np.random.default_rng(6)
KERNEL = RNG.uniform(-2, 2, (2, 12)).round(1).astype("float32")
RK = RNG.uniform(-2, 2, (3, 12)).round(1).astype("float32")
BIAS = RNG.uniform(-2, 2, (12,)).round(1).astype("float32")
X = RNG.normal(size=(1, 4, 2)).round(1).astype("float32")

#: JupyterLab 4.6's sanitizer for untrusted HTML outputs (@jupyterlab/apputils Sanitizer, allowedTags)
JUPYTERLAB_TAGS = set(
    "a abbr acronym address area article aside audio b bdi bdo big blockquote br button canvas caption center cite "
    "code col colgroup colspan command data datalist dd del details dfn dir div dl dt em fieldset figcaption figure "
    "font footer form h1 h2 h3 h4 h5 h6 header hgroup hr i img input ins kbd label legend li map mark menu meter "
    "nav nobr ol optgroup option output p pre progress q rowspan s samp section select small source span strike "
    "strong sub summary sup table tbody td textarea tfoot th thead time tr track tt u ul var video wbr".split()
)


class Sections(HTMLParser):
    """Tags used, attributes, and the visible text of each step's <section>, with <style>/<script> dropped as a
    sanitizer drops them."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.sections, self.text = set(), [], [], []
        self._skip = 0
        self._section = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.append((tag, dict(attrs)))
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "section":
            self._section = []

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        if tag == "section":
            self.sections.append(" ".join(self._section))
            self._section = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._section is not None:
            self._section.append(data)


def parsed(fig):
    p = Sections()
    p.feed(fig.html())
    return p


FIG = plot_step_through(X[0], KERNEL, RK, BIAS)


def test_an_html_figure_that_reads_as_its_alt_text():
    assert (
        FIG.kind == "html"
        and FIG._repr_svg_() is None
        and FIG._repr_html_() == FIG.html()
    )
    assert repr(FIG) == f"Figure: {FIG.alt}"
    assert len(FIG.html().encode()) < 60_000


def test_frames_are_lstm_steps_and_match_lstm_forward():
    frames = FIG.frames
    assert len(frames) == 4
    h_seq = lu.lstm_forward(X, KERNEL, RK, BIAS, return_sequences=True)[0]
    np.testing.assert_allclose(np.stack([f["h"] for f in frames]), h_seq, atol=1e-6)
    for t, f in enumerate(frames):
        np.testing.assert_allclose(
            f["z"], f["x_t"] @ KERNEL + f["h_prev"] @ RK + BIAS, atol=1e-6
        )
        assert f["z"].shape == (12,) and all(
            f["gates"][g].shape == (3,) for g in "ifco"
        )
        if t:
            np.testing.assert_array_equal(f["h_prev"], frames[t - 1]["h"])


def test_every_vector_at_its_real_size_with_its_values():
    p = parsed(FIG)
    assert len(p.sections) == 4
    for t, (section, f) in enumerate(zip(p.sections, FIG.frames), start=1):
        assert f"Step {t} of 4" in section
        for name in ("h_prev", "c_prev", "xW", "hU", "z", "c", "h"):
            for v in f[name]:
                assert f"{v:.3f}".replace("-0.000", "0.000") in section, (t, name, v)
        for g in "ifco":
            for v in f["gates"][g]:
                assert f"{v:.3f}" in section
    html = FIG.html()
    # one frame: [x_t | h_t-1] is one row of 2 + 3 cells; each gate table has 5 rows of 3 cells (units)
    first = html[
        html.index('<section class="lu-frame lu-f1"') : html.index("</section>")
    ]
    row = re.search(r"<tr>(<td class=\"lu-x\">.*?)</tr>", first).group(1)
    assert row.count('class="lu-x"') == 2 and row.count('class="lu-h"') == 3
    gate = re.search(r'<table class="lu-gate lu-gf">(.*?)</table>', first).group(1)
    assert gate.count("<tr") == 6 and all(
        r.count("<td>") == 3
        for r in re.findall(r"<tr[^>]*><th scope=\"row\">.*?</tr>", gate)
    )


def test_the_weights_are_shown_once_in_their_gate_blocks():
    html = FIG.html()
    weights = html[html.index("<details open>") :]
    cells = [float(v) for v in re.findall(r"<td>(-?[\d.]+)</td>", weights)]
    blocks = lu.split_gates(np.vstack([KERNEL, RK, BIAS[None]]))
    np.testing.assert_allclose(
        cells, np.concatenate([blocks[g].reshape(-1) for g in lu.GATE_ORDER]), atol=1e-6
    )


def test_survives_jupyterlabs_sanitizer():
    p = parsed(FIG)
    assert p.tags - {"style", "script"} <= JUPYTERLAB_TAGS, p.tags - JUPYTERLAB_TAGS
    assert "svg" not in p.tags
    assert not any(
        "style" in attrs for _, attrs in p.attrs
    )  # no inline styles to be half-filtered
    # the controls are hidden unless the <style> block is there to show them
    for tag, attrs in p.attrs:
        if (
            tag == "input"
            or "lu-bar" in attrs.get("class", "")
            or "lu-nav" in attrs.get("class", "")
        ):
            assert "hidden" in attrs, (tag, attrs)
    # what remains is a worked example: every step in order, every h_t printed
    text = " ".join(p.text)
    assert [int(m) for m in re.findall(r"Step (\d) of 4", text)] == [1, 2, 3, 4]


def test_keyboard_and_screen_reader_hooks():
    p = parsed(FIG)
    radios = [a for tag, a in p.attrs if tag == "input"]
    assert len(radios) == 4 and all(
        a["type"] == "radio" and a["aria-label"] for a in radios
    )
    assert len({a["name"] for a in radios}) == 1 and "checked" in radios[0]
    labels = [a["for"] for tag, a in p.attrs if tag == "label"]
    assert {a["id"] for a in radios} <= set(labels)  # every radio has a visible label
    assert all(
        a.get("aria-label", "").startswith("step ")
        for tag, a in p.attrs
        if tag == "section"
    )


def test_deterministic_and_ids_from_content():
    again = plot_step_through(X[0], KERNEL, RK, BIAS)
    assert again.html() == FIG.html()
    other = plot_step_through(X[0, :3], KERNEL, RK, BIAS)
    ids = set(re.findall(r'id="(lu-st-[0-9a-f]+)"', FIG.html()))
    assert len(ids) == 1 and ids.isdisjoint(
        re.findall(r'id="(lu-st-[0-9a-f]+)"', other.html())
    )


def test_initial_state_and_step_frames_agree():
    h0, c0 = np.full(3, 0.5), np.full(3, -0.2)
    frames = step_frames(X[0], KERNEL, RK, BIAS, [h0, c0])
    h_seq = lu.lstm_forward(
        X, KERNEL, RK, BIAS, return_sequences=True, initial_state=[h0[None], c0[None]]
    )[0]
    np.testing.assert_allclose(np.stack([f["h"] for f in frames]), h_seq, atol=1e-6)


def test_alt_text():
    alt = FIG.alt
    assert "LSTM with 3 units over 4 timesteps of 2 features" in alt
    assert (
        "[[W]; [U]] (5 × 12)" in alt
        and "4 gate blocks i, f, c-tilde, o of 3 each" in alt
    )
    h1 = FIG.frames[0]["h"]
    assert "h_1 = (" + ", ".join(f"{v:.3f}" for v in h1) + ")" in alt


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        (
            (X, KERNEL, RK, BIAS),
            {},
            ValueError,
            r"one sequence, \(timesteps, features\) = \(T, 2\), got shape \(1, 4, 2\).*x\[0\]",
        ),
        ((X[0, :, 0], KERNEL, RK, BIAS), {}, ValueError, r"x must be 2-D"),
        (
            (X[0, :, :1], KERNEL, RK, BIAS),
            {},
            ValueError,
            r"x must have 2 features per step",
        ),
        (
            (np.zeros((9, 2)), KERNEL, RK, BIAS),
            {},
            ValueError,
            r"between 1 and 8 steps, got T = 9",
        ),
        (
            (np.zeros((2, 2)), np.zeros((2, 20)), np.zeros((5, 20)), np.zeros(20)),
            {},
            ValueError,
            r"at most 4 units",
        ),
        (
            (X[0], KERNEL, RK, None),
            {},
            TypeError,
            r"bias must be an array of shape \(4\*units,\).*np.zeros\(12\)",
        ),
        ((X[0], KERNEL.T, RK, BIAS), {}, ValueError, r"PyTorch"),
        (
            (np.full((4, 2), np.nan), KERNEL, RK, BIAS),
            {},
            ValueError,
            r"x must hold finite numbers",
        ),
        (
            (X[0], KERNEL, RK, BIAS),
            {"initial_state": np.zeros(3)},
            TypeError,
            r"initial_state must be a list \[h0, c0\]",
        ),
        (
            (X[0], KERNEL, RK, BIAS),
            {"initial_state": [np.zeros(2), np.zeros(3)]},
            ValueError,
            r"h0 must have shape \(3,\)",
        ),
    ],
)
def test_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_step_through(*args, **kwargs)
