#!/usr/bin/env bash
# Installs the peers realtime is benchmarked against into realtime-bench/peers/.work/ (git-ignored),
# from the npm registry, and builds the C floor. Idempotent: a second run reuses what is there.
# Benchmark use only; never part of `mvn verify`, nothing installed here is committed.
#   - Soketi 1.6.1: its uWebSockets.js dependency points at GitHub, unreachable here, so package.json's
#     "overrides" maps it to npm:@trufflesuite/uws-js-unofficial@20.30.0-unofficial.0 (prebuilt for Node 20)
#   - Socket.IO 4.8 (socketio-server.js is the thin emit adapter)
#   - the floor: floor/floor.c with gcc -O2
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$here/.work"
mkdir -p "$work"

command -v node >/dev/null || { echo "node (20.x) is needed: apt-get install nodejs npm" >&2; exit 1; }
command -v gcc >/dev/null || { echo "gcc is needed: apt-get install gcc" >&2; exit 1; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  echo "warning: Node $(node --version); the uWebSockets.js build Soketi gets is made for Node 20" >&2
fi

# npm works in .work so node_modules never lands beside the committed files
cp "$here/package.json" "$work/package.json"
if [ -f "$here/package-lock.json" ]; then
  cp "$here/package-lock.json" "$work/package-lock.json"
fi
if [ ! -f "$work/.installed" ] || ! cmp -s "$here/package.json" "$work/.installed"; then
  (cd "$work" && timeout 600 npm install --no-audit --no-fund --loglevel=error)
  cp "$work/package.json" "$work/.installed"
  # keep the lock file beside package.json so the next machine installs the same versions
  if [ ! -f "$here/package-lock.json" ]; then
    cp "$work/package-lock.json" "$here/package-lock.json"
  fi
fi

# Soketi must load its uWebSockets.js binary on this Node
(cd "$work" && node -e 'require("uWebSockets.js"); require("@soketi/soketi/package.json")' ) \
  || { echo "Soketi's uWebSockets.js does not load on $(node --version)" >&2; exit 1; }

if [ ! -x "$work/floor" ] || [ "$here/../floor/floor.c" -nt "$work/floor" ]; then
  gcc -O2 -Wall -Wextra -o "$work/floor" "$here/../floor/floor.c"
fi

echo "peers ready in $work: soketi $(node -p "require('$work/node_modules/@soketi/soketi/package.json').version")," \
  "socket.io $(node -p "require('$work/node_modules/socket.io/package.json').version"), floor"
