"""Print the uv flags that say what this machine's pip configuration says, one per line.

    python3 tools/pip_config_for_uv.py       # e.g. --find-links /opt/wheels, --extra-index-url ..., -c ...

uv does not read pip's configuration files or PIP_* variables, yet on many machines they are where packages come
from: a local folder of wheels (`find-links`), an internal mirror (`index-url`, `extra-index-url`), a site-wide
`constraint` file. This machine's CPU build of torch, for one, comes from its pip configuration. So `make`
asks pip itself (`pip config list`, which reads every configuration file and the environment the way pip does)
and passes the same settings to `uv pip install`. Like pip, uv then picks the best version from all the indexes
(`--index-strategy unsafe-best-match`). Standard library only; prints nothing if pip is missing.
"""

import shlex
import shutil
import subprocess
import sys

FLAGS = {"find-links": "--find-links", "index-url": "--index-url", "extra-index-url": "--extra-index-url",
         "constraint": "--constraint", "no-index": "--no-index"}


def _pip_config_list(pythons):
    """`pip config list` from the first of these interpreters that has pip."""
    for python in pythons:
        try:
            proc = subprocess.run([python, "-m", "pip", "config", "list"], capture_output=True, text=True,
                                  timeout=60, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        if proc.returncode == 0:
            return proc.stdout
    return ""


def pip_settings(python=sys.executable):
    """{setting: [values]} from `pip config list`, the last source winning as in pip (env over files).

    Asks `python`'s pip, or the first `python3` on PATH if that one has no pip (a venv made by uv has none)."""
    out = _pip_config_list([python, shutil.which("python3") or "python3"])
    settings, rank = {}, {}
    for line in out.splitlines():
        key, sep, value = line.partition("=")
        if not sep:
            continue
        section, _, name = key.rpartition(".")          # "global.find-links", "install.constraint", ":env:.find-links"
        if name not in FLAGS:
            continue
        # pip's precedence: environment variables over the [install] section over [global]
        priority = 2 if section == ":env:" else 1 if section == "install" else 0 if section == "global" else -1
        if priority < 0 or priority < rank.get(name, -1):
            continue
        try:
            values = shlex.split(value.strip().strip("'\""))
        except ValueError:
            values = value.strip().strip("'\"").split()
        settings[name], rank[name] = values, priority
    return settings


def uv_flags(settings):
    flags = []
    for name, values in settings.items():
        if name == "no-index":
            if values and values[0].lower() in ("1", "true", "yes", "on"):
                flags.append("--no-index")
            continue
        for value in values:
            flags += [FLAGS[name], value]
    if "extra-index-url" in settings or "find-links" in settings:
        flags += ["--index-strategy", "unsafe-best-match"]
    return flags


if __name__ == "__main__":
    print("\n".join(uv_flags(pip_settings())))
