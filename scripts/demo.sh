#!/usr/bin/env bash
# The main job on the embedded default: ingest the demo briefs (and the customer's seed brief when
# ../shared is beside the checkout), then serve the API on http://127.0.0.1:8000 (docs at /docs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
exec .venv/bin/briefgraph serve --ingest examples/briefs ../shared/briefs "$@"
