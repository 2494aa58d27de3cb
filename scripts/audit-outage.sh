#!/usr/bin/env bash
# The long audit-store fault (not part of CI, which cuts for 30 s): the PostgreSQL audit store is
# cut for OUTAGE_S seconds (default 300) under steady load from two JDBC clients; no record may be
# lost or recorded twice and the chain must verify. Runs AuditStoreIT's test of it with the
# longer cut, against the local PostgreSQL and OPA the tests start. Loopback only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib.sh
JAVA_HOME="$(bash scripts/find-jdk.sh)"
export JAVA_HOME
PORTCULLIS_OPA="$(find_opa)"
export PORTCULLIS_OPA
PATH="$(find_pg_bin):$PATH"
export PATH
outage="${OUTAGE_S:-300}"
./mvnw -B -pl tests -am verify -Dportcullis.audit.outage_s="$outage" \
  -Dtest='AuditStoreIT#postgresStoreCutUnderSteadyLoadLosesNoRecordAndTheChainVerifies' \
  -Dsurefire.failIfNoSpecifiedTests=false > /tmp/portcullis-audit-outage.log 2>&1 || true
grep -E 'Tests run:|FAIL' /tmp/portcullis-audit-outage.log || true
# The test's own figures are in its Surefire report.
sed -n 's/.*\(audit store cut for [^<]*\)/\1/p' tests/target/surefire-reports/io.portcullis.e2e.AuditStoreIT-output.txt | sed -n 1p
grep -q 'Tests run: 1, Failures: 0, Errors: 0' /tmp/portcullis-audit-outage.log
