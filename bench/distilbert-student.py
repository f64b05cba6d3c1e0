"""Writes the configs of bench/distilbert-student.sh: MiniLM as the teacher, the vendored Debian descriptions,
a 3-layer student initialised from teacher layers [0, 2, 4] (or 6 layers, or random) distilled with a method."""
import json, os, sys

name, layers, init, method, epochs, max_length, work, train_rows = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), sys.argv[7], int(sys.argv[8])
# Optional: the student's width (MiniLM's 384 by default; heads of 32 values, feed-forward 4x).
hidden = int(sys.argv[9]) if len(sys.argv) > 9 else 384
data = os.path.abspath("samples/SentenceEmbeddings/data")
train = os.path.join(data, "train.csv")
if train_rows > 0:
    # A prefix of the training texts (the file is already in a seeded random order).
    import csv
    train = os.path.join(work, f"train-{train_rows}.csv")
    with open(os.path.join(data, "train.csv"), newline="") as source, open(train + ".tmp", "w", newline="") as target:
        reader, writer = csv.reader(source), csv.writer(target)
        for i, row in enumerate(reader):
            if i > train_rows:
                break
            writer.writerow(row)
    os.replace(train + ".tmp", train)
encoder = {"type": "encoder", "heads": hidden // 32, "hidden": hidden, "intermediate": 4 * hidden, "dropout": 0.1}
student = {"input": [2, max_length], "layers": [
    {"type": "token-embedding", "name": "embeddings", "vocabulary": 30522, "hidden": hidden, "maxPositions": max_length, "dropout": 0.1},
    *[dict(encoder, name=f"enc{i + 1}") for i in range(layers)],
    {"type": "mean-pool", "name": "pooled"},
    *([] if hidden == 384 else [{"type": "linear", "out": 384}]),
    {"type": "normalize"}]}
distill = {"method": method, "student": student, "epochs": epochs, "batchSize": 32,
           "optimizer": "adamw", "learningRate": 1e-4 if init != "random" else 5e-4, "schedule": "cosine"}
if method == "embedding":
    distill["methodParameters"] = {"cosine": 1, "mse": 0}
if init != "random":
    distill["init"] = {"fromTeacher": {"layers": json.loads(init)}}
config = {
    "task": "embedding",
    "seed": 42,
    "data": {"format": "text", "normalization": "none",
             "settings": {"vocab": "teacher", "maxLength": max_length, "queryColumn": "query", "documentColumn": "document"},
             "train": {"path": train}, "test": {"path": os.path.join(data, "test.csv")}},
    "teacher": {"sentenceEncoder": "minilm"},
    # Dynamic int8 on top (MatMulInteger for the encoder's MatMuls), measured against the fp32 student side by side
    # on the same test documents: recall@10 difference with its bootstrap interval, latency ratio at batch 1 and 64.
    "stages": [{"stage": "distill", "settings": distill}, {"stage": "export"},
               {"stage": "quantize", "settings": {"mode": "dynamic", "shipInt8": "always", "sequenceLengths": [max_length // 2]}}],
    "budgets": {},
}
json.dump(config, open(os.path.join(work, name + ".json"), "w"), indent=2)
