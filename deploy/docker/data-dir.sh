#!/bin/sh
# Creates the empty /app/data that the final stage copies with the runtime user as owner (the
# final stage has no shell to mkdir/chown). Mode 0700: token cache, state and keys live there.
set -eu
dir=${1:?usage: data-dir.sh DIR}
mkdir -p "$dir"
chmod 0700 "$dir"
