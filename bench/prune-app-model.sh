#!/usr/bin/env bash
# Structured pruning of an app's ONNX model (issue 18), on the MNIST sample's teacher CNN (conv 32,
# conv 64, fc 256) as the app's model: first the pipeline trains that teacher (15 epochs, into a
# private teacher cache) and its ONNX file becomes "model.onnx" (input: raw pixels times 1/255); then
# prune (targetFlopsRatio 0.6, one round, L1) runs four ways: without fine-tuning and with 3 epochs of
# KD from the unpruned model (T = 4, alpha = 0.9), each with roundTo 1 and 16. Each prune stage times
# the two ONNX files side by side (ONNX Runtime, one thread, alternating runs, medians of 200); the
# lines printed come from each run's report.md.
# Usage: bench/prune-app-model.sh [Debug|Release]   (build the solution first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_host "${1:-Debug}"
bench_temp_work

python3 - "$PWD/samples/MnistClassifier" "$work" <<'PY'
import json, os, sys
sample, work = sys.argv[1], sys.argv[2]
config = json.load(open(os.path.join(sample, "compression.json")))
for key in ("$schema", "licensePolicy", "baseline"):
    config.pop(key, None)
for split in ("train", "test"):
    for file in ("features", "labels"):
        config["data"][split][file] = os.path.join(sample, config["data"][split][file])
# The teacher trains as the sample's does; one cheap distill epoch makes the plan complete.
teacher = dict(config, budgets={}, stages=[s for s in config["stages"] if s["stage"] in ("distill", "export")])
for stage in teacher["stages"]:
    if stage["stage"] == "distill":
        stage["settings"].update(epochs=1, compareWithScratch=False, repeats=1)
os.makedirs(os.path.join(work, "teacher"))
json.dump(teacher, open(os.path.join(work, "teacher", "compression.json"), "w"), indent=1)
data = dict(config["data"])
data.pop("normalization", None)
for name, epochs, round_to in (("no-fine-tune", 0, 1), ("kd", 3, 1), ("no-fine-tune-roundTo16", 0, 16), ("kd-roundTo16", 3, 16)):
    os.makedirs(os.path.join(work, name))
    json.dump({
        "data": data,
        "model": {"onnx": os.path.join(work, "model.onnx"),
                  "input": {"layout": "NCHW", "channels": 1, "size": [28, 28], "scale": 0.00392156862745098}, "license": "MIT"},
        "stages": [{"stage": "prune", "settings": {"targetFlopsRatio": 0.6, "steps": 1, "fineTuneEpochs": epochs, "roundTo": round_to}}],
        "budgets": {},
    }, open(os.path.join(work, name, "compression.json"), "w"), indent=1)
PY

dotnet "$host" run "$work/teacher/compression.json" --work-dir "$work/teacher/work" --teacher-cache "$work/teachers" > "$work/teacher.log" 2>&1
cp "$(find "$work/teachers" -name teacher.onnx | head -1)" "$work/model.onnx"
echo "app's model: the sample's teacher, sha256 $(sha256sum "$work/model.onnx" | cut -d' ' -f1)"
for name in no-fine-tune kd no-fine-tune-roundTo16 kd-roundTo16; do
  echo "== ${name}"
  status=0
  dotnet "$host" run "$work/${name}/compression.json" --work-dir "$work/${name}/work" --teacher-cache off > "$work/${name}.log" 2>&1 || status=$?
  grep -E "error CMP" "$work/${name}.log" || true
  awk '/^### prune/{on=1; next} /^### /{on=0} on && /^\|/' "$work/${name}/work/report.md"
  echo "exit ${status}"
done
