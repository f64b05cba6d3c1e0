#!/usr/bin/env python3
"""The recipe of samples/FashionMnist and samples/FashionMnistFewLabels in PyTorch, for a side-by-side
check of our figures against the reference framework on the same machine.

Same data (Debian's dataset-fashion-mnist), scaling (x / 255), seeded 2% validation split held out,
architectures (teacher: conv32-bn-relu-pool, conv64-bn-relu-pool, fc256, dropout 0.5, fc10; student:
conv16-bn-relu-pool, conv32-bn-relu-pool, fc32, fc10), optimiser (Adam), cosine learning-rate schedule
to zero over all steps, batch 128, epochs (teacher 8, student 10), learning rates (1e-3, 2e-3) and
Hinton KD loss ((1 - alpha) CE + alpha T^2 KL(batchmean), T = 4, alpha = 0.9) on teacher logits computed
once in eval mode, as compress does. Not the same: random streams (weights, shuffles, the validation
split), so single-seed figures differ by seed noise.

Few labels (--labels 1000 --repeats 3): a class-stratified labelled subset; the distilled student
trains on every training row (hard loss over the labelled rows of each batch, soft loss over all),
the scratch student on the labelled rows alone for the same number of steps.

Install: apt-get install python3-torch python3-numpy (Debian 12: torch 1.13.1). Not run by CI.
Usage: /usr/bin/python3 bench/pytorch/fashion_mnist.py [--labels 1000 --repeats 3] [--threads 2]
"""
import argparse
import gzip
import math
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load():
    x = read_idx(f"{DATA}/train-images-idx3-ubyte.gz").astype(np.float32)[:, None] / 255.0
    y = read_idx(f"{DATA}/train-labels-idx1-ubyte.gz").astype(np.int64)
    tx = read_idx(f"{DATA}/t10k-images-idx3-ubyte.gz").astype(np.float32)[:, None] / 255.0
    ty = read_idx(f"{DATA}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(tx), torch.from_numpy(ty)


def teacher():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))


def student():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1568, 32), nn.ReLU(), nn.Linear(32, 10))


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return sum((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item() for i in range(0, len(x), 1000)) / len(x)


def logits(model, x):
    model.eval()
    with torch.no_grad():
        return torch.cat([model(x[i:i + 1000]) for i in range(0, len(x), 1000)])


def train(model, x, y, epochs, lr, seed, teacher_logits=None, labelled=None, steps=None, batch=128, t=4.0, alpha=0.9):
    """Adam, cosine to zero over all steps; KD when teacher_logits is given; labelled: bool mask of rows with labels."""
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    per_epoch = math.ceil(len(x) / batch)
    total = steps or epochs * per_epoch
    step = 0
    while step < total:
        model.train()
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), batch):
            if step >= total:
                break
            for group in optimiser.param_groups:
                group["lr"] = lr * 0.5 * (1 + math.cos(math.pi * step / total))
            rows = order[start:start + batch]
            out = model(x[rows])
            if teacher_logits is None:
                loss = F.cross_entropy(out, y[rows])
            else:
                mask = labelled[rows] if labelled is not None else torch.ones(len(rows), dtype=torch.bool)
                hard = F.cross_entropy(out[mask], y[rows][mask]) if mask.any() else out.sum() * 0
                soft = F.kl_div(F.log_softmax(out / t, 1), F.log_softmax(teacher_logits[rows] / t, 1), reduction="batchmean", log_target=True)
                loss = (1 - alpha) * hard + alpha * t * t * soft
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            step += 1
    return model


def stratified(y, count, seed):
    rng = np.random.default_rng(seed)
    per_class = count // 10
    mask = np.zeros(len(y), dtype=bool)
    for c in range(10):
        rows = np.flatnonzero(y.numpy() == c)
        mask[rng.choice(rows, per_class, replace=False)] = True
    return torch.from_numpy(mask)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=0, help="labelled training rows (0: all)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x, y, tx, ty = load()
    split = torch.randperm(len(x), generator=torch.Generator().manual_seed(args.seed))
    validation = int(len(x) * 0.02)
    x, y = x[split[validation:]], y[split[validation:]]
    print(f"torch {torch.__version__}, {args.threads} threads, {len(x)} train / {validation} validation (held out) / {len(tx)} test")

    started = time.time()
    big = train(teacher(), x, y, epochs=8, lr=1e-3, seed=args.seed)
    print(f"teacher: test accuracy {accuracy(big, tx, ty):.4f}, {sum(p.numel() for p in big.parameters()):,} parameters, {time.time() - started:.0f} s")
    soft = logits(big, x)

    gains = []
    for repeat in range(args.repeats):
        seed = args.seed + repeat
        torch.manual_seed(seed)
        if args.labels:
            labelled = stratified(y, args.labels, seed)
            steps = 10 * math.ceil(len(x) / 128)
            started = time.time()
            distilled = train(student(), x, y, epochs=10, lr=2e-3, seed=seed, teacher_logits=soft, labelled=labelled)
            torch.manual_seed(seed)
            scratch = train(student(), x[labelled], y[labelled], epochs=10, lr=2e-3, seed=seed, steps=steps)
        else:
            started = time.time()
            distilled = train(student(), x, y, epochs=10, lr=2e-3, seed=seed, teacher_logits=soft)
            torch.manual_seed(seed)
            scratch = train(student(), x, y, epochs=10, lr=2e-3, seed=seed)
        a, b = accuracy(distilled, tx, ty), accuracy(scratch, tx, ty)
        gains.append((a - b) * 100)
        print(f"seed {seed}: student distilled {a:.4f}, scratch {b:.4f}, gain {(a - b) * 100:+.2f} points, "
              f"{sum(p.numel() for p in distilled.parameters()):,} parameters, {time.time() - started:.0f} s")
    if len(gains) > 1:
        mean, sd = float(np.mean(gains)), float(np.std(gains, ddof=1))
        half = 4.303 if len(gains) == 3 else 1.96  # t(0.975, df=2) for three seeds
        print(f"KD gain {mean:+.2f} points, 95% CI over seeds {mean - half * sd / math.sqrt(len(gains)):+.2f}..{mean + half * sd / math.sqrt(len(gains)):+.2f} (n={len(gains)})")


if __name__ == "__main__":
    main()
