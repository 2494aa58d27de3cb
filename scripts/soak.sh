#!/usr/bin/env bash
# The soak test (not part of CI): N concurrent sessions of mixed traffic (reads, masked reads,
# denied statements, prepared statements) for D seconds against a gateway with paranoid ByteBuf
# leak detection, then reports against the start: LEAK reports in the gateway log, open file
# descriptors, threads, heap after GC, and upstream connections left once the clients are gone.
# Loopback only; everything it starts is stopped on exit.
#   N=1000 (sessions)  D=600 (seconds)  THINK_MS=1000 (mean pause between a session's statements)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../bench/lib.sh"
n="${N:-1000}"
d="${D:-600}"
think="${THINK_MS:-1000}"
pgjdbc="$(ls "$HOME"/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar | grep -v sources | sort -V | tail -n 1)"

start_postgres
# One backend per gateway session, plus room for the superuser's look-ups.
echo "max_connections = $((n + 50))" >> "$work/data/postgresql.conf"
as_pg "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -m fast -w restart >/dev/null
PGUSER=portcullis_gw PGDATABASE=bench "$pg_bin/psql" -qX -v ON_ERROR_STOP=1 \
  -f "$repo_root/tests/src/test/resources/sample-schema.sql" >/dev/null

# All sessions share one identity, whose denied statements would otherwise trip the default
# policy's session limit of 10 denials a minute and end every session: lift that one threshold.
gateway_policies="$work/policies"
cp -r "$repo_root/policies" "$gateway_policies"
cat > "$gateway_policies/data.json" <<'JSON'
{"portcullis": {"overrides": {"monitoring": {"thresholds": {"terminate_denials_per_minute": 1000000000}}}}}
JSON
JDK_JAVA_OPTIONS="-Dio.netty.leakDetection.level=paranoid" start_gateway soak true "" readers 2>/dev/null
gw_pid="${pids[-1]}"
log="$work/soak/gateway.log"

fds() { ls "/proc/$gw_pid/fd" | wc -l; }
threads() { awk '/^Threads:/ {print $2}' "/proc/$gw_pid/status"; }
heap_kb() { # used heap after a full GC, in KiB
  "$java_home/bin/jcmd" "$gw_pid" GC.run >/dev/null
  "$java_home/bin/jcmd" "$gw_pid" GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | sed -n 1p
}
upstream() { # the sessions' upstream connections; not the gateway's own catalog connection, kept by design
  "$pg_bin/psql" -qXtA -d bench -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'portcullis_gw'
    AND datname = 'bench' AND application_name <> 'portcullis-catalog'"
}
leaks() { grep -c 'LEAK:' "$log" || true; }
load() { # sessions seconds
  "$java_home/bin/java" -cp "$pgjdbc" "$repo_root/scripts/soak/Soak.java" "$soak_port" "$soak_token" "$1" "$2" "$think"
}

# Warm up first, so lazily created event loop threads and JIT-compiled code are part of the baseline.
load 20 5 >/dev/null
sleep 3
b_fd="$(fds)"; b_thr="$(threads)"; b_heap="$(heap_kb)"; b_up="$(upstream)"; b_leak="$(leaks)"

load "$n" "$d" > "$work/load.out" 2> "$work/load.err" &
load_pid=$!
sleep "$(( d / 2 > 5 ? d / 2 : 5 ))"
h_fd="$(fds)"; h_thr="$(threads)"; h_up="$(upstream)"
wait "$load_pid"
sleep 5 # sessions ending on both sides
# Idle pool threads (the OPA client's dispatcher keeps a thread 60 s after its last call) go by
# themselves: wait for them, at most 120 s, and say how long it took.
settled=5
while [ "$(threads)" -gt $((b_thr + 5)) ] && [ "$settled" -lt 125 ]; do sleep 5; settled=$((settled + 5)); done
a_fd="$(fds)"; a_thr="$(threads)"; a_heap="$(heap_kb)"; a_up="$(upstream)"; a_leak="$(leaks)"

cat "$work/load.out"
sort "$work/load.err" | uniq -c | sort -rn | sed -n 1,5p
echo "after: measured ${settled} s after the last session ended"
printf '%-28s %10s %10s %10s\n' metric baseline "mid-soak" after
printf '%-28s %10s %10s %10s\n' "LEAK reports" "$b_leak" "-" "$a_leak"
printf '%-28s %10s %10s %10s\n' "open file descriptors" "$b_fd" "$h_fd" "$a_fd"
printf '%-28s %10s %10s %10s\n' "threads" "$b_thr" "$h_thr" "$a_thr"
printf '%-28s %10s %10s %10s\n' "heap after GC (KiB)" "$b_heap" "-" "$a_heap"
printf '%-28s %10s %10s %10s\n' "upstream connections" "$b_up" "$h_up" "$a_up"
ok=1
[ "$a_leak" = "$b_leak" ] || ok=0
[ "$a_fd" -le $((b_fd + 5)) ] || ok=0
[ "$a_thr" -le $((b_thr + 5)) ] || ok=0
[ "$a_up" = "$b_up" ] || ok=0
[ "$a_heap" -le $((b_heap * 3 / 2 + 8192)) ] || ok=0
if [ "$ok" = 1 ]; then echo "soak: back to baseline"; else echo "soak: NOT back to baseline (see $log)"; grep -m 3 -A 5 'LEAK:' "$log" || true; exit 1; fi
