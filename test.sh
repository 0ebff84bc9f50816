#!/usr/bin/env bash
# Runs every test from a fresh clone: installs what the tests need, builds, runs each test project, and ends with
# one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

scripts/install-test-deps.sh || { echo "installing test dependencies failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

if ! dotnet build RedEducation.sln -c Release -nologo -v:q; then
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

passed=0; failed=0; skipped=0
for project in tests/*.Tests; do
  name=$(basename "$project")
  exe="$project/bin/Release/net10.0/$name"
  [ -x "$exe" ] || { echo "missing test host $exe"; failed=$((failed + 1)); continue; }
  log=$(mktemp)
  "$exe" -noColor -noLogo "$@" 2>&1 | tee "$log"
  summary=$(grep -E "^ +$name +Total: [0-9]+" "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    echo "$name ended without a summary (crashed?)"
    failed=$((failed + 1))
  else
    field() { echo "$summary" | grep -oE "$1: [0-9]+" | grep -oE "[0-9]+" || echo 0; }
    total=$(field Total); errors=$(field Errors); fails=$(field Failed); skips=$(field Skipped); notrun=$(field "Not Run")
    passed=$((passed + total - errors - fails - skips - notrun))
    failed=$((failed + errors + fails))
    skipped=$((skipped + skips + notrun))
  fi
  rm -f "$log"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
