"""Write (or check) the first cell of every chapter: on Google Colab, install lstm_utils; elsewhere, nothing.

    python -m tools.colab_cell          # rewrite the cell in every chapter from _config.yml and pyproject.toml
    python -m tools.colab_cell --check  # exit 1 if a chapter's cell differs from what would be written

A chapter opened on Colab (the launch button on every page) has no `lstm_utils`: the cell installs it with pip
from the repository that `_config.yml` names (`repository.url`), at the tag of the package's version in
`pyproject.toml` (`v0.2.0` for version 0.2.0), so a learner gets the package the chapter was written for. A
fork changes `repository.url` and runs this tool; a release bumps the version, runs this tool, and tags the
commit. The cell carries the tag `remove-cell`, so the website does not show it.
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAGS = ["remove-cell", "colab-install"]


def repository_url(config=ROOT / "_config.yml"):
    """`repository.url` of _config.yml (read without a YAML library: the book's config is flat there)."""
    text = config.read_text(encoding="utf-8")
    block = re.search(r"^repository:\s*\n((?:[ \t]+.*\n?)+)", text, re.M)
    url = block and re.search(r"^\s+url:\s*(\S+)", block.group(1), re.M)
    if not url:
        raise SystemExit(f"{config}: no repository.url found")
    return url.group(1).strip("'\"").rstrip("/")


def package_version(pyproject=ROOT / "pyproject.toml"):
    """The `version` of pyproject.toml's [project] table (a regular expression: tomllib needs Python 3.11)."""
    found = re.search(r'^\[project\][^\[]*?^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.M | re.S)
    if not found:
        raise SystemExit(f"{pyproject}: no [project] version found")
    return found.group(1)


def install_spec(url=None, version=None):
    """What pip installs on Colab: lstm_utils from the repository at the version's tag."""
    return f"lstm_utils @ git+{url or repository_url()}@v{version or package_version()}"


def cell_source(spec=None):
    spec = spec or install_spec()
    return (
        "# On Google Colab, install the course's helper package first;\n"
        "# anywhere else this cell does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n"
        "\n"
        f'    url = "{spec.split(" @ ", 1)[1]}"\n'
        '    spec = "lstm_utils @ " + url\n'
        '    cmd = [sys.executable, "-m", "pip", "install", "--quiet", spec]\n'
        "    subprocess.run(cmd, check=True)"
    )


def new_cell(source):
    return {"cell_type": "code", "execution_count": None, "id": "colab-install",
            "metadata": {"tags": list(TAGS)}, "outputs": [], "source": source.splitlines(keepends=True)}


def is_colab_cell(cell):
    return cell.get("cell_type") == "code" and "colab-install" in cell.get("metadata", {}).get("tags", [])


def chapters():
    return sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def expected_first_code_cell(nb, source=None):
    """The notebook's cells with the install cell first among the code cells (after the title)."""
    source = source or cell_source()
    cells = [c for c in nb["cells"] if not is_colab_cell(c)]
    first_code = next((k for k, c in enumerate(cells) if c["cell_type"] == "code"), len(cells))
    old = next((c for c in nb["cells"] if is_colab_cell(c)), None)
    cell = new_cell(source)
    if old is not None and "".join(old["source"]) == source:
        cell = old
    return cells[:first_code] + [cell] + cells[first_code:]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if a chapter is out of date")
    args = parser.parse_args(argv)
    source = cell_source()
    stale = []
    for path in chapters():
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = expected_first_code_cell(nb, source)
        if cells != nb["cells"]:
            stale.append(path.name)
            if not args.check:
                nb["cells"] = cells
                path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.check and stale:
        print(f"out of date (run `python -m tools.colab_cell`, then `make notebooks`): {', '.join(stale)}")
        return 1
    for name in stale if not args.check else []:
        print(f"wrote the Colab cell of {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
