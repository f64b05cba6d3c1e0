#!/usr/bin/env bash
# The app's-own-model path on a real pretrained network: ML.NET's ImageNet ResNet-18 (NuGet
# Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0, opset 8, fixed batch 1) plus a linear head fitted on
# 900 labelled images, as "model", on image folders written from Debian's Fashion-MNIST (100 PNGs per
# class for train, 300 per class for test, resized to 224x224 RGB by the images format), then quantize
# (int8 with the stem convolution float, bias correction, and accuracy-aware mixed precision: the fewest
# nodes kept float for 99% agreement on 1,000 held-out rows, the validation split then unlabelled training
# images the head never saw), calibrate and benchmark at batch 1 and 64, with no training stage. Prints the
# run's summary table. The budgets are issue 18's goal: 99% top-1 agreement of the shipped int8 model with
# fp32 on the test images, and int8 faster at batch 1 and 64 (ratios from the quantize stage's side-by-side
# timing). Last run: see README, "A pretrained network as the app's model".
# Needs: apt-get install dataset-fashion-mnist; the solution built; the ResNet-18 package restored
# (dotnet build restores it: tests/Compression.Models.Tests references it).
# Usage: bench/resnet18-app-model.sh [Debug|Release]   (about 30 minutes on 2 cores: the search times and
# evaluates about 30 candidate int8 models of a 224x224 ResNet-18)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_host "${1:-Debug}"
fashion=/usr/share/datasets/fashion-mnist
[ -f "$fashion/t10k-images-idx3-ubyte.gz" ] || { echo "apt-get install dataset-fashion-mnist" >&2; exit 2; }
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
models="$packages/microsoft.ml.dnnimagefeaturizer.resnet18/0.24.0/tools/DnnImageModels"
[ -f "$models/ResNet18Onnx/ResNet18.onnx" ] || { echo "restore first: dotnet restore Compression.sln (ResNet-18 not in $packages)" >&2; exit 2; }
bench_temp_work

names="t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot"
python3=/usr/bin/python3
"$python3" bench/images/idx_to_png_folders.py "$fashion/train-images-idx3-ubyte.gz" "$fashion/train-labels-idx1-ubyte.gz" "$work/images/train" 100 "$names"
"$python3" bench/images/idx_to_png_folders.py "$fashion/t10k-images-idx3-ubyte.gz" "$fashion/t10k-labels-idx1-ubyte.gz" "$work/images/test" 300 "$names"
# Unlabelled images the head never saw (training images 100-199 of each class): with the validation split, the held-out rows minAgreement measures.
"$python3" bench/images/idx_to_png_folders.py --skip 100 "$fashion/train-images-idx3-ubyte.gz" "$fashion/train-labels-idx1-ubyte.gz" "$work/images/transfer" 100 "$names"

cat > "$work/compression.json" <<JSON
{
  "seed": 42,
  "data": {
    "format": "images",
    "train": { "path": "images/train" },
    "test": { "path": "images/test" },
    "transfer": { "path": "images/transfer" },
    "settings": { "size": [224, 224], "channels": 3, "layout": "NCHW", "resize": "stretch" },
    "validationFraction": 0.1,
    "license": "MIT"
  },
  "model": {
    "onnx": "$models/ResNet18Onnx/ResNet18.onnx",
    "preprocess": "$models/ResNetPrepOnnx/ResNetPreprocess.onnx",
    "input": { "layout": "NCHW", "channels": 3, "size": [224, 224] },
    "head": "fit",
    "license": "MIT"
  },
  "stages": [
    { "stage": "quantize", "settings": { "exclude": ["m_Convolution249"], "biasCorrection": true, "minAgreement": 0.99 } },
    { "stage": "calibrate" },
    { "stage": "benchmark", "settings": { "batchSizes": [1, 64], "warmup": 3, "iterations": 20 } }
  ],
  "budgets": { "metrics": [
    { "metric": "student.teacher_agreement", "min": 0.99 },
    { "metric": "quantize.latency_ratio.batch1", "max": 1.0 },
    { "metric": "quantize.latency_ratio.batch64", "max": 1.0 }
  ] }
}
JSON
status=0
dotnet "$host" run "$work/compression.json" --work-dir "$work/work" --teacher-cache off > "$work/run.log" 2>&1 || status=$?
grep -E "^compress: (metric|----|test accuracy|parameters|ONNX bytes|p50|p95|throughput|peak|ECE|quantize: folded|benchmark: batch|passed|FAILED)|error CMP" "$work/run.log" || true
grep -E "^compress: (model: head L2 .* kept|quantize: (int8 agrees|[0-9]+ of [0-9]+ node))" "$work/run.log" || true
grep -oE '"(teacher.head_l2|student.teacher_agreement|quantize.int8_agreement|quantize.latency_ratio.batch(1|64))": [0-9.]*' "$work/work/result.json" 2>/dev/null || true
echo "exit ${status}"
exit "$status"
