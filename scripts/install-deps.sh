#!/usr/bin/env bash
# Installs what the gateway, its tests and its benchmarks need, when missing: PostgreSQL server,
# client and pgbench, PgBouncer, openssl, unzip, kubectl, Maven (only to bootstrap ./mvnw), and the pinned
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
# The HTTP gateway's tests use a real nginx as target, curl as client; its benchmark uses wrk.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
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

# The Debian nginx package starts a server on port 80; the tests start their own on free ports.
if [ -x /usr/sbin/nginx ]; then
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now nginx >/dev/null 2>&1 || true
  else
    service nginx stop >/dev/null 2>&1 || true
    command -v update-rc.d >/dev/null 2>&1 && update-rc.d nginx disable >/dev/null 2>&1 || true
  fi
fi

# kubectl for the Kubernetes end-to-end tests: Debian ships it as kubectl in newer releases and
# as kubernetes-client in older ones; whichever apt knows is installed.
if ! command -v kubectl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  for pkg in kubectl kubernetes-client; do
    if apt-cache show "$pkg" >/dev/null 2>&1; then
      echo "install-deps: installing $pkg"
      apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null && break
    fi
  done
  command -v kubectl >/dev/null 2>&1 || { echo "install-deps: no kubectl package found (kubectl, kubernetes-client)" >&2; exit 1; }
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
