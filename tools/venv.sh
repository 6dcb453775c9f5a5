#!/usr/bin/env bash
# Create (or update) the course's virtual environment: tools/venv.sh PYTHON VENV REQUIREMENTS...
#
# uv installs the pinned requirements in seconds where pip takes minutes. uv itself comes from the package
# registry, into the venv, with pip. uv does not read pip's configuration, so the flags that carry it
# (find-links, indexes, constraints: where this machine's CPU build of torch comes from) are read from pip
# by tools/pip_config_for_uv.py. (uv writes no bytecode: the grader compiles it once, on first use.) If uv cannot be had, pip installs everything, and says so.
set -eo pipefail
python=$1; venv=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
UV_VERSION=0.13.9

test -x "$venv/bin/python" || "$python" -m venv "$venv"
if [ -z "$NO_UV" ] && { test -x "$venv/bin/uv" || "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" >/dev/null 2>&1; }; then
    mapfile -t pip_config < <("$python" "$here/pip_config_for_uv.py")
    "$venv/bin/uv" pip install --quiet --python "$venv/bin/python" "${pip_config[@]}" "$@"
else
    echo "note: installing with pip, which takes a few minutes (uv could not be installed or NO_UV is set)" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
fi
