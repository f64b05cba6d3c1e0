#!/usr/bin/env bash
# Regenerates src/Compression.Core/Provenance/Licensing/spdx-licenses.json (the SPDX License List's
# ids, which compress checks licence expressions against) from the npm packages spdx-license-ids
# (CC0-1.0) and spdx-exceptions (CC-BY-3.0). Pass versions to pin them, e.g. 3.0.24 2.5.0.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
ids="${1:-latest}"
exceptions="${2:-latest}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund "spdx-license-ids@$ids" "spdx-exceptions@$exceptions" >/dev/null
node -e '
const fs = require("fs");
const v = (p) => require(p + "/package.json").version;
const out = {
  "_source": `SPDX License List, vendored from the npm packages spdx-license-ids ${v("spdx-license-ids")} (CC0-1.0: ids and deprecated ids) and spdx-exceptions ${v("spdx-exceptions")} (CC-BY-3.0: exception ids; the SPDX License List is published by the Linux Foundation under CC-BY-3.0). Regenerate with tools/spdx/update-license-list.sh.`,
  "licenses": require("spdx-license-ids"),
  "deprecatedLicenses": require("spdx-license-ids/deprecated"),
  "exceptions": require("spdx-exceptions"),
  "deprecatedExceptions": require("spdx-exceptions/deprecated.json"),
};
fs.writeFileSync(process.argv[1], JSON.stringify(out, null, 1) + "\n");
' "$repo/src/Compression.Core/Provenance/Licensing/spdx-licenses.json"
echo "wrote $repo/src/Compression.Core/Provenance/Licensing/spdx-licenses.json"
