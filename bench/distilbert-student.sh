#!/usr/bin/env bash
# Issue 19's DistilBERT-style student on the vendored Debian package descriptions
# (samples/SentenceEmbeddings/data): all-MiniLM-L6-v2 (6 layers) as the teacher, a 3-layer student whose encoder
# layers start as teacher layers INIT (default [0, 4, 5]; PROBE=1 first evaluates five choices untrained; DistilBERT's
# every-other [0, 2, 4] starts worst) with the token embedding copied too (init.fromTeacher), distilled with the
# "embedding" method (1 - cosine to the teacher's pooled embedding) on the 10,800 training texts (12,000 minus the
# 10% validation split), and evaluated on test.csv's 1,000 query/document pairs (recall@10 retention with the
# evaluator's paired bootstrap interval). Then both models timed side by side at batch 1 and the same length
# (bench/sentence-latency: one thread each, runs interleaved) and their non-embedding parameters counted.
# With TINYBERT=1 the same student is also trained with "method": "tinybert" (hidden-state and attention MSE on
# teacher layers 1, 3, 5 besides the pooled loss); with SCRATCH=1 a 3-layer student from random weights too.
# Usage: bench/distilbert-student.sh [Debug|Release] [epochs] [maxLength]   (build the solution first)
# Cost on this 2-core machine (shared with other jobs): teacher embeddings of 12,000 texts about 3 min (cached
# afterwards in the teacher cache), an epoch of the 3-layer student at length 32 10-23 min (two by default), evaluation 1 min.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_host "${1:-Debug}"
epochs="${2:-2}"
length="${3:-32}"
bench_kept_work
dotnet build bench/sentence-latency -c Release -o "$work/latency" -nologo -v q > "$work/latency-build.log" 2>&1 || { tail -20 "$work/latency-build.log"; exit 1; }

init="${INIT:-[0,4,5]}"
if [ "${PROBE:-0}" = 1 ]; then
  # Which teacher layers to keep: each choice evaluated untrained (64 texts at a learning rate of 1e-9, about 1 min each).
  for choice in "[0,2,4]" "[1,3,5]" "[0,2,5]" "[0,3,5]" "[0,4,5]"; do
    name="probe-$(echo "$choice" | tr -dc 0-9)"
    python3 bench/distilbert-student.py "$name" 3 "$choice" embedding 1 "$length" "$work" 64
    sed -i 's/"learningRate": 0.0001/"learningRate": 1e-9/' "$work/$name.json"
    nice dotnet "$host" run "$work/$name.json" --work-dir "$work/$name" 2>&1 | grep -E "recall@10|cosine to" | sed "s/^/$choice untrained: /"
  done
fi
runs=("half3 3 $init embedding")
[ "${TINYBERT:-0}" = 1 ] && runs+=("half3-tinybert 3 $init tinybert")
[ "${SCRATCH:-0}" = 1 ] && runs+=("scratch3 3 random embedding")
for run in "${runs[@]}"; do
  read -r name layers init method <<< "$run"
  python3 bench/distilbert-student.py "$name" "$layers" "$init" "$method" "$epochs" "$length" "$work" 0
  echo "bench: $name ($method, init $init, $epochs epoch(s), length $length)" >&2
  nice dotnet "$host" run "$work/$name.json" --work-dir "$work/$name" > "$work/$name.log" 2>&1 || { tail -20 "$work/$name.log"; exit 1; }
  grep -E "recall@10|recall@1 |MRR|cosine to teacher|passed in" "$work/$name.log"
done

result="$work/half3/result.json"
# int8 on top: the quantize stage's figures (int8 against the fp32 student, side by side on the same documents).
python3 - "$result" <<'PY'
import json, sys
def walk(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{path}.{key}" if path else key)
    elif path.startswith("quantize.") or ".quantize." in path or "metrics.quantize" in path:
        yield path, node
for key, value in walk(json.load(open(sys.argv[1]))):
    print(f"{key} = {value}")
PY
teacher=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['teacherModel'])" "$result")
int8=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['studentModel'])" "$result")
# The fp32 student is the export stage's artifact (the quantize stage ships int8 here: shipInt8 always).
fp32=$(python3 -c "import json,os,sys; r=json.load(open(sys.argv[1])); print(os.path.join(os.path.dirname(sys.argv[1]), 'cache', next(s['cacheKey'] for s in r['stages'] if s['id'] == 'export'), 'model.onnx'))" "$result")
# The student's position table has maxLength rows, so it is timed at that length and at half of it.
for l in "$length" $((length / 2)); do
  echo "fp32 student against the teacher:"
  nice dotnet "$work/latency/SentenceLatency.dll" "$teacher" "$fp32" "$l" 5 100 | tail -2
  echo "int8 student against the teacher:"
  nice dotnet "$work/latency/SentenceLatency.dll" "$teacher" "$int8" "$l" 5 100 | tail -2 | head -1
done
echo "work folder: $work" >&2
