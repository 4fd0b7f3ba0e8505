#!/usr/bin/env bash
# Installs precheck and starts the service on the embedded defaults (SQLite, bundled lexicons).
#   HOST=0.0.0.0 PORT=8000 scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
exec .venv/bin/precheck serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
