#!/usr/bin/env bash
# Installs what the in-editor tests need on a Debian machine without general internet access:
# Debian's Chromium (driven headless by playwright-core) and code-server (VS Code's server and web
# workbench), which hosts the same extension-host tests that @vscode/test-electron runs elsewhere.
# Idempotent: a stamp file records a finished install. Everything lands in test/e2e/.work/.
set -euo pipefail
cd "$(dirname "$0")"
CODE_SERVER_VERSION=4.100.3 # the newest code-server whose engines.node is 20 (VS Code 1.100.3)
WORK="${OTEL_E2E_WORK:-$PWD/.work}"
PREFIX="$WORK/code-server-$CODE_SERVER_VERSION"
STAMP="$PREFIX/.installed"

if [ -f "$STAMP" ] && [ -x /usr/bin/chromium ]; then
  echo "e2e install: code-server $CODE_SERVER_VERSION and chromium already installed"
  exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# kerberos/argon2/spdlog/watcher build from source (their install scripts would download binaries);
# ripgrep replaces the binary @vscode/ripgrep downloads at install time.
DEBIAN_PACKAGES=(chromium ripgrep libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev pkg-config build-essential python3)
missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "e2e install: apt-get install ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Native modules compile against the headers of the Node that runs them, which ship with it here.
NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [ -d "$NODE_PREFIX/include/node" ]; then export npm_config_nodedir="$NODE_PREFIX"; fi
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

rm -rf "$PREFIX"
mkdir -p "$PREFIX"
echo '{"name":"otel-async-lint-e2e-code-server","private":true}' >"$PREFIX/package.json"
echo "e2e install: code-server@$CODE_SERVER_VERSION into $PREFIX"
(cd "$PREFIX" && npm install --ignore-scripts --no-save "code-server@$CODE_SERVER_VERSION" >/dev/null)

VSCODE="$PREFIX/node_modules/code-server/lib/vscode"
(cd "$VSCODE" && npm install --omit=dev --ignore-scripts >/dev/null)
mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
ln -sf "$(command -v rg)" "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
# node-pty (the terminal) does not build here and the tests do not need a terminal.
for module in kerberos @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid; do
  (cd "$VSCODE" && npm rebuild "$module" >/dev/null) || { echo "e2e install: building $module failed" >&2; exit 1; }
done
ln -sfn node_modules "$VSCODE/node_modules.asar"
(cd "$VSCODE/extensions" && npm install --omit=dev --ignore-scripts >/dev/null)
(cd "$PREFIX" && npm rebuild argon2 >/dev/null)

touch "$STAMP"
echo "e2e install: done"
