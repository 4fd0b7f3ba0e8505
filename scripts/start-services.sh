#!/usr/bin/env bash
# Starts the local services the tests use when they are installed but not running:
# PostgreSQL (the audit store on both databases) and Redis (the shared link-probe cache).
set -uo pipefail
sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
status=0
if command -v pg_lsclusters >/dev/null; then
  if ! pg_isready -q -h 127.0.0.1; then
    version=$(ls /etc/postgresql | sort -V | tail -1)
    sudo_ pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 || { echo "PostgreSQL did not start" >&2; status=1; }
else
  echo "PostgreSQL is not installed" >&2; status=1
fi
if command -v redis-server >/dev/null && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null || true
fi
exit $status
