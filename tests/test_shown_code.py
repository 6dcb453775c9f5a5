"""The package code the chapters show (``literalinclude`` with ``:pyobject:``) exists and
fits the 88 columns the website shows without scrolling, like the chapters' own cells."""

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
INCLUDE = re.compile(r"```\{literalinclude\}\s+(\S+)\s*\n((?::[^\n]*\n)*)")


def shown_objects():
    found = []
    for path in CHAPTERS:
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for m in INCLUDE.finditer("".join(cell["source"])):
                name = re.search(r":pyobject:\s*(\S+)", m.group(2))
                if name:
                    target = (path.parent / m.group(1)).resolve()
                    found.append((path.name, target, name.group(1)))
    return found


SHOWN = shown_objects()


def test_chapters_show_package_code():
    # chapters 01 and 08 teach lstm_step and lstm_backward from the package's source
    assert {name for _, _, name in SHOWN} >= {"_step", "lstm_backward"}


@pytest.mark.parametrize(
    "chapter,target,name", SHOWN, ids=[f"{c}:{n}" for c, _, n in SHOWN]
)
def test_shown_code_fits_88_columns(chapter, target, name):
    assert target.is_file(), f"{chapter} includes {target}, which does not exist"
    lines = target.read_text().splitlines()
    tree = ast.parse("\n".join(lines))
    node = next(
        (n for n in ast.walk(tree) if getattr(n, "name", None) == name.split(".")[-1]),
        None,
    )
    assert node is not None, f"{chapter} shows {name}, which {target.name} lacks"
    long = [
        (k, len(line))
        for k, line in enumerate(lines[node.lineno - 1 : node.end_lineno], node.lineno)
        if len(line) > 88
    ]
    assert not long, f"{target.name}:{name} lines (number, length) over 88: {long}"
