#!/usr/bin/env bash
# Coverage-guided fuzzing of each Jazzer target for a fixed time; prints executions, coverage and
# findings per target. Findings are written next to the seeds (src/test/resources/.../*Inputs/)
# as crash-* files, where the normal build then replays them.
#   bench/fuzz.sh [DURATION]        (default 3m per target; Jazzer's form: 30s, 3m, 1h)
#   FUZZ_TARGETS="Class#method ..." bench/fuzz.sh 1m
set -uo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-3m}
: "${JAVA_HOME:=$(scripts/find-jdk.sh 2>/dev/null || true)}"
export JAVA_HOME
TARGETS=${FUZZ_TARGETS:-"protocol-decoders:FrontendFramingFuzzTest#messages
protocol-decoders:FrontendFramingFuzzTest#clientStream
protocol-decoders:SqlAnalyzerFuzzTest#analyze
protocol-decoders:K8sPathFuzzTest#path
protocol-decoders:ShellParserFuzzTest#parse
protocol-decoders:SftpFramingFuzzTest#clientStream
protocol-decoders:SftpFramingFuzzTest#serverStream
protocol-decoders:ShellParserFuzzTest#parse
pep-proxy:PgSessionFuzzTest#clientMessages
pep-proxy:SftpRelayFuzzTest#clientBytes"}
OUT=bench/results/fuzz
mkdir -p "$OUT"
./mvnw -B -o -q -pl pep-proxy -am test-compile >/dev/null || exit 1
printf '%-48s %10s %8s %8s %s\n' target executions cov corpus findings
status=0
for entry in $TARGETS; do
  module=${entry%%:*}
  test=${entry#*:}
  log="$OUT/${test//#/.}.log"
  # One target per JVM: Jazzer fuzzes a single @FuzzTest per run.
  JAZZER_FUZZ=1 ./mvnw -B -o -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="$DURATION" >"$log" 2>&1
  report="$module/target/surefire-reports/io.portcullis.*${test%%#*}-output.txt"
  cat $report >>"$log" 2>/dev/null
  runs=$(grep -oE '^Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)
  corp=$(grep -oE 'corp: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)
  [ -z "$runs" ] && runs=$(grep -oE '^#[0-9]+' <<<"$last" | tr -d '#')
  findings=$(grep -c 'FuzzTestFindingException' "$module"/target/surefire-reports/*"${test%%#*}".txt 2>/dev/null)
  [ "${findings:-0}" != 0 ] && status=1
  printf '%-48s %10s %8s %8s %s\n' "$test" "${runs:-?}" "${cov:-?}" "${corp:-?}" "${findings:-0}"
done
exit $status
