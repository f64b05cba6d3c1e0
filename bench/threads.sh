#!/usr/bin/env bash
# Measures what the thread settings do to training on this machine, quiet and with two CPU-bound
# processes beside it (as on a shared CI runner), in one session: the sample's teacher trained for
# 2 epochs (no cache: a fresh work folder per run), for each of
#   threads 1 and 2, and libgomp's default wait policy (spin, then sleep) vs OMP_WAIT_POLICY=PASSIVE
#   (what compress sets unless the environment names a policy).
# Prints seconds per variant and the ratios that matter, measured side by side in this run.
# Usage: bench/threads.sh [Debug|Release] [epochs]   (build the solution first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_host "${1:-Debug}"
epochs="${2:-2}"
bench_temp_work
busy=()
stop_busy() { for pid in "${busy[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done; busy=(); }
bench_on_exit stop_busy

for threads in 1 2; do
  python3 - "$threads" "$epochs" "$work" <<'PY'
import json, os, sys
threads, epochs, work = sys.argv[1:]
sample = "samples/MnistClassifier"
config = json.load(open(os.path.join(sample, "compression.json")))
config.pop("$schema", None)
config.pop("baseline", None)
for split in ("train", "test"):
    for field in ("features", "labels"):
        config["data"][split][field] = os.path.abspath(os.path.join(sample, config["data"][split][field]))
config["threads"] = int(threads)
config["teacher"]["training"]["epochs"] = int(epochs)
config["stages"] = [s for s in config["stages"] if s["stage"] in ("distill", "export")]
config["stages"][0]["settings"].update(epochs=1, repeats=1, compareWithScratch=False)
config["budgets"] = {}
json.dump(config, open(os.path.join(work, f"threads{threads}.json"), "w"), indent=2)
PY
done

results="$work/results.txt"
: > "$results"
for load in 0 2; do
  for ((i = 0; i < load; i++)); do sh -c 'while :; do :; done' & busy+=("$!"); done
  for policy in default PASSIVE; do
    for threads in 1 2; do
      rm -rf "$work/work"
      start=$(date +%s.%N)
      if [ "$policy" = default ]; then
        OMP_WAIT_POLICY= dotnet "$host" run "$work/threads$threads.json" --work-dir "$work/work" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
      else
        OMP_WAIT_POLICY=PASSIVE dotnet "$host" run "$work/threads$threads.json" --work-dir "$work/work" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
      fi
      end=$(date +%s.%N)
      echo "$load $policy $threads $(python3 -c "print(round($end - $start, 2))")" | tee -a "$results"
    done
  done
  stop_busy
done

python3 - "$results" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
t = {(int(l), p, int(n)): float(s) for l, p, n, s in rows}
print()
print("| busy loops | wait policy | threads 1 (s) | threads 2 (s) | 2 threads / 1 thread |")
print("| ---: | --- | ---: | ---: | ---: |")
for load in (0, 2):
    for policy in ("default", "PASSIVE"):
        one, two = t[(load, policy, 1)], t[(load, policy, 2)]
        print(f"| {load} | {policy} | {one:.1f} | {two:.1f} | {two / one:.2f}x |")
print()
for load in (0, 2):
    for threads in (1, 2):
        print(f"busy loops {load}, threads {threads}: PASSIVE / default = {t[(load, 'PASSIVE', threads)] / t[(load, 'default', threads)]:.2f}x")
PY
