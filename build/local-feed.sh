#!/usr/bin/env bash
# Builds a local NuGet feed with everything a plugin author or an app needs from this repo, from a
# fresh clone (no prior build): the plugin SDK (Compression.Abstractions and the libraries
# build/CompressionSdk.props lists: Compression.Onnx, .Data, .Models, .Quantization), the MSBuild package
# (Compression.Build, with the host and its first-party plugins) and the dotnet new templates
# (Compression.Templates). Usage: build/local-feed.sh [feed folder, default ~/feed]
# COMPRESSION_PACKAGE_VERSION=x.y.z packs every package (and the templates' SDK version) as x.y.z,
# so a re-pack is never shadowed by an older copy of the same version in the NuGet cache.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
feed="${1:-$HOME/feed}"
mkdir -p "$feed"
feed="$(cd "$feed" && pwd)"

version_args=()
if [ -n "${COMPRESSION_PACKAGE_VERSION:-}" ]; then
  version_args=("-p:Version=$COMPRESSION_PACKAGE_VERSION" "-p:CompressionSdkVersion=$COMPRESSION_PACKAGE_VERSION")
fi

# Pack builds each project it packs (Compression.Build builds the host through its ProjectReference).
sdk_projects=$("$repo/build/sdk-projects.sh")
for project in $(printf 'src/%s ' $sdk_projects) src/Compression.Build templates/Compression.Templates; do
  dotnet pack "$repo/$project" -c Release -o "$feed" -nologo ${version_args[@]+"${version_args[@]}"}
done
echo "local feed: $feed"
ls -1 "$feed"/*.nupkg
