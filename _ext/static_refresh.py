"""Copy the site's own static files (html_static_path, here _static/) on every build.

Sphinx copies them only when at least one page is rebuilt: after a change to _static/course.css alone, an
incremental `make book` says "no targets are out of date" and the site keeps the old stylesheet. At the end of
every HTML build, each file of html_static_path that differs from its copy in the output is copied again.
"""

import filecmp
import shutil
from pathlib import Path


def refresh_static(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir) / "_static"
    for entry in app.config.html_static_path:
        source = Path(app.confdir) / entry
        if not source.is_dir():
            continue
        for path in source.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                target = out / path.relative_to(source)
                if not target.exists() or not filecmp.cmp(path, target, shallow=False):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)


def setup(app):
    app.connect("build-finished", refresh_static)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
