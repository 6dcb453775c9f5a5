"""nbval compares stored image/svg+xml and text/html outputs byte for byte, so every figure must be the same bytes
when drawn again, in this process and in a fresh one with another hash seed. Also: every chapter figure keeps the
contract (legible, accessible), and no text leaves its drawing."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chapter_figures import chapter_figures
from figure_contract import assert_svg_figure

HERE = Path(__file__).resolve().parent


class Drawn(dict):
    overflows = ()


@pytest.fixture(scope="module")
def drawn():
    """The chapter figures, drawn once; the texts whose estimated extent leaves their diagram go in .overflows."""
    from lstm_utils.figures import _svg

    overflows = []
    original = _svg.Svg.render

    def render(self):
        overflows.extend((self.title, text) for text in self.overflows)
        return original(self)

    _svg.Svg.render = render
    try:
        figures = chapter_figures()
    finally:
        _svg.Svg.render = original
    figures = Drawn(figures)
    figures.overflows = overflows
    return figures


def digest(fig):
    return hashlib.sha256(fig.html().encode()).hexdigest()


def test_every_chapter_figure_keeps_the_contract(drawn):
    assert len(drawn) == 20  # 17 in chapters 01-08, 2 in 11, 1 in 12
    for name, fig in drawn.items():
        if fig.kind == "svg":
            assert_svg_figure(fig)
        assert fig.alt and repr(fig) == f"Figure: {fig.alt}", name


def test_drawn_twice_the_same_bytes(drawn):
    again = chapter_figures()
    assert {n: digest(f) for n, f in again.items()} == {
        n: digest(f) for n, f in drawn.items()
    }


def test_a_fresh_process_draws_the_same_bytes(drawn):
    env = dict(os.environ, PYTHONHASHSEED="12345", MPLBACKEND="agg")
    out = subprocess.run(
        [sys.executable, str(HERE / "chapter_figures.py")],
        capture_output=True,
        text=True,
        env=env,
        cwd=HERE,
        check=True,
    ).stdout
    fresh = dict(line.rsplit(" ", 1) for line in out.strip().splitlines())
    assert fresh == {n: digest(f) for n, f in drawn.items()}


def test_no_text_leaves_its_drawing(drawn):
    # The hand-built diagrams estimate each text's width (generously, for DejaVu Sans) and record overflows.
    assert drawn.overflows == []
