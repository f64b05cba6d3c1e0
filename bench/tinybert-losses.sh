#!/usr/bin/env bash
# Does TinyBERT's layer loss help? The same students trained with "method": "embedding" (pooled cosine only) and
# "method": "tinybert" (plus hidden-state and attention-probability MSE on teacher layers 1, 3, 5, weights 1 and 1),
# same seed, data and steps, on a prefix of the vendored training texts, evaluated on test.csv's 1,000 pairs:
#   - the DistilBERT-style student (3 layers of 384 starting as teacher layers INIT, default [0,4,5]);
#   - a small student from random weights (3 layers of 192, 6 heads, feed-forward 768, a linear to 384; the hidden
#     states go through a learned 192 -> 384 projection, the maps are head-averaged).
# Usage: bench/tinybert-losses.sh [Debug|Release] [train texts] [epochs] [maxLength]   (build the solution first)
# Cost on this 2-core machine: about 5 min per run at 2,000 texts, 1 epoch, length 32 (four runs).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_host "${1:-Debug}"
rows="${2:-2000}"
epochs="${3:-1}"
length="${4:-32}"
init="${INIT:-[0,4,5]}"
bench_kept_work
for run in "distil-embedding 3 $init embedding 384" "distil-tinybert 3 $init tinybert 384" "small-embedding 3 random embedding 192" "small-tinybert 3 random tinybert 192"; do
  read -r name layers start method hidden <<< "$run"
  python3 bench/distilbert-student.py "$name" "$layers" "$start" "$method" "$epochs" "$length" "$work" "$rows" "$hidden"
  echo "bench: $name" >&2
  # One work folder: the teacher's embeddings of the same texts are computed once and reused from its cache.
  nice dotnet "$host" run "$work/$name.json" --work-dir "$work/work" > "$work/$name.log" 2>&1 || { tail -20 "$work/$name.log"; exit 1; }
  cp "$work/work/result.json" "$work/$name.result.json"
  grep -E "epoch [0-9]+/|recall@10|cosine to teacher" "$work/$name.log" | sed "s/^/$name: /"
done
echo "work folder: $work" >&2
