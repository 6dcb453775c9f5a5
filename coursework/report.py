"""Reporting: a reason per exercise, the feedback table, the CSV gradebook.

Every piece of text that reaches a table or the CSV goes through `clean` first: file
names, exception messages, hints. Whatever a submission raises or is called, it
cannot add a line, colour the terminal or start a spreadsheet formula: a newline is a
space, other control characters (the escape of an ANSI code), unpaired surrogates and
invisible format characters (bidirectional overrides) are written as escapes.
Only the grader writes the table and the CSV, from the points the checks gave.
"""

import csv
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field

SYNTAX_ERRORS = {"SyntaxError", "IndentationError", "TabError"}
_SPACE = {"\n", "\r", "\t", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
          "\u2029"}


def clean(text, limit=300):
    """`text` as one line of visible characters, at most `limit` of them."""
    text = str(text)[: limit * 2]
    out = []
    for ch in text:
        if ch in _SPACE:
            out.append(" ")
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Cf", "Co", "Cn") and ch != "\u200d":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    line = "".join(out).strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def first_line(text, limit=140):
    """The first line of a message, cleaned."""
    lines = str(text).strip().splitlines()
    return clean(lines[0] if lines else "", limit)


@dataclass
class Result:
    """One graded submission: a row per exercise, notes, and how it was graded."""

    name: str  # the file name as shown (escaped)
    chapter: str | None
    ids: list
    rows: list = field(default_factory=list)  # (exercise id, points, reason)
    notes: list = field(default_factory=list)
    isolated: bool = True

    @property
    def score(self):
        return sum(points for _, points, _ in self.rows)


# ---------------------------------------------------------------------------------
# Reasons


def describe(outcome, what, options):
    """A readable account of a failed cell (`what`: "the solution cell", "cell 7")."""
    status, ename = outcome.status, clean(outcome.ename, 60)
    evalue = first_line(outcome.evalue)
    if status == "timeout":
        return f"{what} timed out after {options.timeout} s"
    if status == "deadline":
        return (f"{what} was stopped: the notebook reached its total time limit of "
                f"{options.total_timeout} s")
    if status == "not run":
        return (f"{what} did not run (the total time limit of {options.total_timeout} "
                "s was reached, or the kernel stopped)")
    if status == "hung":
        return (f"{what} ran past {options.timeout} s and ignored the interrupt; "
                "it was skipped and the notebook run again without it")
    if status == "died":
        return (f"{what} ended the kernel process; it was skipped and the notebook "
                "run again without it")
    if ename in SYNTAX_ERRORS:
        line = re.search(r"line (\d+)", evalue)
        message = re.sub(r"\s*\([^()]*line \d+\)", "", evalue)
        where = f" (line {line.group(1)})" if line else ""
        return f"{what} has a syntax error: {message}{where}"
    if ename == "NotImplementedError":
        return f"{what} still raises NotImplementedError"
    return f"{what} raised {ename}: {evalue}" if evalue else f"{what} raised {ename}"


def _verdict_failure(verdict, options):
    """The reason for a check that did not come to a verdict, or None."""
    kind = verdict.failure
    if kind is None:
        return None
    if kind == "timeout":
        return (f"the check timed out after {options.timeout} s: your code did not "
                "return")
    if kind == "died":
        return ("the check stopped: your code ended the process it was checked in"
                + (f" ({clean(verdict.detail, 80)})" if verdict.detail else ""))
    if kind == "not run":
        return "not graded: the notebook did not finish (see notes)"
    return f"the check could not run: {clean(verdict.detail, 160)}"


def exercise_reason(eid, submission, run, verdict, saved, options):
    """(points, reason) for one exercise.

    `run` is the kernel run (cell outcomes, names defined further down), `verdict` the
    judge's, `saved` {name: why the answer could not be taken out of the kernel}."""
    if verdict.passed:
        return 1, "correct"
    failure = _verdict_failure(verdict, options)
    if failure:
        return 0, failure
    cells = submission.cells
    positions = [pos for pos, cell in enumerate(cells, start=1)
                 if cell["cell_type"] == "code" and "solution" in _tags(cell)
                 and _exercise(cell) == eid]
    problems = [run.outcomes[p] for p in positions
                if p in run.outcomes and run.outcomes[p].status != "ok"]
    message = clean(verdict.message, 400)
    undefined = re.match(r"(.+?) (?:is|are) not defined yet", message)
    if not positions:
        solution = ("the solution cell is missing (deleted, or its `exercise` "
                    "metadata removed)")
    elif problems:
        solution = describe(problems[0], "the solution cell", options)
        later = run.defined
        if problems[0].ename == "NameError" and later:
            names = ", ".join(clean(n, 40) for n in later)
            solution += f", though {names} is defined further down: cells out of order?"
    else:
        solution = None

    if undefined:
        names = undefined.group(1)
        not_saved = [n for n in names.split(", ") if n in saved]
        if not_saved:
            name = not_saved[0]
            return 0, (f"your answer {name} could not be taken out of the notebook to "
                       f"be checked: {clean(saved[name], 160)}")
        if problems and problems[0].ename == "NotImplementedError":
            return 0, "not answered: the solution cell still raises NotImplementedError"
        if solution:
            return 0, f"answer not defined ({names}): {solution}"
        return 0, (f"answer not defined ({names}): the solution cell ran but did not "
                   "define it")
    if message.startswith("not answered yet"):
        return 0, "not answered: your function still raises NotImplementedError"
    return 0, f"{solution}; check: {message}" if solution else message


def _tags(cell):
    tags = cell["metadata"].get("tags", [])
    return tags if isinstance(tags, list) else []


def _exercise(cell):
    value = cell["metadata"].get("exercise")
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------------------------
# The feedback table


def format_result(result, options):
    """The feedback table: a header, a row per exercise, notes, `score: X/Y`."""
    lines = [f"Grading {result.name}: chapter {result.chapter}, {len(result.ids)} "
             f"exercises (each cell {options.timeout} s, all cells "
             f"{options.total_timeout} s)", ""]
    if result.rows:
        width = max(len("exercise"), *(len(eid) for eid, _, _ in result.rows))
        lines.append(f"{'exercise':<{width}}  points  reason")
        lines += [f"{eid:<{width}}  {points}/1     {clean(reason, 400)}"
                  for eid, points, reason in result.rows]
    if result.notes:
        lines += ["", "notes:"] + [f"  {clean(note)}" for note in result.notes]
    lines.append(f"score: {result.score}/{len(result.ids)}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------
# The CSV gradebook

FORMULA = ("=", "+", "-", "@")


def _cell(text):
    """A text field of the CSV: cleaned, and never read as a spreadsheet formula."""
    text = clean(text, 1000)
    return "'" + text if text.startswith(FORMULA) else text


def id_key(exercise_id):
    return tuple(int(p) if p.isdigit() else 0 for p in exercise_id.split("."))


def gradebook(rows):
    """The CSV text: one row per file (the dicts grade_all collects), a column per
    exercise id of any chapter graded, then score, out_of, notes."""
    ids = sorted({eid for row in rows for eid in row["points"]}, key=id_key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", *ids, "score", "out_of", "notes"])
    for row in rows:
        points = [row["points"].get(eid, "") for eid in ids]
        score = "" if row["score"] is None else row["score"]
        out_of = "" if row["out_of"] is None else row["out_of"]
        notes = " | ".join(clean(n, 300) for n in row["notes"])
        writer.writerow([_cell(row["file"]), *points, score, out_of, _cell(notes)])
    return out.getvalue()


def write_atomically(path, text):
    """Write `text` to `path` through a temporary file beside it: a reader never sees
    half a file, and an interrupted run leaves the old one."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
