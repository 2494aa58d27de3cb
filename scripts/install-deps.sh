#!/usr/bin/env bash
# Installs what the gateway, its tests and its benchmarks need, when missing: PostgreSQL server,
# client and pgbench, PgBouncer, openssl, unzip, Maven (only to bootstrap ./mvnw), and the pinned
# OPA built from source with the Go toolchain into a cache. Idempotent; needs root for apt-get.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v pgbouncer >/dev/null 2>&1 || missing+=(pgbouncer)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
# The SSH tests run the real OpenSSH server as their target, and the real ssh client.
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v mvn >/dev/null 2>&1 || [ -d "$HOME/.m2/wrapper/dists" ] || missing+=(maven)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package starts a cluster of its own; the tests and the demo start theirs.
  command -v pg_ctlcluster >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | while read -r ver name _; do
    pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true
  done
fi

# The Debian package starts an sshd of its own on port 22; the SSH tests start theirs on a free
# loopback port, with their own keys, so the system one is stopped and kept from starting again.
if [ -x /usr/sbin/sshd ]; then
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true
  else
    service ssh stop >/dev/null 2>&1 || true
    command -v update-rc.d >/dev/null 2>&1 && update-rc.d ssh disable >/dev/null 2>&1 || true
  fi
  # sshd refuses to start without its privilege separation directory.
  install -d -m 0755 -o root -g root /run/sshd
fi
# The unprivileged account the SSH tests' target logs the gateway in as (when the tests run as
# root). Its password field is "*" rather than "!": OpenSSH refuses keys for a locked account.
if [ "$(id -u)" = 0 ] && ! id portcullis-ssh >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash portcullis-ssh
  usermod -p '*' portcullis-ssh
fi

# The tests and scripts run PostgreSQL as this user when they run as root (it refuses root).
id postgres >/dev/null 2>&1 || { echo "install-deps: no 'postgres' user; reinstall the postgresql package" >&2; exit 1; }

if [ ! -x "$opa_cached" ]; then
  command -v go >/dev/null 2>&1 || { echo "install-deps: go is needed to build opa $OPA_VERSION" >&2; exit 1; }
  echo "install-deps: building opa $OPA_VERSION (once; cached in $portcullis_cache)"
  mkdir -p "$(dirname "$opa_cached")"
  (cd /tmp && CGO_ENABLED=0 GOBIN="$(dirname "$opa_cached")" go install "github.com/open-policy-agent/opa@$OPA_VERSION")
fi
# sed reads all of it: with head, opa could die of SIGPIPE and fail the pipeline (pipefail).
"$opa_cached" version | sed -n "1s|^|install-deps: opa at $opa_cached: |p"
