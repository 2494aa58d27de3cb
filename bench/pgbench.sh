#!/usr/bin/env bash
# The PostgreSQL benchmark: pgbench against a direct connection, PgBouncer (transaction pooling)
# and the gateway (decision cache on and off, audit log off), interleaved so that drift hits all alike.
# Prints TPS, average and p99 latency per run and the ratios; writes them to bench/results/.
#   DURATION=30 (seconds per run)  SCALE=10  SKIP_GATEWAY=1 (direct and PgBouncer only)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
duration="${DURATION:-30}"
scale="${SCALE:-10}"

start_postgres
PGUSER=portcullis_gw "$pg_bin/pgbench" -i -q -s "$scale" bench >/dev/null 2>&1
bouncer_port="$(free_port)"

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

targets=(direct pgbouncer)
direct_port="$pg_port"; pgbouncer_port="$bouncer_port"
if [ -z "${SKIP_GATEWAY:-}" ]; then
  # The audit log's cost is bench/audit.sh's; here the gateway's own, with audit off.
  start_gateway gwcache true "audit: {enabled: false}"
  start_gateway gwnocache false "audit: {enabled: false}"
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
  local v; v="$(pgbouncer --version | sed -n 1p | awk '{print $2}')"
  [ "$(printf '%s\n1.21.0\n' "$v" | sort -V | sed -n 1p)" = "1.21.0" ]
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
  tps="$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | sed -n 1p)"
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
      echo "$scenario	pgbouncer	(skipped: PgBouncer $(pgbouncer --version | sed -n 1p | awk '{print $2}') in transaction mode cannot carry named prepared statements)"
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
