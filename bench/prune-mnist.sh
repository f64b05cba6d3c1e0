#!/usr/bin/env bash
# The prune stage's figures on the MNIST sample's teacher-sized CNN, in one session on one machine:
#   - structured (samples/MnistPruning/compression.json): L1, FLOPs to <= 0.5 with roundTo 16, three
#     rounds each fine-tuned 3 epochs with KD from the unpruned teacher;
#   - unstructured (samples/MnistPruning/unstructured.json): 90% global magnitude sparsity, same rounds.
# Both share one work folder, so the teacher trains once and both prune the same model. Each prune
# stage times the unpruned and the pruned ONNX file side by side in one process (ONNX Runtime, one
# thread, alternating runs, medians of 200); the lines printed come from each run's report.md.
# Usage: bench/prune-mnist.sh [Debug|Release]   (build the solution first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_host "${1:-Debug}"
bench_temp_work

for config in compression.json unstructured.json; do
  echo "== samples/MnistPruning/${config}"
  status=0
  dotnet "$host" run "samples/MnistPruning/${config}" --work-dir "$work" > "$work/${config}.log" 2>&1 || status=$?
  grep -E "^compress: (test accuracy|parameters|FLOPs|ONNX bytes|throughput|passed|failed)|error CMP" "$work/${config}.log" || true
  # The prune section of the report: the side-by-side table and the per-round figures.
  awk '/^### prune/{on=1; next} /^### /{on=0} on && /^\|/' "$work/report.md"
  echo "exit ${status}"
done
