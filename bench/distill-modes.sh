#!/usr/bin/env bash
# Measures, on the MNIST sample's data, teacher and student, in one session on one machine:
#   - an epoch of distillation with the teacher offline (cached logits) vs online (the teacher runs on
#     every augmented batch), both with random-shift augmentation;
#   - the distill stage with repeats 1 vs repeats 3 (each with its scratch baseline);
#   - "method": "auto" with its default search: what it chooses and what it costs.
# Every variant shares one work folder, so the teacher trains once and all variants see the same one.
# Usage: bench/distill-modes.sh [Debug|Release]   (build the solution first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_host "${1:-Debug}"
bench_temp_work

# name  teacherMode  shift  repeats  compareWithScratch  method
variants=(
  "offline-shift offline 2 1 false kd"
  "online-shift  online  2 1 false kd"
  "repeats-1     offline 0 1 true  kd"
  "repeats-3     offline 0 3 true  kd"
  "auto          offline 0 1 true  auto"
)
for variant in "${variants[@]}"; do
  read -r name mode shift repeats compare method <<<"$variant"
  python3 - "$name" "$mode" "$shift" "$repeats" "$compare" "$method" "$work" <<'PY'
import json, os, sys
name, mode, shift, repeats, compare, method, work = sys.argv[1:]
sample = "samples/MnistClassifier"
config = json.load(open(os.path.join(sample, "compression.json")))
config.pop("$schema", None)
for split in ("train", "test"):
    for field in ("features", "labels"):
        config["data"][split][field] = os.path.abspath(os.path.join(sample, config["data"][split][field]))
config["stages"] = [s for s in config["stages"] if s["stage"] in ("distill", "export")]
distill = config["stages"][0]["settings"]
distill.update(teacherMode=mode, repeats=int(repeats), compareWithScratch=compare == "true", method=method)
if int(shift) > 0:
    distill["augment"] = {"shift": int(shift)}
config["budgets"] = {}
json.dump(config, open(os.path.join(work, name + ".json"), "w"), indent=2)
PY
  dotnet "$host" run "$work/$name.json" --work-dir "$work/work" > "$work/$name.log" 2>&1 || { cat "$work/$name.log"; exit 1; }
  cp "$work/work/result.json" "$work/$name.result.json"
  cp "$work/work/report.md" "$work/$name.report.md"
done

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
def load(name):
    r = json.load(open(os.path.join(work, name + ".result.json")))
    metrics = r["metrics"]
    stage = next(s for s in r["stages"] if s["id"] == "distill")
    return metrics, stage["seconds"]
rows = []
for name in ("offline-shift", "online-shift", "repeats-1", "repeats-3", "auto"):
    m, seconds = load(name)
    rows.append((name, m, seconds))
    share = m.get("distill.teacher_time_share")
    print(f"{name:14s} distill stage {seconds:7.1f} s  KD training {m['distill.seconds']:6.1f} s  test acc {m['distill.student_test_accuracy']*100:6.2f}%"
          + (f"  teacher {share*100:4.1f}% of training time" if share is not None else ""))
epochs = json.load(open(os.path.join(work, "offline-shift.json")))["stages"][0]["settings"]["epochs"]
off, on = rows[0][1]["distill.seconds"] / epochs, rows[1][1]["distill.seconds"] / epochs
print(f"epoch time: offline {off:.2f} s, online {on:.2f} s: online/offline {on/off:.2f}x")
print(f"distill stage with repeats 3 / repeats 1: {rows[3][2] / rows[2][2]:.2f}x")
auto = rows[4][1]
print(f"auto: shipped student validation {auto['distill.validation_accuracy']*100:.2f}% vs scratch candidate {auto['distill.auto.scratch_validation_accuracy']*100:.2f}%;"
      f" stage {rows[4][2]:.1f} s = {rows[4][2] / rows[2][2]:.2f}x the repeats-1 stage")
for line in open(os.path.join(work, "auto.report.md")):
    if line.startswith("| ") and ("%" in line) and line.count("|") == 4:
        print("auto candidate " + line.strip())
PY
