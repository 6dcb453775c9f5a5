"""`grade_all` on a class (class_folder.py): honest work that does odd things, hostile
notebooks, files that are not notebooks. Every file gets its row, the right points
and a reason; the repository is unchanged, no process of theirs is left, nothing is
forged, nothing ends in a traceback.

The class is graded once, sealed off with bubblewrap, and each test reads the result.
(test_grade_all_unsealed.py grades part of it without bubblewrap.)
"""

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from class_folder import write_class
from coursework.sandbox import choose_isolation, fingerprint
from coursework_toy import REPO, TOY_CHECKS

MARK = f"cw-test-escaper-{os.getpid()}"


def tmp_env(root, **extra):
    """The environment for a grade_all run whose temporary folders go to root/tmp
    (which must be empty afterwards)."""
    (root / "tmp").mkdir(parents=True)
    return dict(os.environ, TMPDIR=str(root / "tmp"), **extra)


def git_status():
    try:
        done = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                              cwd=REPO, capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def alive(mark):
    """Processes whose command line holds `mark`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    if mark.encode() in fh.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def run_grade_all(folder, out, *options, env=None):
    command = [sys.executable, "-m", "coursework.grade_all", str(folder),
               "--out", str(out), "--checks", str(TOY_CHECKS), *options]
    start = time.monotonic()
    done = subprocess.run(command, cwd=REPO, capture_output=True, timeout=600,
                          env=env)
    return done, time.monotonic() - start


def read_rows(out):
    with open(out, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if choose_isolation().kind != "bwrap":
        pytest.skip("NO BUBBLEWRAP: the sealed grading cannot run here "
                    "(apt-get install bubblewrap)")
    root = tmp_path_factory.mktemp("class")
    folder, out = root / "submissions", root / "grades.csv"
    expected = write_class(folder, out, MARK)
    before = {"git": git_status(), "files": fingerprint()}
    env = tmp_env(root, CW_TEST_SECRET="the instructor's token")
    done, seconds = run_grade_all(folder, out, "--jobs", "3", "--timeout", "10",
                                  env=env)
    time.sleep(0.5)  # a daemon that survived would now overwrite the gradebook
    return {"done": done, "seconds": seconds, "expected": expected, "out": out,
            "folder": folder, "before": before, "rows": read_rows(out),
            "tmp": root / "tmp"}


def test_every_file_gets_its_row_and_exit_0(graded):
    done = graded["done"]
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    names = [row["file"] for row in graded["rows"]]
    assert len(names) == len(graded["expected"]) == len(set(names))
    assert b"Traceback" not in done.stderr


def shown(name):
    """A file name as the gradebook shows it."""
    from coursework.submission import display_name

    return display_name(name)


def test_right_points_for_every_file(graded):
    rows = {row["file"]: row for row in graded["rows"]}
    wrong = {}
    for name, expected in graded["expected"].items():
        row = rows[shown(name)]
        got = (None if row["score"] == ""
               else tuple(int(row[e]) for e in ("98.1", "98.2", "98.3")))
        if got != expected.points:
            wrong[name] = (expected.why, expected.points, got, row["notes"])
        if expected.note is None:
            assert row["notes"] == "", (name, row["notes"])
        elif expected.note:
            assert expected.note in row["notes"], (name, row["notes"])
        if expected.points is not None:
            assert row["out_of"] == "3" and int(row["score"]) == sum(expected.points)
    assert not wrong


def test_a_reason_for_every_file_not_graded(graded):
    rows = {row["file"]: row for row in graded["rows"]}
    for name in (b"98_half.ipynb", b"98_list.ipynb", b"98_nested.ipynb",
                 b"98_huge.ipynb", b"98_proc.ipynb", b"98_fifo.ipynb",
                 b"homework.ipynb", b"99_unknown.ipynb"):
        assert rows[shown(name)]["notes"].startswith("not graded: "), name
    assert "symbolic link" in rows["98_proc.ipynb"]["notes"]
    assert "2,560 MB" in rows["98_huge.ipynb"]["notes"]
    assert "no chapter 99" in rows["99_unknown.ipynb"]["notes"]


def test_feedback_beside_each_file_one_score_line_no_control_characters(graded):
    folder = os.fsencode(graded["folder"])
    for name, expected in graded["expected"].items():
        path = os.path.join(folder, name[: -len(b".ipynb")] + b".feedback.txt")
        text = Path(os.fsdecode(path)).read_text(encoding="utf-8")
        lines = text.rstrip("\n").split("\n")
        assert lines[0].startswith("Grading "), name
        scores = [line for line in lines if line.startswith("score:")]
        if expected.points is not None:
            assert scores == [lines[-1]] == [f"score: {sum(expected.points)}/3"], name
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text if c != "\n")
        assert "\u202e" not in text and "\u2028" not in text


def test_a_forged_table_stays_inside_its_reason(graded):
    folder = graded["folder"]
    text = (folder / "98_forger.feedback.txt").read_text()
    rows = [line for line in text.splitlines() if line.startswith("98.")]
    assert len(rows) == 3
    assert rows[0] == (
        "98.1      0/1     answer not defined (n_params): the solution cell raised "
        "ValueError: fine \\x1b[2J\\x1b[31mred \\x00 \\u202egnp. 98.1      1/1     "
        "correct")
    assert "UnicodeEncodeError" in rows[1]  # the unpaired surrogate's message
    raw = graded["out"].read_bytes()
    assert b"\x1b" not in raw and b"\r" not in raw
    assert len(list(csv.reader(io.StringIO(raw.decode())))) == len(graded["rows"]) + 1


def test_the_repository_is_unchanged(graded):
    before = graded["before"]
    assert fingerprint() == before["files"]
    if before["git"] is not None:
        assert git_status() == before["git"]
    assert (REPO / "chapters" / "01_one_unit_one_feature.ipynb").exists()
    import site

    assert not any((Path(p) / "00-cw.pth").exists() for p in site.getsitepackages())
    home = Path.home() / ".ipython" / "profile_default" / "startup" / "00-cw.py"
    assert not home.exists()


def test_no_process_of_theirs_is_left_and_the_gradebook_is_the_graders(graded):
    assert alive(MARK) == []
    assert b"forged" not in graded["out"].read_bytes()
    assert not Path("/tmp/cw-test-pickle-trap").exists()


def test_no_command_ran_through_a_file_name(graded):
    for where in (REPO, graded["folder"], Path.cwd()):
        assert not (where / "INJECTED").exists()


def test_no_temporary_folder_is_left(graded):
    assert list(graded["tmp"].iterdir()) == []


def test_the_isolation_held(graded):
    # 98_escaper.ipynb answers 98.1 right only if it saw no network, none of the
    # grader's environment, no other submission, lstm_utils read-only, its own pids.
    rows = {row["file"]: row for row in graded["rows"]}
    assert rows["98_escaper.ipynb"]["98.1"] == "1"
    assert b"WITHOUT ISOLATION" not in graded["done"].stderr


def test_progress_on_stderr(graded):
    err = graded["done"].stderr.decode(errors="replace")
    n = len(graded["expected"])
    assert f"[{n}/{n}]" in err
    assert f"{n} rows in " in err
