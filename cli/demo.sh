#!/usr/bin/env bash
# The main job on a fresh machine: build the CLI (Maven Central only) if needed, then run the demo.
# A real shop service is deployed, broken by v2, detected, and rolled back to v1.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/rollback-guard.jar
if [ ! -f "$jar" ] || [ -n "$(find src/main/java cli/src/main/java -newer "$jar" -name '*.java' -print -quit)" ]; then
  mvn -B -q -ntp -f cli/pom.xml package -DskipTests
fi
exec java -jar "$jar" demo "$@"
