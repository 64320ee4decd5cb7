#!/usr/bin/env bash
# `npm start`: install what is missing, build the package and the demo apps, serve www/ on 127.0.0.1:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs
bash www/build.sh
exec node www/server.mjs
