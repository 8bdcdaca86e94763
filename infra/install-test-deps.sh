#!/usr/bin/env bash
# Installs the machine packages the test suite needs. Idempotent: installs only what is missing and
# prints nothing when everything is already there.
#   - the .NET SDK must be present (see global.json);
#   - Azurite (the Azure Storage emulator; grain-state tests) from npm into infra/.tools, never globally;
#   - @duckdb/node-api (DuckDB for Node.js; the codebook interop test runs tests/interop/duckdb-read-codebook.mjs)
#     from npm into infra/.tools, never globally;
#   - redis-server (cluster membership) from Debian's packages;
#   - openssl (infra/local/cluster makes its cluster's TLS certificates with it) from Debian's packages;
#   - Chromium and ChromeDriver (the Mining page's browser test) from Debian's packages.
set -euo pipefail
infra="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$infra/.." && pwd)"

# Azurite 3.36+ needs Node.js 21 or newer; 3.35.0 is the newest that runs on Debian's Node.js 20.
azurite_version="3.35.0"
# Ships DuckDB's native library for linux-x64 inside the npm package (@duckdb/node-bindings-linux-x64); runs on Node.js 20.
duckdb_version="1.5.6-r.1"
tools="$infra/.tools"

say() { echo "install-test-deps: $*" >&2; }

as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "need root to run: $*"; return 1
  fi
}

apt_updated=0
apt_install() {
  if [[ $apt_updated -eq 0 ]]; then
    as_root apt-get update -qq >/dev/null 2>&1 || { say "apt-get update failed"; return 1; }
    apt_updated=1
  fi
  say "installing $*"
  local log
  if ! log="$(DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" 2>&1)"; then
    echo "$log" >&2
    say "apt-get install $* failed"
    return 1
  fi
}

if ! command -v dotnet >/dev/null 2>&1; then
  say "the .NET SDK (dotnet) is required; see global.json for the version"
  exit 1
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi

installed_azurite="$(node -p "require('$tools/node_modules/azurite/package.json').version" 2>/dev/null || true)"
if [[ "$installed_azurite" != "$azurite_version" || ! -x "$tools/node_modules/.bin/azurite-blob" ]]; then
  say "installing azurite $azurite_version into ${tools#"$root"/}"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error --save-exact "azurite@$azurite_version" >/dev/null
fi

installed_duckdb="$(node -p "require('$tools/node_modules/@duckdb/node-api/package.json').version" 2>/dev/null || true)"
if [[ "$installed_duckdb" != "$duckdb_version" ]]; then
  say "installing @duckdb/node-api $duckdb_version into ${tools#"$root"/}"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error --save-exact "@duckdb/node-api@$duckdb_version" >/dev/null
fi

# .NET reads Unicode normalisation (NFC, for Qwen2's tokenizer) from ICU.
if ! ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so'; then
  apt_install libicu72
fi

if ! command -v redis-server >/dev/null 2>&1; then
  apt_install redis-server
  # Debian's package starts a system-wide server on 6379; the tests and infra/local start their own.
fi

if ! command -v openssl >/dev/null 2>&1; then
  apt_install openssl
fi

# The browser test drives Debian's Chromium through its matching ChromeDriver; the test looks for these two paths.
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  apt_install chromium chromium-driver
fi

dotnet restore "$root/Mining.sln" --nologo -v quiet
