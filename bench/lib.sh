# Shared parts of the benchmarks: a throwaway PostgreSQL and gateways in front of it.
# Source it, do not run it. Sets work, pg_bin, opa, java_home, jar, password, pg_port.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
pg_bin="$(find_pg_bin)"
opa="$(find_opa)"
java_home="${JAVA_HOME:-$(bash "$repo_root/scripts/find-jdk.sh")}"
jar="$(ls "$repo_root"/pep-proxy/target/pep-proxy-*-all.jar 2>/dev/null | sed -n 1p || true)"
if [ -z "${SKIP_GATEWAY:-}" ] && [ -z "$jar" ]; then
  (cd "$repo_root" && JAVA_HOME="$java_home" ./mvnw -B -q -DskipTests package)
  jar="$(ls "$repo_root"/pep-proxy/target/pep-proxy-*-all.jar | sed -n 1p)"
fi

work="$(mktemp -d /tmp/portcullis-bench.XXXXXX)"
chown postgres "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # Let them exit before their directories go (a gateway still writes its data_dir as it stops).
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  # PgBouncer daemonises, so it is stopped through its pid file.
  [ -f "$work/pgbouncer.pid" ] && kill "$(cat "$work/pgbouncer.pid")" 2>/dev/null || true
  as_pg "$pg_bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "nothing listens on port $1" >&2; return 1
}

# Starts PostgreSQL on a free port with database bench owned by portcullis_gw.
start_postgres() {
  pg_port="$(free_port)"
  password="bench-$(date +%s)"
  echo "$password" > "$work/pw"; chown postgres "$work/pw"
  as_pg "$pg_bin/initdb" -D "$work/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$work/pw" -E UTF8 --locale=C >/dev/null
  cat >> "$work/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$work'
fsync = off
synchronous_commit = off
max_connections = 100
shared_buffers = 256MB
CONF
  as_pg "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w start >/dev/null
  export PGHOST=127.0.0.1 PGPORT="$pg_port" PGUSER=postgres PGPASSWORD="$password"
  "$pg_bin/psql" -qX -c "CREATE ROLE portcullis_gw LOGIN PASSWORD '$password'" -c "CREATE DATABASE bench OWNER portcullis_gw"
}

# Starts a gateway named $1 with the decision cache $2 (true/false) and more YAML in $3; sets
# ${name}_port and, for the groups in $4 (default readers,writers), ${name}_token. Its OPA loads
# $gateway_policies when set (a copy with a data.json of overrides), else the repo's policies/.
start_gateway() {
  local name="$1" cache="$2" extra="${3:-}" groups="${4:-readers,writers}" port opa_port issuer_port
  port="$(free_port)"; opa_port="$(free_port)"; issuer_port="$(free_port)"
  mkdir -p "$work/$name"
  cat > "$work/$name/config.yaml" <<YAML
listen:
  postgres: 127.0.0.1:$port
  allow_cleartext_on_loopback: true
identity:
  audiences: [portcullis]
  dev_issuer: {enabled: true, listen: 127.0.0.1:$issuer_port, key_file: $work/$name/dev-issuer.jwk}
opa:
  managed: {binary: $opa, policies: ${gateway_policies:-$repo_root/policies}, addr: 127.0.0.1:$opa_port, log_file: $work/$name/opa.log}
  timeout_ms: 500
  cache_enabled: $cache
targets:
  - {name: bench, protocol: postgres, host: 127.0.0.1, port: $pg_port, database: bench, user: portcullis_gw, password_env: BENCH_DB_PASSWORD}
log:
  decisions: $work/$name/decisions.log
data_dir: $work/$name/data
$extra
YAML
  BENCH_DB_PASSWORD="$password" "$java_home/bin/java" -Xmx1g -jar "$jar" run --config "$work/$name/config.yaml" \
    > "$work/$name/gateway.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
  eval "${name}_port=$port"
  eval "${name}_token=\$(\"$java_home/bin/java\" -jar \"$jar\" dev-token --config \"$work/$name/config.yaml\" --subject bench --groups $groups --ttl PT3H)"
}

# Mints another token from gateway $1's development issuer for groups $2.
gateway_token() {
  "$java_home/bin/java" -jar "$jar" dev-token --config "$work/$1/config.yaml" --subject bench --groups "$2" --ttl PT3H
}

# Starts a throwaway OpenSSH server on a free loopback port, as the tests' fixture does: its own
# host key, a key for the gateway's (this user's) login, AES-GCM only. Sets sshd_port, sshd_user,
# sshd_key (the private key that logs in) and sshd_known_hosts (pinning its host key).
start_sshd() {
  local d="$work/sshd"
  mkdir -p "$d" /run/sshd
  sshd_port="$(free_port)"
  sshd_user="$(id -un)"
  ssh-keygen -q -t ecdsa -b 256 -N '' -f "$d/host_key"
  ssh-keygen -q -t ecdsa -b 256 -N "" -f "$d/client_key"
  cp "$d/client_key.pub" "$d/authorized_keys"
  chmod 600 "$d/authorized_keys" "$d/client_key"
  cat > "$d/sshd_config" <<CONF
Port $sshd_port
ListenAddress 127.0.0.1
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
Ciphers aes128-gcm@openssh.com,aes256-gcm@openssh.com
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel ERROR
CONF
  /usr/sbin/sshd -D -e -f "$d/sshd_config" 2> "$d/sshd.log" &
  pids+=($!)
  wait_port "$sshd_port"
  echo "[127.0.0.1]:$sshd_port $(cut -d' ' -f1,2 "$d/host_key.pub")" > "$d/known_hosts"
  sshd_key="$d/client_key"
  sshd_known_hosts="$d/known_hosts"
}

# Starts a gateway named $1 with an SSH listener in front of the server of start_sshd, as target
# "files"; the policies are the repository's with data.sites.sftp from the JSON in $2. Sets
# ${name}_ssh_port, ${name}_token (groups $3, default readers) and ${name}_known_hosts.
start_ssh_gateway() {
  local name="$1" sftp_json="$2" groups="${3:-readers}" port ssh_port opa_port issuer_port
  port="$(free_port)"; ssh_port="$(free_port)"; opa_port="$(free_port)"; issuer_port="$(free_port)"
  mkdir -p "$work/$name"
  cp -r "$repo_root/policies" "$work/$name/policies"
  echo "{\"sites\": {\"sftp\": $sftp_json}}" > "$work/$name/policies/data.json"
  cat > "$work/$name/config.yaml" <<YAML
listen:
  postgres: 127.0.0.1:$port
  ssh: 127.0.0.1:$ssh_port
  allow_cleartext_on_loopback: true
identity:
  audiences: [portcullis]
  dev_issuer: {enabled: true, listen: 127.0.0.1:$issuer_port, key_file: $work/$name/dev-issuer.jwk}
opa:
  managed: {binary: $opa, policies: $work/$name/policies, addr: 127.0.0.1:$opa_port, log_file: $work/$name/opa.log}
  timeout_ms: 1000
  cache_enabled: true
targets:
  - {name: files, protocol: ssh, host: 127.0.0.1, port: $sshd_port, user: $sshd_user, key_file: $sshd_key, known_hosts_file: $sshd_known_hosts}
log:
  decisions: $work/$name/decisions.log
data_dir: $work/$name/data
YAML
  # shellcheck disable=SC2086
  "$java_home/bin/java" -Xmx1g ${GW_JAVA_OPTS:-} -jar "$jar" run --config "$work/$name/config.yaml" \
    > "$work/$name/gateway.log" 2>&1 &
  pids+=($!)
  wait_port "$ssh_port"
  eval "${name}_ssh_port=$ssh_port"
  eval "${name}_token=\$(\"$java_home/bin/java\" -jar \"$jar\" dev-token --config \"$work/$name/config.yaml\" --subject bench --groups $groups --ttl PT3H)"
  # The clients pin the gateway's host key on first use (StrictHostKeyChecking=accept-new).
  : > "$work/$name/known_hosts"
  eval "${name}_known_hosts=$work/$name/known_hosts"
}

# An askpass program that answers with the token in $1 (for ssh, scp and sftp clients).
askpass_for() {
  local f="$work/askpass-$RANDOM"
  printf '#!/bin/sh\necho %s\n' "$1" > "$f"
  chmod 700 "$f"
  echo "$f"
}
