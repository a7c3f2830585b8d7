#!/usr/bin/env bash
# Builds the embedded Neo4j test server (tests/neo4j_harness) with Maven.
# Output: tests/neo4j_harness/target/classes + target/dependency/*.jar,
# and target/.harness-built (stamp written last, only on success).
# Idempotent: does nothing when the stamp is newer than pom.xml and the Java sources.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
harness="$repo_root/tests/neo4j_harness"
stamp="$harness/target/.harness-built"

missing=()
command -v java >/dev/null 2>&1 || missing+=("java (JDK 17+)")
command -v mvn >/dev/null 2>&1 || missing+=("mvn (Maven 3.8+)")
if ((${#missing[@]})); then
    echo "build-neo4j-harness: ERROR: missing required tool(s): ${missing[*]}." >&2
    echo "build-neo4j-harness: the Neo4j-backed tests need a JDK and Maven, e.g. 'apt-get install -y openjdk-17-jdk-headless maven'." >&2
    exit 1
fi

if [[ -f "$stamp" && -z "${FORCE_REBUILD:-}" ]]; then
    newer="$(find "$harness/pom.xml" "$harness/src" -type f -newer "$stamp" -print -quit)"
    if [[ -z "$newer" ]]; then
        exit 0
    fi
fi

rm -f "$stamp"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! mvn -q -B -f "$harness/pom.xml" compile dependency:copy-dependencies >"$log" 2>&1; then
    echo "build-neo4j-harness: ERROR: Maven build failed; last lines of output:" >&2
    tail -n 40 "$log" >&2
    exit 1
fi
test -f "$harness/target/classes/briefgraph/testing/EmbeddedNeo4j.class"
touch "$stamp"
echo "build-neo4j-harness: built $harness/target"
