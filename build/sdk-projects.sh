#!/usr/bin/env bash
# Prints the plugin SDK's project names, space-separated, as build/CompressionSdk.props lists them
# (the one list; local-feed.sh and update-public-api.sh read it through this script).
set -euo pipefail
sed -n 's:.*<CompressionSdkProjects>;\(.*\);</CompressionSdkProjects>.*:\1:p' "$(dirname "$0")/CompressionSdk.props" | tr ';' ' '
