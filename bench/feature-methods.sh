#!/usr/bin/env bash
# Feature-level distillation on the MNIST sample's data with a residual student (a stem, a residual
# block, a depthwise-separable residual block, global pooling, linear): kd, fitnets, attention and rkd,
# each with `repeats: 3` (seeds 42, 43, 44; each with its scratch baseline, so every gain comes with its
# paired-t interval over seeds). The teacher is the sample's CNN with names on the layers the taps read;
# it trains once, in the shared work folder, and every method sees the same one.
# Usage: bench/feature-methods.sh [Debug|Release] [epochs]   (build the solution first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_host "${1:-Debug}"
epochs="${2:-15}"
bench_kept_work

for method in kd fitnets attention rkd; do
  python3 - "$method" "$epochs" "$work" <<'PY'
import json, os, sys
method, epochs, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sample = "samples/MnistClassifier"
config = json.load(open(os.path.join(sample, "compression.json")))
config.pop("$schema", None)
for split in ("train", "test"):
    for field in ("features", "labels"):
        config["data"][split][field] = os.path.abspath(os.path.join(sample, config["data"][split][field]))
# Names on the teacher layers the taps read (pool1 [32,14,14], pool2 [64,7,7], embedding [256]).
names = {2: "pool1", 5: "pool2", 8: "embedding"}
for index, name in names.items():
    config["teacher"]["model"]["layers"][index]["name"] = name
def conv(out, kernel, stride=1, padding=0, groups=1):
    layer = {"type": "conv2d", "out": out, "kernel": kernel}
    if stride != 1: layer["stride"] = stride
    if padding: layer["padding"] = padding
    if groups != 1: layer["groups"] = groups
    return layer
student = {"input": [1, 28, 28], "layers": [
    dict(conv(16, 3, 2, 1), name="stem"), {"type": "batchnorm"}, {"type": "relu"},
    {"type": "residual", "name": "block1", "layers": [conv(16, 3, 1, 1), {"type": "batchnorm"}, {"type": "relu"}, conv(16, 3, 1, 1), {"type": "batchnorm"}]},
    {"type": "relu", "name": "act1"},
    {"type": "residual", "name": "block2", "layers": [conv(16, 3, 2, 1, groups=16), {"type": "batchnorm"}, {"type": "relu"}, conv(32, 1), {"type": "batchnorm"}]},
    {"type": "relu", "name": "act2"},
    {"type": "globalavgpool"}, {"type": "flatten", "name": "embedding"}, {"type": "linear", "out": 10}]}
taps = {
    "kd": [],
    "fitnets": [{"student": "act1", "teacher": "pool1"}, {"student": "act2", "teacher": "pool2"}],
    "attention": [{"student": "act1", "teacher": "pool1"}, {"student": "act2", "teacher": "pool2"}],
    "rkd": [{"student": "embedding", "teacher": "embedding"}],
}[method]
distill = config["stages"][0]["settings"]
distill.update(student=student, method=method, epochs=epochs, repeats=3, taps=taps)
config["stages"] = [config["stages"][0], {"stage": "export"}]
config["budgets"] = {}
json.dump(config, open(os.path.join(work, method + ".json"), "w"), indent=2)
PY
  echo "bench: $method" >&2
  dotnet "$host" run "$work/$method.json" --work-dir "$work/work" > "$work/$method.log" 2>&1 || { tail -20 "$work/$method.log"; exit 1; }
  cp "$work/work/result.json" "$work/$method.result.json"
  cp "$work/work/report.md" "$work/$method.report.md"
done

python3 - "$work" <<'PY'
import json, math, os, re, statistics, sys
work = sys.argv[1]
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}

def per_seed(method):
    """Test accuracy of each seed's distilled student, from the report's run table."""
    rows = re.findall(r"^\| " + re.escape(method) + r" T=\S+ alpha=\S+ \(seed (\d+)\) \|(?:[^|]*\|){4} ([\d.]+)% \|", open(os.path.join(work, method + ".report.md")).read(), re.M)
    return {int(seed): float(accuracy) for seed, accuracy in rows}

def paired(a, b):
    d = [a[s] - b[s] for s in sorted(a) if s in b]
    mean = statistics.mean(d)
    half = T975[len(d) - 1] * statistics.stdev(d) / math.sqrt(len(d)) if len(d) > 1 else float("nan")
    return mean, mean - half, mean + half

def noise(low, high):
    return " (inside the noise)" if low <= 0 <= high else ""

kd = per_seed("kd")
print("| method | distilled (mean of 3 seeds) | scratch (mean) | gain over scratch, points (95% CI, paired t over seeds) | minus kd, points (95% CI, same seeds) |")
print("| --- | ---: | ---: | --- | --- |")
for method in ("kd", "fitnets", "attention", "rkd"):
    m = json.load(open(os.path.join(work, method + ".result.json")))["metrics"]
    mean = m["scratch.accuracy"] + m["distill.gain_points"] / 100
    low, high = m["distill.gain_ci_low_points"], m["distill.gain_ci_high_points"]
    versus = "-"
    if method != "kd":
        d, dl, dh = paired(per_seed(method), kd)
        versus = f"{d:+.2f} ({dl:+.2f}..{dh:+.2f}){noise(dl, dh)}"
    print(f"| {method} | {mean * 100:.2f}% | {m['scratch.accuracy'] * 100:.2f}% | {m['distill.gain_points']:+.2f} ({low:+.2f}..{high:+.2f}){noise(low, high)} | {versus} |")
print(f"\nstudent parameters: {int(json.load(open(os.path.join(work, 'kd.result.json')))['metrics']['student.parameters']):,}; reports and logs: {work}")
PY
