#!/usr/bin/env bash
# Starts the local PostgreSQL cluster when it is installed but not running (used by the tests).
set -euo pipefail
command -v pg_lsclusters >/dev/null || exit 1
pg_isready -q -h 127.0.0.1 && exit 0
sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
version=$(ls /etc/postgresql | sort -V | tail -1)
sudo_ pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && exit 0; sleep 1; done
exit 1
