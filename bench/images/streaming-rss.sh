#!/usr/bin/env bash
# Peak RSS of a run whose image data does not fit the memory budget: 5,000 Fashion-MNIST training
# PNGs (500 a class) and 500 test PNGs read as 3 x 224 x 224 (3.3 GB of floats) with
# maxModelMemoryMb 1024, so the images format streams them from its decoded-image cache file.
# A tiny pipeline (max-pool, linear teacher and student, one epoch each, export).
# Usage: bench/images/streaming-rss.sh [WORK_FOLDER]   (needs dataset-fashion-mnist; ~4 min on 2 cores)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-/tmp/compression-streaming-rss}"
data=/usr/share/datasets/fashion-mnist
mkdir -p "$work"
cd "$work"
[ -d big/train ] || /usr/bin/python3 "$repo/bench/images/idx_to_png_folders.py" "$data/train-images-idx3-ubyte.gz" "$data/train-labels-idx1-ubyte.gz" big/train 500
[ -d big/test ] || /usr/bin/python3 "$repo/bench/images/idx_to_png_folders.py" "$data/t10k-images-idx3-ubyte.gz" "$data/t10k-labels-idx1-ubyte.gz" big/test 50
cat > big.json <<'JSON'
{
  "seed": 7,
  "maxModelMemoryMb": 1024,
  "data": { "format": "images", "train": { "path": "big/train" }, "test": { "path": "big/test" },
            "settings": { "size": [224, 224], "channels": 3 } },
  "teacher": { "model": { "input": [3, 224, 224], "layers": [ { "type": "maxpool2d", "kernel": 8 }, { "type": "flatten" },
                 { "type": "linear", "out": 64 }, { "type": "relu" }, { "type": "linear", "out": 10 } ] },
               "training": { "epochs": 1, "batchSize": 64, "learningRate": 0.003 } },
  "stages": [
    { "stage": "distill", "settings": { "student": { "input": [3, 224, 224], "layers": [ { "type": "maxpool2d", "kernel": 8 }, { "type": "flatten" }, { "type": "linear", "out": 10 } ] },
      "epochs": 1, "batchSize": 64, "learningRate": 0.003, "repeats": 1, "compareWithScratch": false } },
    { "stage": "export" }
  ]
}
JSON
rm -rf work
/usr/bin/time -v nice dotnet "$repo/src/Compression.Host/bin/Debug/net10.0/compress.dll" run big.json --work-dir work --teacher-cache off 2> time.txt | grep -v "ETA\|of [0-9,]* images"
grep -E "Maximum resident|Elapsed" time.txt
