"""Reading a submission: whatever file arrives, a notebook's cells or a reason why not.

A submission is read as data, never trusted: it is opened without following a
symbolic link (a link into /proc or to the instructor's files is refused, not read),
only if it is a regular file (a FIFO would block), at most MAX_BYTES of it, as UTF-8,
as JSON of bounded nesting, and as a version-4 notebook whose cells are what Jupyter
writes. Anything else is a reason, in plain words, for the row of the gradebook.

File names are kept as the operating system gives them (str with surrogate escapes
for bytes that are not UTF-8) and shown through `display_name`, which escapes them.
"""

import json
import os
import stat
from dataclasses import dataclass

from . import chapter_of, exercise_of
from .report import clean

MAX_BYTES = 64 * 2**20  # the chapters are under 1 MB; a submission may be 64 MB
CELL_TYPES = {"code", "markdown", "raw"}


@dataclass
class Submission:
    cells: list  # [{"cell_type", "source" (str), "metadata" (dict)}], in order
    exercises: list  # the exercise ids in the cells' metadata, in order of appearance


def display_name(path):
    """A file name as text that is safe to print: undecodable bytes as \\xNN, control
    characters escaped."""
    raw = os.fsencode(path) if not isinstance(path, bytes) else path
    return clean(raw.decode("utf-8", "backslashreplace"), limit=300)


def _read_bytes(path):
    """(bytes, None) or (None, reason): a regular file of at most MAX_BYTES."""
    try:
        info = os.lstat(path)
    except OSError as err:
        return None, f"the file cannot be read ({err.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return None, "the file is a symbolic link; hand in the notebook itself"
    if not stat.S_ISREG(info.st_mode):
        return None, "not a regular file (a folder, a device or a pipe)"
    if info.st_size > MAX_BYTES:
        return None, (
            f"the file is {info.st_size / 2**20:,.0f} MB; a notebook of at most "
            f"{MAX_BYTES // 2**20} MB is graded (clear large outputs and save again)"
        )
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        return None, f"the file cannot be read ({err.strerror})"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced after the lstat
            return None, "not a regular file (a folder, a device or a pipe)"
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        return None, f"the file cannot be read ({err.strerror})"
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        return None, f"the file is larger than {MAX_BYTES // 2**20} MB"
    return b"".join(chunks), None


def _source(value):
    """A cell's source as one string (Jupyter stores it as a string or a list of
    lines), or None if it is neither."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(value)
    return None


def _json_error(err):
    msg = err.msg[:-3] if err.msg.endswith(" at") else err.msg  # "… starting at"
    return clean(f"{msg} at line {err.lineno}, column {err.colno}", limit=120)


def read_submission(path):
    """(Submission, None), or (None, why the file is not a notebook the grader runs)."""
    data, why = _read_bytes(path)
    if why:
        return None, why
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, f"the file is not a notebook (not UTF-8 text: byte {err.start})"
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        return None, f"the file is not valid JSON ({_json_error(err)})"
    except RecursionError:
        return None, "the file is not a notebook (JSON nested too deeply to read)"
    except ValueError as err:  # e.g. a number too long to convert
        return None, f"the file is not valid JSON ({type(err).__name__})"
    not_notebook = "the file is JSON but not a Jupyter notebook"
    if not isinstance(doc, dict):
        return None, f"{not_notebook} (a {type(doc).__name__}, not an object)"
    if doc.get("nbformat") != 4 or not isinstance(doc.get("cells"), list):
        version = doc.get("nbformat")
        if isinstance(version, int) and not isinstance(version, bool) and version < 4:
            return None, (
                f"the notebook is in the old format {version}; open it in JupyterLab "
                "and save it (format 4)"
            )
        return None, f"{not_notebook} (no nbformat 4 and list of cells)"
    cells = []
    for number, cell in enumerate(doc["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in CELL_TYPES:
            return None, f"{not_notebook} (cell {number} is not a notebook cell)"
        source = _source(cell.get("source", ""))
        if source is None:
            return None, f"{not_notebook} (cell {number} has no text source)"
        metadata = cell.get("metadata")
        cells.append({
            "cell_type": cell["cell_type"],
            "source": source,
            "metadata": metadata if isinstance(metadata, dict) else {},
        })
    exercises = []
    for cell in cells:
        eid = exercise_of(cell)
        if eid and eid not in exercises:
            exercises.append(eid)
    return Submission(cells=cells, exercises=exercises), None


def chapter_for(name, chapter_option, submission):
    """The chapter a submission is graded as: --chapter, else the number its file name
    starts with, else the one chapter its cells' `exercise` metadata names; or None."""
    if chapter_option:
        return chapter_option.zfill(2) if chapter_option.isdigit() else chapter_option
    from_name = chapter_of(os.fsdecode(name))
    if from_name:
        return from_name
    if submission is not None:
        prefixes = {eid.split(".")[0] for eid in submission.exercises}
        if len(prefixes) == 1:
            return prefixes.pop()
    return None


def code_cells(submission):
    """[(position from 1, source)] of the code cells that hold something to run."""
    return [
        (position, cell["source"])
        for position, cell in enumerate(submission.cells, start=1)
        if cell["cell_type"] == "code" and cell["source"].strip()
    ]
