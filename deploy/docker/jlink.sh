#!/bin/sh
# Makes a Java runtime holding only the modules the given jars need (jdeps), at OUT_DIR.
# Run by the Dockerfile's build stage and by .ci/deploy-check with the same arguments.
set -eu
out=${1:?usage: jlink.sh OUT_DIR JAR...}
shift
[ $# -gt 0 ] || { echo "jlink.sh: name at least one jar" >&2; exit 2; }
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
modules=$(for jar in "$@"; do
  "$jdk/bin/jdeps" --ignore-missing-deps --multi-release 21 --print-module-deps "$jar"
done | tr ',' '\n' | sort -u | paste -sd, -)
# jdeps sees only static references; these are reached by name at run time (service loaders, TLS).
modules="$modules,$(paste -sd, "$(dirname "$0")/extra-modules")"
echo "jlink.sh: modules $modules"
rm -rf "$out"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --output "$out"
"$out/bin/java" -Xshare:off -version
