#!/bin/sh
# Trains the JDK's AOT cache for one launcher with the exact runtime and jar it will run with, and
# writes APP_DIR/NAME.args: the baked JVM options (NAME.jvm-options beside this script), the cache
# when one was made, and -jar APP_DIR/ms365-mcp-NAME.jar. The image starts `java @/app/NAME.args`.
# Runs in the image's final stage (through a build-only shell; the image has none) and in
# .ci/deploy-check inside a minimal Debian root, so it needs only a POSIX shell and the runtime.
#   aot-train.sh RUNTIME APP_DIR NAME TRAINING_MAIN_CLASS
set -eu
runtime=${1:?usage: aot-train.sh RUNTIME APP_DIR NAME TRAINING_MAIN_CLASS}
app=${2:?}
name=${3:?}
main=${4:?}
here=$(dirname "$0")
jar="$app/ms365-mcp-$name.jar"
aot="$app/ms365-mcp-$name.aot"
args="$app/$name.args"
options=""
while IFS= read -r line; do
  case $line in ''|'#'*) ;; *) options="$options $line" ;; esac
done < "$here/$name.jvm-options"
rm -f "$aot"
# The training run exits normally after a scripted session; then the JVM writes the cache.
# shellcheck disable=SC2086 # one option per word
if err=$("$runtime/bin/java" -XX:AOTCacheOutput="$aot" $options -cp "$jar" "$main" 2>&1 >/dev/null) && [ -s "$aot" ]; then
  echo "aot-train.sh: $aot trained with $main"
  cache="-XX:AOTCache=$aot"
else
  # A JVM that could not start the training may still have written a cache of its failed start: drop it.
  rm -f "$aot"
  case $err in
    *"Could not find or load main class"*) echo "aot-train.sh: $jar has no $main: no AOT cache for $name" ;;
    *) echo "aot-train.sh: training $name failed:" >&2; echo "$err" >&2; exit 1 ;;
  esac
  cache=""
fi
{
  [ -z "$cache" ] || echo "$cache"
  for option in $options; do echo "$option"; done
  echo "-jar"
  echo "$jar"
} > "$args"
echo "aot-train.sh: wrote $args"
