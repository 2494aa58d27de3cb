#!/usr/bin/env bash
# The PostgreSQL benchmark: pgbench against a direct connection, PgBouncer (transaction pooling)
# and the gateway (decision cache on and off), interleaved so that drift hits all alike.
# Prints TPS, average and p99 latency per run and the ratios; writes them to bench/results/.
#   DURATION=30 (seconds per run)  SCALE=10  SKIP_GATEWAY=1 (direct and PgBouncer only)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
duration="${DURATION:-30}"
scale="${SCALE:-10}"
pg_bin="$(find_pg_bin)"
opa="$(find_opa)"
java_home="${JAVA_HOME:-$(bash "$repo_root/scripts/find-jdk.sh")}"
jar="$(ls "$repo_root"/pep-proxy/target/pep-proxy-*-all.jar 2>/dev/null | head -n 1 || true)"
if [ -z "${SKIP_GATEWAY:-}" ] && [ -z "$jar" ]; then
  (cd "$repo_root" && JAVA_HOME="$java_home" ./mvnw -B -q -DskipTests package)
  jar="$(ls "$repo_root"/pep-proxy/target/pep-proxy-*-all.jar | head -n 1)"
fi

work="$(mktemp -d /tmp/portcullis-bench.XXXXXX)"
chown postgres "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
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

pg_port="$(free_port)"; bouncer_port="$(free_port)"
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
PGUSER=portcullis_gw "$pg_bin/pgbench" -i -q -s "$scale" bench >/dev/null 2>&1

# PgBouncer: clients trusted on loopback, SCRAM to the server with the gateway's password.
cat > "$work/userlist.txt" <<U
"portcullis_gw" "$password"
U
cat > "$work/pgbouncer.ini" <<INI
[databases]
bench = host=127.0.0.1 port=$pg_port dbname=bench user=portcullis_gw
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bouncer_port
unix_socket_dir =
auth_type = trust
auth_file = $work/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 200
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
INI
chown postgres "$work"/*.ini "$work"/userlist.txt
as_pg pgbouncer -d "$work/pgbouncer.ini"
wait_port "$bouncer_port"

start_gateway() { # name cache_enabled
  local name="$1" cache="$2" port opa_port issuer_port
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
  managed: {binary: $opa, policies: $repo_root/policies, addr: 127.0.0.1:$opa_port, log_file: $work/$name/opa.log}
  timeout_ms: 500
  cache_enabled: $cache
targets:
  - {name: bench, protocol: postgres, host: 127.0.0.1, port: $pg_port, database: bench, user: portcullis_gw, password_env: BENCH_DB_PASSWORD}
log:
  decisions: $work/$name/decisions.log
YAML
  BENCH_DB_PASSWORD="$password" "$java_home/bin/java" -Xmx1g -jar "$jar" run --config "$work/$name/config.yaml" \
    > "$work/$name/gateway.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
  eval "${name}_port=$port"
  eval "${name}_token=\$(\"$java_home/bin/java\" -jar \"$jar\" dev-token --config \"$work/$name/config.yaml\" --subject bench --groups readers,writers --ttl PT3H)"
}

targets=(direct pgbouncer)
direct_port="$pg_port"; pgbouncer_port="$bouncer_port"
if [ -z "${SKIP_GATEWAY:-}" ]; then
  start_gateway gwcache true
  start_gateway gwnocache false
  targets+=(gwcache gwnocache)
fi

# scenario name | pgbench arguments
scenarios=(
  "select-1c-simple|-S -n -M simple -c 1 -j 1"
  "select-8c-simple|-S -n -M simple -c 8 -j 2"
  "select-1c-prepared|-S -n -M prepared -c 1 -j 1"
  "select-8c-prepared|-S -n -M prepared -c 8 -j 2"
  "tpcb-8c-simple|-n -M simple -c 8 -j 2"
)

results="$work/results.tsv"
# PgBouncer keeps named prepared statements across transaction pooling only from 1.21 on.
bouncer_prepares() {
  local v; v="$(pgbouncer --version | head -n 1 | awk '{print $2}')"
  [ "$(printf '%s\n1.21.0\n' "$v" | sort -V | head -n 1)" = "1.21.0" ]
}
run() { # scenario target args
  local scenario="$1" target="$2" args="$3" port user pass logdir out tps
  port="$(eval echo "\$${target}_port")"
  case "$target" in
    direct) user=portcullis_gw; pass="$password" ;;
    pgbouncer) user=portcullis_gw; pass="" ;;
    *) user=bench; pass="$(eval echo "\$${target}_token")" ;;
  esac
  logdir="$work/logs/$scenario-$target"; mkdir -p "$logdir"
  # shellcheck disable=SC2086
  out="$(cd "$logdir" && PGHOST=127.0.0.1 PGPORT="$port" PGUSER="$user" PGPASSWORD="$pass" \
    "$pg_bin/pgbench" $args -T "$duration" --log --log-prefix=tx bench 2>&1)" || { echo "$out" >&2; return 1; }
  tps="$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)"
  cat "$logdir"/tx* | python3 -c '
import sys
lat = sorted(int(line.split()[2]) for line in sys.stdin if line.strip())
s, t, tps = sys.argv[1:4]
p99 = lat[max(0, int(len(lat) * 0.99) - 1)]
print(f"{s}\t{t}\t{float(tps):.0f}\t{sum(lat) / len(lat) / 1000:.3f}\t{p99 / 1000:.3f}")
' "$scenario" "$target" "$tps" >> "$results"
  tail -n 1 "$results"
}

echo "scenario	target	tps	avg_ms	p99_ms"
for entry in "${scenarios[@]}"; do
  scenario="${entry%%|*}"; args="${entry#*|}"
  for target in "${targets[@]}"; do
    if [ "$target" = pgbouncer ] && [[ "$args" == *"-M prepared"* ]] && ! bouncer_prepares; then
      echo "$scenario	pgbouncer	(skipped: PgBouncer $(pgbouncer --version | head -n 1 | awk '{print $2}') in transaction mode cannot carry named prepared statements)"
      continue
    fi
    run "$scenario" "$target" "$args" || echo "$scenario	$target	FAILED (see $work/logs)"
  done
done

mkdir -p "$repo_root/bench/results"
report="$repo_root/bench/results/pgbench-$(date +%Y%m%d-%H%M%S).txt"
python3 - "$results" "$duration" <<'PY' | tee "$report"
import sys, collections
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    s, t, tps, avg, p99 = line.rstrip("\n").split("\t")
    rows[s][t] = (float(tps), float(avg), float(p99))
print(f"pgbench, {sys.argv[2]} s per run, interleaved\n")
print(f"{'scenario':22}{'target':11}{'tps':>9}{'avg ms':>9}{'p99 ms':>9}")
for s, by in rows.items():
    for t, (tps, avg, p99) in by.items():
        print(f"{s:22}{t:11}{tps:9.0f}{avg:9.3f}{p99:9.3f}")
print()
for s, by in rows.items():
    d, b = by.get("direct"), by.get("pgbouncer")
    for g in ("gwcache", "gwnocache"):
        if g in by and d and b:
            line = f"{s:22}{g:11} tps: {by[g][0]/b[0]:.2f}x pgbouncer, {by[g][0]/d[0]:.2f}x direct"
            if "-1c-" in s:
                added_g, added_b = by[g][1] - d[1], b[1] - d[1]
                ratio = added_g / added_b if added_b > 0 else float("inf")
                line += f"; added avg latency {added_g*1000:.0f} us vs pgbouncer {added_b*1000:.0f} us ({ratio:.2f}x)"
            print(line)
PY
echo "written: $report"
