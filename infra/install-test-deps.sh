#!/usr/bin/env bash
# Installs the machine packages the test suite needs. Idempotent: installs only what is missing.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-test-deps: the .NET SDK (dotnet) is required; see global.json for the version" >&2
  exit 1
fi

# Nothing beyond the .NET SDK is needed yet; the cluster issues add Redis, Azurite and Chromium here.
dotnet restore "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/Mining.sln" --nologo -v quiet
