#!/usr/bin/env bash
# Installs precheck and what it needs on Debian/Ubuntu: the system packages (the libime language
# model, a compiler for kenlm), a virtual environment in .venv, and the package itself.
#   scripts/install.sh          the service
#   scripts/install.sh --test   also the test tools: Chromium for the browser tests, PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
with_test=0
[ "${1:-}" = "--test" ] && with_test=1

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need=(libime-data-language-model build-essential cmake zlib1g-dev python3-venv python3-dev)
[ $with_test = 1 ] && need+=(chromium fonts-wqy-microhei postgresql openssl redis-server)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    echo "installing system packages: ${missing[*]}"
    sudo_ apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "warning: not a Debian system; install by hand: ${missing[*]}" >&2
  fi
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "precheck needs Python >= 3.11" >&2; exit 2; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ $with_test = 1 ]; then
  # The optional MacBERT engine's loading code is tested with a tiny model the test builds: CPU torch.
  .venv/bin/python -m pip install -q "torch==2.13.0" "transformers>=4.40"
  .venv/bin/python -m pip install -q -e ".[test,bench]"
else
  .venv/bin/python -m pip install -q -e .
fi
# pycorrector is needed only for its data files (located, never imported); its own dependencies
# serve the optional MacBERT engine, installed with `pip install .[deep]`. Installed last, so pip
# does not report those absent dependencies as a conflict of the install above.
.venv/bin/python -m pip install -q --no-deps "pycorrector>=1.1.2"
