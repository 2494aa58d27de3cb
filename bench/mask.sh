#!/usr/bin/env bash
# The cost of masking: the same 100,000-row SELECT of the customers table through the gateway,
# once as a reader (email and card number partial, SSN redacted, card and secret patterns scanned
# in every value) and once as a pii_reader (no mask), and direct for reference. Runs interleaved,
# ROUNDS times each; prints the average latency per run and the ratio masked / unmasked.
#   ROWS=100000  DURATION=10 (seconds per run)  ROUNDS=3
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows="${ROWS:-100000}"
duration="${DURATION:-10}"
rounds="${ROUNDS:-3}"

start_postgres
PGUSER=portcullis_gw PGDATABASE=bench "$pg_bin/psql" -qX -v ON_ERROR_STOP=1 \
  -f "$repo_root/tests/src/test/resources/sample-schema.sql" >/dev/null
PGUSER=portcullis_gw PGDATABASE=bench "$pg_bin/psql" -qX -v ON_ERROR_STOP=1 -c "
  INSERT INTO customers (name, email, card_number, ssn)
  SELECT 'Customer ' || i, 'customer' || i || '@example.com',
         (ARRAY['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117'])[1 + i % 4],
         lpad((100 + i % 500)::text, 3, '0') || '-' || lpad((10 + i % 90)::text, 2, '0') || '-' || lpad((1000 + i % 8000)::text, 4, '0')
  FROM generate_series(51, $rows) AS i;
  ANALYZE customers;" >/dev/null

# Audit off: bench/audit.sh measures its cost; here only masking differs between the runs.
start_gateway gw true "audit: {enabled: false}" readers
masked_token="$gw_token"
unmasked_token="$(gateway_token gw readers,pii_readers)"
echo "SELECT id, name, email, card_number, ssn FROM customers;" > "$work/select.sql"

results="$work/results.tsv"
run() { # label port user password
  local out lat
  out="$(PGHOST=127.0.0.1 PGPORT="$2" PGUSER="$3" PGPASSWORD="$4" \
    "$pg_bin/pgbench" -n -M simple -c 1 -j 1 -T "$duration" -f "$work/select.sql" bench 2>&1)" \
    || { echo "$out" >&2; return 1; }
  lat="$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')"
  printf '%s\t%s\n' "$1" "$lat" | tee -a "$results"
}
echo "run	avg_ms_per_select"
for _ in $(seq 1 "$rounds"); do
  run direct "$pg_port" portcullis_gw "$password"
  run unmasked "$gw_port" bench "$unmasked_token"
  run masked "$gw_port" bench "$masked_token"
done

mkdir -p "$repo_root/bench/results"
report="$repo_root/bench/results/mask-$(date +%Y%m%d-%H%M%S).txt"
python3 - "$results" "$rows" "$duration" <<'PY' | tee "$report"
import sys, collections, statistics
by = collections.defaultdict(list)
for line in open(sys.argv[1]):
    label, ms = line.split()
    by[label].append(float(ms))
print(f"SELECT of {sys.argv[2]} customers rows, {sys.argv[3]} s per run, interleaved\n")
for label in ("direct", "unmasked", "masked"):
    print(f"{label:10} avg {statistics.mean(by[label]):9.1f} ms  runs {', '.join(f'{v:.1f}' for v in by[label])}")
m, u, d = (statistics.mean(by[k]) for k in ("masked", "unmasked", "direct"))
print(f"\nmasked / unmasked: {m / u:.2f}x (target <= 1.3x); unmasked / direct: {u / d:.2f}x")
PY
echo "written: $report"
