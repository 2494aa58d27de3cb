# Shared helpers for the project's scripts; source it, do not run it.
# shellcheck shell=bash
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
. "$repo_root/scripts/versions.env"
portcullis_cache="${PORTCULLIS_CACHE:-$HOME/.cache/portcullis}"
opa_cached="$portcullis_cache/opa/$OPA_VERSION/opa"

# The opa binary: $PORTCULLIS_OPA, else the pinned one in the cache, else opa on PATH.
find_opa() {
  if [ -n "${PORTCULLIS_OPA:-}" ] && [ -x "$PORTCULLIS_OPA" ]; then echo "$PORTCULLIS_OPA"; return; fi
  if [ -x "$opa_cached" ]; then echo "$opa_cached"; return; fi
  if command -v opa >/dev/null 2>&1; then command -v opa; return; fi
  echo "no opa binary: run scripts/install-deps.sh" >&2
  return 1
}

# The newest PostgreSQL server bin directory.
find_pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "no PostgreSQL server under /usr/lib/postgresql: run scripts/install-deps.sh" >&2; return 1; }
  echo "$bin"
}
