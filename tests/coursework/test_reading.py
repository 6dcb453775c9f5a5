"""Reading a submission (any file: a reason, never an exception) and writing what the
grader reports (one escaped line per text, a CSV no spreadsheet runs). No kernel."""

import csv
import io
import json
import os
import unicodedata

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursework.report import clean, gradebook
from coursework.submission import (MAX_BYTES, chapter_for, display_name,
                                   read_submission)
from coursework_toy import toy_chapter


def write(tmp_path, content, name="03_x.ipynb"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.mark.parametrize("content, reason", [
    (b"\xff\xfe not utf-8", "not a notebook (not UTF-8 text: byte 0)"),
    ('{"cells": [', "not valid JSON (Expecting value at line 1, column 12)"),
    ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply to read"),
    ("[1, 2]", "JSON but not a Jupyter notebook (a list, not an object)"),
    ('"text"', "(a str, not an object)"),
    ('{"nbformat": 3, "worksheets": []}', "in the old format 3; open it in JupyterLab"),
    ('{"nbformat": 4, "cells": {}}', "(no nbformat 4 and list of cells)"),
    ('{"nbformat": 4, "cells": [3]}', "(cell 1 is not a notebook cell)"),
    ('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}',
     "(cell 1 has no text source)"),
    ("1" * 5000, "not valid JSON (ValueError)"),  # longer than int() converts
])
def test_a_file_that_is_not_a_notebook_gets_a_reason(tmp_path, content, reason):
    submission, why = read_submission(write(tmp_path, content))
    assert submission is None
    assert reason in why


def test_links_fifos_folders_and_huge_files_are_not_read(tmp_path):
    (tmp_path / "link.ipynb").symlink_to("/proc/self/environ")
    os.mkfifo(tmp_path / "fifo.ipynb")
    (tmp_path / "dir.ipynb").mkdir()
    with open(tmp_path / "huge.ipynb", "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    assert "symbolic link" in read_submission(tmp_path / "link.ipynb")[1]
    assert "not a regular file" in read_submission(tmp_path / "fifo.ipynb")[1]
    assert "not a regular file" in read_submission(tmp_path / "dir.ipynb")[1]
    assert "a notebook of at most 64 MB" in read_submission(tmp_path / "huge.ipynb")[1]
    assert "cannot be read" in read_submission(tmp_path / "missing.ipynb")[1]


def test_a_notebook_reads_as_its_cells(tmp_path):
    nb = json.loads(nbformat.writes(toy_chapter()))
    nb["cells"][1]["source"] = ["import numpy as np\n", "x = 1"]  # as Jupyter stores
    nb["cells"][2]["metadata"] = "not a dict"
    submission, why = read_submission(write(tmp_path, json.dumps(nb)))
    assert why is None
    assert submission.cells[1]["source"] == "import numpy as np\nx = 1"
    assert submission.cells[2]["metadata"] == {}
    assert submission.exercises == ["98.1", "98.2", "98.3"]


def test_the_chapter_comes_from_option_name_or_cells(tmp_path):
    submission, _ = read_submission(write(tmp_path, nbformat.writes(toy_chapter())))
    assert chapter_for("03_x.ipynb", "5", submission) == "05"
    assert chapter_for("03_x.ipynb", None, submission) == "03"
    assert chapter_for("my homework.ipynb", None, submission) == "98"
    assert chapter_for("my homework.ipynb", None, None) is None
    assert chapter_for(os.fsdecode(b"\xff03.ipynb"), None, None) is None


def test_file_names_are_shown_escaped():
    assert display_name(b"caf\xe9 `x` $(y).ipynb") == "caf\\xe9 `x` $(y).ipynb"
    assert display_name(os.fsdecode(b"a\nb\x1b[31m.ipynb")) == "a b\\x1b[31m.ipynb"


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_clean_gives_one_line_of_visible_characters(text):
    line = clean(text, limit=50)
    assert len(line) <= 50
    assert line == line.strip()
    for ch in line:
        category = unicodedata.category(ch)
        assert category not in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), repr(ch)
        assert category != "Cf" or ch == "\u200d", repr(ch)


def test_clean_keeps_ordinary_text():
    assert clean("c̃ = tanh(z_c) · ✓ 03.2") == "c̃ = tanh(z_c) · ✓ 03.2"
    assert clean("a\nb\r\nc\u2028d") == "a b  c d"
    assert clean("\x1b[2J\u202e\ud800") == "\\x1b[2J\\u202e\\ud800"


def test_the_gradebook_is_escaped_and_runs_no_formula():
    rows = [
        {"file": "=HYPERLINK(\"http://x\")", "points": {"03.1": 1, "03.2": 0},
         "score": 1, "out_of": 3, "notes": ["+cmd", "a,\"b\"\nscore: 3/3"]},
        {"file": "ok.ipynb", "points": {"10.1": 1}, "score": 1, "out_of": 1,
         "notes": []},
        {"file": "-x.ipynb", "points": {}, "score": None, "out_of": None,
         "notes": ["not graded: @why"]},
    ]
    text = gradebook(rows)
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["file", "03.1", "03.2", "10.1", "score", "out_of", "notes"]
    assert table[1] == ["'=HYPERLINK(\"http://x\")", "1", "0", "", "1", "3",
                        "'+cmd | a,\"b\" score: 3/3"]
    assert table[2][:5] == ["ok.ipynb", "", "", "1", "1"]
    assert table[3] == ["'-x.ipynb", "", "", "", "", "", "not graded: @why"]
    assert text.count("\n") == 4
