#!/usr/bin/env bash
# Brings every plugin SDK library's PublicAPI.Unshipped.txt up to date with its code: adds what is new
# (the PublicApiAnalyzers code fix for RS0016, through dotnet format) and removes what no longer exists
# (RS0017 has no code fix: its symbols are read from the build's diagnostics). Review the diff: it is
# the SDK's change log. Usage: build/update-public-api.sh [project name ...] (default: every SDK library)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -gt 0 ]; then
  projects="$*"
else
  projects=$(sed -n 's:.*<CompressionSdkProjects>;\(.*\);</CompressionSdkProjects>.*:\1:p' "$repo/build/CompressionSdk.props" | tr ';' ' ')
fi
for name in $projects; do
  dir="$repo/src/$name"
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  [ -f "$dir/PublicAPI.Unshipped.txt" ] || : > "$dir/PublicAPI.Unshipped.txt"
  dotnet format analyzers "$dir/$name.csproj" --diagnostics RS0016 RS0037 --severity warn >/dev/null 2>&1 || true
  # RS0017: "Symbol 'X' is part of the declared API, but is either not public or could not be found".
  removed=$(dotnet build "$dir/$name.csproj" -c Debug -nologo 2>&1 \
    | sed -n "s/.*error RS0017: Symbol '\(.*\)' is part of the declared API.*/\1/p" | sort -u || true)
  if [ -n "$removed" ]; then
    while IFS= read -r symbol; do
      python3 - "$dir/PublicAPI.Unshipped.txt" "$dir/PublicAPI.Shipped.txt" "$symbol" <<'PY'
import sys
unshipped, shipped, symbol = sys.argv[1:]
lines = open(unshipped).read().splitlines()
if symbol in lines:
    lines.remove(symbol)
elif symbol in open(shipped).read().splitlines():
    lines.append('*REMOVED*' + symbol)  # a shipped symbol's removal is a breaking change, recorded as such
open(unshipped, 'w').write('\n'.join(lines) + ('\n' if lines else ''))
PY
    done <<< "$removed"
  fi
  echo "$name: $(grep -vc '^#' "$dir/PublicAPI.Unshipped.txt" || true) unshipped entries"
done
