#!/usr/bin/env bash
# Brings every plugin SDK library's PublicAPI.Unshipped.txt up to date with its code: adds what is new
# and removes what no longer exists, as PublicApiAnalyzers reports them (RS0016, RS0017). Review the
# diff: it is the SDK's change log. Libraries go in dependency order (as CompressionSdk.props lists them).
# Usage: build/update-public-api.sh [project name ...] (default: every SDK library)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -gt 0 ]; then
  projects="$*"
else
  projects=$("$repo/build/sdk-projects.sh")
fi
for name in $projects; do
  dir="$repo/src/$name"
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  [ -f "$dir/PublicAPI.Unshipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  dotnet build "$dir/$name.csproj" -c Debug -nologo 2>&1 | python3 "$repo/build/public-api-entries.py" "$dir"
  echo "$name: $(grep -vc '^#' "$dir/PublicAPI.Unshipped.txt" || true) unshipped entries"
done
