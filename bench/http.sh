#!/usr/bin/env bash
# The HTTP gateway's throughput, with wrk, in one run: nginx serving a JSON record directly,
# nginx as a plain reverse proxy in front of it (keep-alive upstream), and the gateway in front of
# it with the decision cache on and off (plain HTTP/1.1 on loopback, audit log off as in
# bench/pgbench.sh), plus one gateway with the audit log on (embedded store: each request's record
# is durable before it is forwarded). The gateway runs are for a pii_reader (no masking: the
# proxy and policy cost) and, as an extra line, for a reader (card number, email and SSN masked
# by JSON path, and any card number by pattern). Prints requests/s, average latency and the ratios against nginx's
# proxied rate; writes them to bench/results/. Not part of CI.
#   DURATION=10 (seconds per run)  ROUNDS=2  CONNECTIONS=32  THREADS=2  WARMUP=15 (seconds per
#   target before the first round, unrecorded: the JIT compiles the gateway's hot path meanwhile)
#   GATEWAY_YAML (more top-level YAML for both gateways, e.g. "audit: {enabled: false}")
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
duration="${DURATION:-10}"
rounds="${ROUNDS:-2}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-2}"
warmup="${WARMUP:-15}"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
command -v wrk >/dev/null || { echo "wrk is missing (scripts/install-deps.sh)" >&2; exit 1; }
# Stop the servers and wait for them before the shared cleanup removes their directories.
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; cleanup' EXIT

path=/api/customers/42
mkdir -p "$work/nginx/www/api/customers" "$work/nginx/tmp"
printf '%s' '{"id":42,"name":"Ann Example","email":"ann@example.com","card_number":"4111111111111111","ssn":"123-45-6789","note":"paid with 5500 0000 0000 0004"}' \
  > "$work/nginx/www$path"
origin_port="$(free_port)"; proxy_port="$(free_port)"
cat > "$work/nginx/nginx.conf" <<CONF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fcgi; uwsgi_temp_path $work/nginx/tmp/uwsgi; scgi_temp_path $work/nginx/tmp/scgi;
  default_type application/json;
  keepalive_requests 1000000;
  upstream origin { server 127.0.0.1:$origin_port; keepalive 64; }
  server { listen 127.0.0.1:$origin_port; root $work/nginx/www; }
  server {
    listen 127.0.0.1:$proxy_port;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pids+=($!)
wait_port "$origin_port"; wait_port "$proxy_port"

# Starts a gateway named $1 with the decision cache $2 in front of the origin; sets ${name}_port.
start_http_gateway() {
  local name="$1" cache="$2" audit="$3" port pg_port opa_port issuer_port
  port="$(free_port)"; pg_port="$(free_port)"; opa_port="$(free_port)"; issuer_port="$(free_port)"
  mkdir -p "$work/$name"
  cat > "$work/$name/config.yaml" <<YAML
listen:
  postgres: 127.0.0.1:$pg_port
identity:
  audiences: [portcullis]
  dev_issuer: {enabled: true, listen: 127.0.0.1:$issuer_port, key_file: $work/$name/dev-issuer.jwk}
opa:
  managed: {binary: $opa, policies: $repo_root/policies, addr: 127.0.0.1:$opa_port, log_file: $work/$name/opa.log}
  timeout_ms: 500
  cache_enabled: $cache
targets:
  - {name: customers-api, protocol: http, listen: 127.0.0.1:$port, url: http://127.0.0.1:$origin_port}
log:
  decisions: $work/$name/decisions.log
data_dir: $work/$name/data
audit: {enabled: $audit}
${GATEWAY_YAML:-}
YAML
  "$java_home/bin/java" -Xmx1g -jar "$jar" run --config "$work/$name/config.yaml" > "$work/$name/gateway.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
  eval "${name}_port=$port"
}
start_http_gateway cache_on true false
start_http_gateway cache_off false false
start_http_gateway audited true true
token_for() { # gateway groups
  "$java_home/bin/java" -jar "$jar" dev-token --config "$work/$1/config.yaml" --subject bench --groups "$2" --ttl PT3H
}
cache_on_token="$(token_for cache_on readers,pii_readers)"
cache_off_token="$(token_for cache_off readers,pii_readers)"
masked_token="$(token_for cache_on readers)"
audited_token="$(token_for audited readers,pii_readers)"
direct_port="$origin_port"; nginx_proxy_port="$proxy_port"; masked_port="$cache_on_port"

# Every target must answer 200 with the record before it is measured.
for t in direct nginx_proxy cache_on cache_off masked audited; do
  port="$(eval echo "\$${t}_port")"; tok="$(eval echo "\${${t}_token:-}")"
  # A gateway denies (fails closed) until its managed OPA has loaded the policies.
  for _ in $(seq 1 60); do
    code="$(curl -s -o /dev/null -w '%{http_code}' ${tok:+-H "Authorization: Bearer $tok"} "http://127.0.0.1:$port$path")"
    [ "$code" = 200 ] && break
    sleep 0.5
  done
  [ "$code" = 200 ] || { echo "$t answered $code, not 200" >&2; exit 1; }
done

results="$work/results.tsv"
run() { # target
  local target="$1" port tok out rps lat non2xx
  port="$(eval echo "\$${target}_port")"; tok="$(eval echo "\${${target}_token:-}")"
  out="$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency ${tok:+-H "Authorization: Bearer $tok"} \
    "http://127.0.0.1:$port$path" 2>&1)" || { echo "$out" >&2; return 1; }
  # Denials (an OPA answer slower than timeout_ms fails closed) are counted, not measured as served.
  non2xx="$(echo "$out" | sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')"
  rps="$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')"
  lat="$(echo "$out" | awk '/^    Latency/ {print $2}')"
  printf '%s\t%s\t%s\t%s\n' "$target" "$rps" "$lat" "${non2xx:-0}" | tee -a "$results"
}

for target in direct nginx_proxy cache_on cache_off masked audited; do
  port="$(eval echo "\$${target}_port")"; tok="$(eval echo "\${${target}_token:-}")"
  wrk -t"$threads" -c"$connections" -d"${warmup}s" ${tok:+-H "Authorization: Bearer $tok"} \
    "http://127.0.0.1:$port$path" >/dev/null 2>&1 || true
done

echo "target	requests/s	avg_latency	non_2xx"
for _ in $(seq 1 "$rounds"); do
  for target in direct nginx_proxy cache_on cache_off masked audited; do
    run "$target" || echo "$target	FAILED"
  done
done

mkdir -p "$repo_root/bench/results"
report="$repo_root/bench/results/http-$(date +%Y%m%d-%H%M%S).txt"
python3 - "$results" "$duration" "$rounds" "$connections" "$threads" "$(nproc)" "$(uptime)" <<'PY' | tee "$report"
import sys, collections, statistics
path, duration, rounds, conns, threads, cpus, load = sys.argv[1:8]
rows = collections.defaultdict(list)
denied = collections.Counter()
for line in open(path):
    t, rps, lat, non2xx = line.rstrip("\n").split("\t")
    rows[t].append(float(rps))
    denied[t] += int(non2xx)
names = {
    "direct": "nginx direct (static JSON)",
    "nginx_proxy": "nginx as reverse proxy",
    "cache_on": "gateway, decision cache on",
    "cache_off": "gateway, decision cache off",
    "masked": "gateway, cache on, JSON masked",
    "audited": "gateway, cache on, audit log on",
}
print(f"wrk -t{threads} -c{conns}, {duration} s per run, {rounds} rounds interleaved, {cpus} CPUs shared with wrk and nginx")
print(f"load at the end: {load.strip()}\n")
proxied = statistics.median(rows["nginx_proxy"]) if rows["nginx_proxy"] else None
print(f"{'target':34} {'requests/s':>11} {'x nginx proxy':>14} {'non-2xx':>8}")
for t in names:
    if not rows[t]:
        continue
    m = statistics.median(rows[t])
    ratio = f"{m / proxied:.2f}" if proxied else "-"
    print(f"{names[t]:34} {m:11.0f} {ratio:>14} {denied[t]:>8}")
PY
