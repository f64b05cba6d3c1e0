"""Applies PublicApiAnalyzers' findings (read from a build's output on stdin) to a library's
PublicAPI.Unshipped.txt: RS0016 symbols (new public API) are added, RS0017 symbols (declared but gone)
are removed, or marked *REMOVED* when they had shipped. Used by update-public-api.sh."""
import re
import sys

folder = sys.argv[1]
text = sys.stdin.read()
added = set(re.findall(r"error RS0016: Symbol '(.*)' is not part of the declared public API", text))
removed = set(re.findall(r"error RS0017: Symbol '(.*)' is part of the declared API", text))

unshipped_path = folder + "/PublicAPI.Unshipped.txt"
lines = open(unshipped_path, encoding="utf-8").read().splitlines()
shipped = set(open(folder + "/PublicAPI.Shipped.txt", encoding="utf-8").read().splitlines())
entries = {line for line in lines if line and not line.startswith("#")}
for symbol in removed:
    if symbol in entries:
        entries.discard(symbol)
    elif symbol in shipped:
        entries.add("*REMOVED*" + symbol)  # removing a shipped symbol is a breaking change: recorded as such
entries |= added


def key(entry):
    for prefix in ("*REMOVED*", "~"):
        entry = entry.removeprefix(prefix)
    return entry


header = [line for line in lines if line.startswith("#")] or ["#nullable enable"]
with open(unshipped_path, "w", encoding="utf-8") as file:
    file.write("\n".join(header + sorted(entries, key=key)) + "\n")
print(f"{folder}: {len(added)} added, {len(removed)} removed")
