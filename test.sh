#!/usr/bin/env bash
# Installs what the tests need, builds, runs every test project and prints one closing line
# "N passed, N failed, N skipped" counted from the test results (TRX files).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

"$root/infra/install-test-deps.sh" || { echo "test.sh: installing test dependencies failed" >&2; echo "0 passed, 1 failed"; exit 1; }

results="$root/artifacts/test-results"
# Tests write their scratch files under the temp folder; start from a clean one.
rm -rf "${TMPDIR:-/tmp}/mining-tests"
rm -rf "$results"
mkdir -p "$results"

dotnet test Mining.sln -c Release --nologo \
  --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  # Skipped tests are in the total but not executed (the TRX notExecuted counter stays 0 for them).
  skipped=$((skipped + $(value total) - $(value executed)))
done

# A test project whose build failed writes no result file: count each missing one as a failure.
expected="$(find "$root/tests" -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' | wc -l)"
if [[ $files -lt $expected ]]; then
  echo "test.sh: $expected test projects but only $files result files" >&2
  failed=$((failed + expected - files))
  status=1
fi

if [[ $files -eq 0 || $status -ne 0 && $failed -eq 0 ]]; then
  # The build or the runner failed before results were written: count that as a failure.
  echo "test.sh: dotnet test exited with $status and wrote $files result files" >&2
  failed=$((failed + 1))
  status=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit $status
