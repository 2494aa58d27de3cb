#!/usr/bin/env bash
# Sets up and starts a working demo: installs what is missing, starts a throwaway PostgreSQL with
# the sample schema, builds and starts the gateway with OPA as its managed child, and prints a
# ready-to-paste psql line with a short-lived token. `scripts/demo.sh stop` stops it all.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
demo="$repo_root/.demo"
gw_port="${PORTCULLIS_DEMO_PORT:-6432}"

stop() {
  [ -f "$demo/gateway.pid" ] && kill "$(cat "$demo/gateway.pid")" 2>/dev/null || true
  if [ -d "$demo/pg/data" ]; then
    runuser -u postgres -- "$(find_pg_bin)/pg_ctl" -D "$demo/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$demo"
  echo "demo stopped"
}
if [ "${1:-}" = stop ]; then stop; exit 0; fi
[ ! -d "$demo" ] || stop >/dev/null

bash "$repo_root/scripts/install-deps.sh"
JAVA_HOME="$(bash "$repo_root/scripts/find-jdk.sh")"; export JAVA_HOME
opa="$(find_opa)"; pg_bin="$(find_pg_bin)"
jar="$(ls "$repo_root"/pep-proxy/target/pep-proxy-*-all.jar 2>/dev/null | sed -n 1p || true)"
if [ -z "$jar" ]; then
  echo "demo: building the gateway"
  (cd "$repo_root" && ./mvnw -B -q -DskipTests package)
  jar="$(ls "$repo_root"/pep-proxy/target/pep-proxy-*-all.jar | sed -n 1p)"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg_port="$(free_port)"
password="demo-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$demo/pg"; chown postgres "$demo/pg"
echo "$password" > "$demo/pg/pw"; chown postgres "$demo/pg/pw"; chmod 600 "$demo/pg/pw"
runuser -u postgres -- "$pg_bin/initdb" -D "$demo/pg/data" -U postgres --auth-local=trust \
  --auth-host=scram-sha-256 --pwfile="$demo/pg/pw" -E UTF8 --locale=C >/dev/null
cat >> "$demo/pg/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$demo/pg'
log_statement = 'all'
CONF
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$demo/pg/data" -l "$demo/pg/postgresql.log" -w start >/dev/null
export PGHOST=127.0.0.1 PGPORT="$pg_port" PGUSER=postgres PGPASSWORD="$password"
"$pg_bin/psql" -qX -c "CREATE ROLE portcullis_gw LOGIN PASSWORD '$password'" -c "CREATE DATABASE demo"
"$pg_bin/psql" -qX -d demo -f "$repo_root/tests/src/test/resources/sample-schema.sql" \
  -c "GRANT ALL ON ALL TABLES IN SCHEMA public TO portcullis_gw" \
  -c "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO portcullis_gw"
unset PGHOST PGPORT PGUSER PGPASSWORD

admin_port="$(free_port)"
cat > "$demo/config.yaml" <<YAML
listen:
  postgres: 127.0.0.1:$gw_port
  allow_cleartext_on_loopback: true
identity:
  audiences: [portcullis]
  dev_issuer: {enabled: true, listen: 127.0.0.1:$(free_port), key_file: $demo/dev-issuer.jwk}
opa:
  managed: {binary: $opa, policies: $repo_root/policies, addr: 127.0.0.1:$(free_port), log_file: $demo/opa.log}
targets:
  - {name: demo, protocol: postgres, host: 127.0.0.1, port: $pg_port, database: demo, user: portcullis_gw, password_file: $demo/pg/pw}
log:
  decisions: $demo/decisions.log
data_dir: $demo/data
admin:
  listen: 127.0.0.1:$admin_port
YAML
nohup "$JAVA_HOME/bin/java" -jar "$jar" run --config "$demo/config.yaml" > "$demo/gateway.log" 2>&1 &
echo $! > "$demo/gateway.pid"
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$gw_port") 2>/dev/null && break
  kill -0 "$(cat "$demo/gateway.pid")" 2>/dev/null || { cat "$demo/gateway.log" >&2; exit 1; }
  sleep 0.2
done
token() { "$JAVA_HOME/bin/java" -jar "$jar" dev-token --config "$demo/config.yaml" --subject "$1" --groups "$2"; }
reader="$(token ci-runner readers)"
cat <<MSG

Portcullis is running on 127.0.0.1:$gw_port in front of a demo PostgreSQL (customers, orders).
A reader (tokens live 15 minutes):

  psql "host=127.0.0.1 port=$gw_port user=ci-runner dbname=demo password=$reader"

Try:  SELECT * FROM customers LIMIT 3;   (email, card number and SSN come back masked)
      SELECT id FROM customers WHERE email LIKE 'c%';   DROP TABLE orders;   SELECT pg_read_file('/etc/passwd');
An agent, whose writes wait for a dba's approval:
  psql "host=127.0.0.1 port=$gw_port user=agent dbname=demo password=$(token agent-7 readers,agents)"
  UPDATE orders SET status = 'paid' WHERE id = 1;
and a dba who approves it (in another terminal):
  PORTCULLIS_TOKEN=$(token dba-1 readers,dba) bin/portcullis approvals list --admin-url http://127.0.0.1:$admin_port
  PORTCULLIS_TOKEN=... bin/portcullis approvals approve apr_... --admin-url http://127.0.0.1:$admin_port
Other tokens:  PORTCULLIS_CONFIG=$demo/config.yaml bin/portcullis dev-token --subject alice --groups writers
The session record:  PORTCULLIS_CONFIG=$demo/config.yaml bin/portcullis sessions list
Decisions: $demo/decisions.log    Gateway log: $demo/gateway.log    Stop: scripts/demo.sh stop
MSG
