#!/usr/bin/env bash
# The cost of auditing: pgbench select-only (-S, simple protocol, 1 and 8 clients) direct and
# through three gateways, with audit off, the embedded store (segment files, fsynced per batch)
# and the PostgreSQL store (database audit on the same bench PostgreSQL), interleaved ROUNDS
# times so that drift hits all alike. Prints TPS and average latency per target, and the ratios
# against audit off and against direct; writes them to bench/results/.
#   DURATION=10 (seconds per run)  ROUNDS=2  SCALE=5
# The bench PostgreSQL runs with fsync = off, so the PostgreSQL store's commits are cheaper than
# on a real server; the embedded store fsyncs for real on the filesystem of /tmp.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
duration="${DURATION:-10}"
rounds="${ROUNDS:-2}"
scale="${SCALE:-5}"

start_postgres
PGUSER=portcullis_gw "$pg_bin/pgbench" -i -q -s "$scale" bench >/dev/null 2>&1
# The audit store's database; its owner may create the schema, so the gateway does at start.
"$pg_bin/psql" -qX -c "CREATE DATABASE audit OWNER portcullis_gw"

start_gateway off true "audit: {enabled: false}"
start_gateway embedded true "audit: {enabled: true, store: embedded}"
start_gateway postgres true "audit:
  enabled: true
  store: postgres
  postgres: {host: 127.0.0.1, port: $pg_port, database: audit, user: portcullis_gw, password_env: BENCH_DB_PASSWORD, chain: bench}"
targets=(direct off embedded postgres)
direct_port="$pg_port"

# scenario name | pgbench arguments
scenarios=(
  "select-1c-simple|-S -n -M simple -c 1 -j 1"
  "select-8c-simple|-S -n -M simple -c 8 -j 2"
)

results="$work/results.tsv"
run() { # scenario target args
  local scenario="$1" target="$2" args="$3" port user pass out tps lat
  port="$(eval echo "\$${target}_port")"
  if [ "$target" = direct ]; then
    user=portcullis_gw; pass="$password"
  else
    user=bench; pass="$(eval echo "\$${target}_token")"
  fi
  # shellcheck disable=SC2086
  out="$(PGHOST=127.0.0.1 PGPORT="$port" PGUSER="$user" PGPASSWORD="$pass" \
    "$pg_bin/pgbench" $args -T "$duration" bench 2>&1)" || { echo "$out" >&2; return 1; }
  if ! echo "$out" | grep -q "number of failed transactions: 0"; then
    echo "$out" >&2; return 1
  fi
  tps="$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | sed -n 1p)"
  lat="$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')"
  printf '%s\t%s\t%s\t%s\n' "$scenario" "$target" "$tps" "$lat" | tee -a "$results"
}

echo "scenario	target	tps	avg_ms"
for entry in "${scenarios[@]}"; do
  scenario="${entry%%|*}"; args="${entry#*|}"
  for _ in $(seq 1 "$rounds"); do
    for target in "${targets[@]}"; do
      run "$scenario" "$target" "$args" || echo "$scenario	$target	FAILED"
    done
  done
done

# What the stores hold, so that a fast run is seen to have recorded something.
embedded_bytes="$(cat "$work"/embedded/data/audit/segment-*.jsonl 2>/dev/null | wc -c)"
postgres_records="$(PGDATABASE=audit "$pg_bin/psql" -qXtA -c "SELECT count(*) FROM portcullis_audit.records")"

mkdir -p "$repo_root/bench/results"
report="$repo_root/bench/results/audit-$(date +%Y%m%d-%H%M%S).txt"
python3 - "$results" "$duration" "$rounds" "$embedded_bytes" "$postgres_records" "$(uptime)" <<'PY' | tee "$report"
import sys, collections, statistics
path, duration, rounds, embedded_bytes, postgres_records, load = sys.argv[1:7]
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(path):
    s, t, tps, avg = line.rstrip("\n").split("\t")
    rows[s][t].append((float(tps), float(avg)))
print(f"pgbench select-only, simple protocol, {duration} s per run, {rounds} rounds interleaved")
print(f"load at the end: {load.strip()}\n")
print(f"{'scenario':20}{'target':10}{'tps':>9}{'avg ms':>9}{'tps/off':>9}{'tps/direct':>11}{'lat/off':>9}  runs (tps)")
for s, by in rows.items():
    mean = {t: (statistics.mean(v[0] for v in runs), statistics.mean(v[1] for v in runs)) for t, runs in by.items()}
    off, direct = mean.get("off"), mean.get("direct")
    for t, (tps, avg) in mean.items():
        vs_off = f"{tps / off[0]:9.2f}" if off else f"{'':9}"
        vs_direct = f"{tps / direct[0]:11.2f}" if direct else f"{'':11}"
        lat_off = f"{avg / off[1]:9.2f}" if off else f"{'':9}"
        runs = ", ".join(f"{v[0]:.0f}" for v in by[t])
        print(f"{s:20}{t:10}{tps:9.0f}{avg:9.3f}{vs_off}{vs_direct}{lat_off}  {runs}")
    print()
print(f"embedded store: {int(embedded_bytes) / 1e6:.1f} MB of segments; postgres store: {postgres_records} records")
PY
echo "written: $report"
