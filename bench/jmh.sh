#!/usr/bin/env bash
# JMH micro-benchmarks of the pure parts (SQL analysis and fingerprints). Prints us/op.
#   bench/jmh.sh [JMH options, e.g. -f 1 -wi 2 -i 3]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
export JAVA_HOME="${JAVA_HOME:-$(bash "$repo_root/scripts/find-jdk.sh")}"
cd "$repo_root"
./mvnw -B -q -pl protocol-decoders test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test >/dev/null
cp="protocol-decoders/target/test-classes:protocol-decoders/target/classes:$(cat protocol-decoders/target/jmh.classpath)"
exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "${@:-io.portcullis.bench}"
