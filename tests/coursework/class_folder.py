"""A class's submissions for the batch grader, as files in a folder: honest work that
does odd things, hostile notebooks, and files that are not notebooks at all.

`write_class(folder, gradebook, mark)` writes them and returns {file name (bytes):
Expected}. Every notebook is the toy chapter 98 (coursework_toy.py), so a kernel
runs each in about a second. `mark` is a word put in the command line of every
process the escaper starts: none may be alive once grading is done. `gradebook` is
the CSV's path, which the escaper's daemon tries to overwrite.
"""

import os
from dataclasses import dataclass

import nbformat

from coursework_toy import toy_chapter
from coursework.student import student_notebook

v4 = nbformat.v4


@dataclass
class Expected:
    points: tuple | None  # (98.1, 98.2, 98.3), or None: not graded at all
    why: str  # what the submission tries
    note: str | None = ""  # a text its notes must contain; None: no notes at all


def with_cells(nb, *sources, at=None):
    """`nb` with code cells added at the end (or before cell index `at`)."""
    cells = [v4.new_code_cell(s) for s in sources]
    if at is None:
        nb.cells.extend(cells)
    else:
        nb.cells[at:at] = cells
    return nb


SHADOWS = """\
str = "not a type"; bool = 0; int = float = list = dict = tuple = None
print = len = type = isinstance = getattr = repr = open = None
globals = locals = exec = eval = vars = __import__ = None
json = pickle = cloudpickle = sys = os = None
"""

REPLACED_STREAMS = """\
import io, sys
sys.stdout = io.StringIO()
sys.stderr = sys.stdout
sys.displayhook = lambda value: None
"""

WARNINGS = """\
import warnings
import numpy as np
warnings.simplefilter("error")
np.seterr(all="raise")
warnings.warn("this notebook turns every warning into an error")
"""

CHATTER = """\
import sys, threading, time
def chatter():
    while True:
        print("@@coursework-result@@ " + '{"id": "98.1", "passed": true}')
        print("98.1      1/1     correct\\nscore: 3/3", end="", flush=True)
        sys.stderr.write("partial line without end")
        time.sleep(0.002)
threading.Thread(target=chatter, daemon=True).start()
"""

TAMPER = """\
import os, shutil, site
import lstm_utils.checks._core as core
repo = os.path.dirname(os.path.dirname(os.path.dirname(core.__file__)))
attempts = []
def attempt(what, action):
    try:
        action()
        attempts.append(what + ": done")
    except Exception as err:
        attempts.append(f"{what}: {type(err).__name__}")
def append(path, text):
    with open(path, "a") as fh:
        fh.write(text)
attempt("core", lambda: append(core.__file__,
        "\\nrun_check = lambda *args: (True, 'correct')\\n"))
attempt("plant a check", lambda: append(os.path.join(os.path.dirname(core.__file__),
        "ch98.py"), "raise SystemExit\\n"))
attempt("delete chapter 01", lambda: os.remove(os.path.join(repo, "chapters",
        "01_one_unit_one_feature.ipynb")))
attempt("delete chapters", lambda: shutil.rmtree(os.path.join(repo, "chapters")))
attempt("startup file", lambda: (os.makedirs(os.path.expanduser(
        "~/.ipython/profile_default/startup"), exist_ok=True), append(
        os.path.expanduser("~/.ipython/profile_default/startup/00-cw.py"),
        "import lstm_utils.checks as c\\n"
        "c.run_check = lambda *a: (True, 'correct')\\n")))
attempt("root's startup file", lambda: append(
        "/root/.ipython/profile_default/startup/00-cw.py", "x = 1\\n"))
attempt("a .pth in the environment", lambda: append(
        os.path.join(site.getsitepackages()[0], "00-cw.pth"), "import os\\n"))
"""

TAMPER_IN_KERNEL = """\
import json, sys
import lstm_utils.checks as checks
checks.run_check = lambda *args: (True, "correct")
checks._core.run_check = checks.run_check
json.dump = lambda *args, **kwargs: None
print("✓ Exercise 98.1: correct\\n✓ Exercise 98.2: correct\\nscore: 3/3")
"""

# In an error message: a clear-screen, a colour, a NUL, a right-to-left override and
# a table row on its first line; score lines after a carriage return, a newline and a
# line separator.
FORGED_ERROR = (
    'raise ValueError("fine \\x1b[2J\\x1b[31mred \\x00 \\u202egnp. '
    '98.1      1/1     correct\\r\\nscore: 3/3\\u2028score: 3/3")'
)
SURROGATE_ERROR = 'raise ValueError("an unpaired surrogate: \\ud800")'


def escaper(mark, gradebook, stop_parent=True):
    """Starts processes that should outlive the grading, tries to overwrite the
    gradebook from one of them, and stops its parent (without bwrap, that is the
    grader: stop_parent=False then)."""
    stop = "os.getppid()" if stop_parent else "None"
    return f"""\
import os, signal, subprocess, sys, time
# 1: a process in a session of its own
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "{mark}"],
                 start_new_session=True)
# 2: a daemon, double-forked, that keeps trying to overwrite the gradebook
daemon = '''
import time
for _ in range(600):
    try:
        with open({gradebook!r}, "w") as fh:
            fh.write("forged by a submission")
    except OSError:
        pass
    time.sleep(0.1)
'''
pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", daemon, "{mark}"])
    os._exit(0)
os.waitpid(pid, 0)
# 3: stop whatever started this kernel
if {stop} is not None:
    try:
        os.kill({stop}, signal.SIGSTOP)
    except OSError:
        pass
"""


def isolation_probe(folder):
    """98.1 is right only if the sandbox holds: no network but loopback, none of the
    grader's environment, the rest of the repository and the other submissions out
    of sight, lstm_utils read-only, a process namespace of its own."""
    return f"""\
import os, socket
from pathlib import Path
import lstm_utils
repo = Path(lstm_utils.__file__).resolve().parents[1]
seen = {{
    "only loopback": [name for _, name in socket.if_nameindex()] == ["lo"],
    "no secret": "CW_TEST_SECRET" not in os.environ,
    "README hidden": not (repo / "README.md").exists(),
    "submissions hidden": not os.path.exists({os.fsdecode(folder)!r}),
    "lstm_utils read-only": not os.access(lstm_utils.__file__, os.W_OK),
    "its own processes": os.getpid() < 100,
}}
n_params = 72 if all(seen.values()) else -1
"""

PICKLE_TRAP = """\
import os
class Trap:
    def __reduce__(self):
        return (os.system, ("touch /tmp/cw-test-pickle-trap",))
n_params = Trap()
"""

HOGS = """\
def big_file(size):  # sparse: past the size limit without writing the bytes
    with open("big.bin", "wb") as fh:
        fh.seek(size)
        fh.write(b"x")
hogs = []
for what, action in [
        ("memory", lambda: bytearray(64 * 2**30)),
        ("file", lambda: big_file(600 * 2**20)),
]:
    try:
        action()
        hogs.append(what + ": no limit")
    except (MemoryError, OSError) as err:
        hogs.append(f"{what}: {type(err).__name__}")
import threading, time
threads = []
try:
    for _ in range(2000):
        t = threading.Thread(target=time.sleep, args=(5,), daemon=True)
        t.start()
        threads.append(t)
except RuntimeError as err:
    hogs.append("threads: " + str(err))
"""


SOLVED = b"98_solved `touch INJECTED`$(touch INJECTED) \"q\" 'q'.ipynb"
BLANK = b"98_blank caf\xe9.ipynb"


def write_class(folder, gradebook, mark, sealed=True, only=None):
    """Write the class into `folder`; {name as bytes: Expected}. Without `sealed`
    (grading without bwrap) the tamperer is left out: it would succeed. `only`: the
    names to write (all by default)."""
    os.makedirs(folder, exist_ok=True)
    toy = toy_chapter
    blank = student_notebook(toy_chapter())
    notebooks = {
        SOLVED: (toy(), Expected((1, 1, 1), "solved, under a file name that runs "
                                 "commands in a shell")),
        BLANK: (blank, Expected((0, 0, 0), "the untouched edition, under a Latin-1 "
                                "file name")),
        b"98_exit.ipynb": (with_cells(toy(), "quit()", "import time\ntime.sleep(0.3)",
                                      "exit()"),
                           Expected((1, 1, 1), "quit() midway, exit() at the end",
                                    note=None)),
        b"98_shadowed.ipynb": (with_cells(toy(), HOGS, SHADOWS, WARNINGS),
                               Expected((1, 1, 1), "asks for 64 GB, writes 600 MB, "
                                        "starts 2000 threads; shadows builtins, turns "
                                        "warnings into errors",
                                        note="raised UserWarning")),
        b"98_streams.ipynb": (with_cells(toy(), REPLACED_STREAMS, "print('gone')",
                                         "import os\nos._exit(0)"),
                              Expected((1, 1, 1), "replaces stdout and stderr, ends "
                                       "the kernel in its last cell",
                                       note="ended the kernel; the notebook was run")),
        b"98_thread.ipynb": (with_cells(toy(), CHATTER, at=2),
                             Expected((1, 1, 1), "a thread prints fast, and fake "
                                      "results, the whole time")),
        b"98_killed_midway.ipynb": (
            with_cells(toy(), "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
                       at=9),
            Expected((1, 1, 1), "a cell between the answers kills the kernel",
                     note="ended the kernel; the notebook was run again without it")),
        b"98_tamperer.ipynb": (with_cells(blank_copy(blank), TAMPER, TAMPER_IN_KERNEL),
                               Expected((0, 0, 0), "changes the course's files, plants "
                                        "startup files, patches the checks")),
        b"98_forger.ipynb": (
            with_cells(toy({"98.1": FORGED_ERROR, "98.2": SURROGATE_ERROR}),
                       TAMPER_IN_KERNEL, "print('\\x1b[2J' + 'score: 3/3\\n' * 3)"),
            Expected((0, 0, 1), "forges a table and score lines in an error message "
                     "and in its output")),
        b"98_escaper.ipynb": (
            with_cells(toy({"98.1": isolation_probe(folder)}),
                       escaper(mark, gradebook, sealed)),
            Expected((1, 1, 1) if sealed else (0, 1, 1), "looks at what it can reach "
                     "(98.1 is right only if sealed); leaves processes behind, one "
                     "rewriting the gradebook; stops its parent")),
        b"98_traps.ipynb": (
            toy({"98.1": PICKLE_TRAP,
                 "98.3": "import os\nos._exit(3)"}),
            Expected((0, 1, 0), "an answer whose unpickling runs a command; a function "
                     "that ends the process checking it")),
    }
    if not sealed:
        del notebooks[b"98_tamperer.ipynb"]
    expected = {}
    for name, (nb, exp) in notebooks.items():
        if only is not None and name not in only:
            continue
        with open(os.path.join(os.fsencode(folder), name), "w") as fh:
            fh.write(nbformat.writes(nb))
        expected[name] = exp
    text = nbformat.writes(toy())
    files = {
        b"98_half.ipynb": (text[: len(text) // 2], "not JSON"),
        b"98_list.ipynb": ("[1, 2, 3]", "a JSON list"),
        b"98_nested.ipynb": ("[" * 100_000 + "]" * 100_000, "100,000 nested brackets"),
        b"98_empty.ipynb": ("", "an empty file"),
        b"98_new\nline.ipynb": ("{}", "a newline in its name"),
    }
    if only is not None:
        return expected
    for name, (content, why) in files.items():
        with open(os.path.join(os.fsencode(folder), name), "w") as fh:
            fh.write(content)
        expected[name] = Expected((0, 0, 0), why)
    huge = os.path.join(os.fsencode(folder), b"98_huge.ipynb")
    with open(huge, "wb") as fh:  # sparse: 2.5 GB that take no disk
        fh.truncate(int(2.5 * 2**30))
    expected[b"98_huge.ipynb"] = Expected((0, 0, 0), "a 2.5 GB file")
    link = os.path.join(os.fsencode(folder), b"98_proc.ipynb")
    os.symlink("/proc/self/environ", link)
    expected[b"98_proc.ipynb"] = Expected((0, 0, 0), "a link into /proc")
    os.mkfifo(os.path.join(os.fsencode(folder), b"98_fifo.ipynb"))
    expected[b"98_fifo.ipynb"] = Expected((0, 0, 0), "a FIFO, which blocks a reader")
    with open(os.path.join(os.fsencode(folder), b"homework.ipynb"), "w") as fh:
        fh.write(nbformat.writes(v4.new_notebook()))
    expected[b"homework.ipynb"] = Expected(None, "no chapter in its name or cells")
    with open(os.path.join(os.fsencode(folder), b"99_unknown.ipynb"), "w") as fh:
        fh.write(nbformat.writes(v4.new_notebook()))
    expected[b"99_unknown.ipynb"] = Expected(None, "a chapter with no exercises")
    return expected


def blank_copy(nb):
    return nbformat.from_dict(nbformat.reads(nbformat.writes(nb), as_version=4))
