#!/bin/sh
# Builds both launcher jars with the project's Maven wrapper (no tests: CI runs those on its own) and
# copies them to OUT_DIR. The Dockerfile's build stage and .ci/deploy-check both run this script.
# The build-time AOT cache profile is switched off: a cache only works on the runtime that made it,
# so aot-train.sh makes one later with the jlinked runtime.
set -eu
out=${1:?usage: build.sh OUT_DIR}
cd "$(dirname "$0")/../.."
./mvnw -B -q -P '!aot-cache' package -DskipTests
mkdir -p "$out"
cp launcher-stdio/target/ms365-mcp-stdio.jar "$out/"
if grep -q '<module>launcher-http</module>' pom.xml; then
  cp launcher-http/target/ms365-mcp-http.jar "$out/"
fi
ls -l "$out"
