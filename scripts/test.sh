#!/usr/bin/env bash
# The whole test suite, including the real-model tests and the Neo4j tests against a Neo4j that the suite
# starts itself (built here from Maven Central; needs java 17 and mvn). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash .ci/build-neo4j-harness.sh
export HF_HUB_OFFLINE=1
.venv/bin/python -m ruff check .
.venv/bin/python -m mypy
exec .venv/bin/python -m pytest "$@"
