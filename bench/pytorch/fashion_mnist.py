#!/usr/bin/python3
"""The Fashion-MNIST samples' recipe in plain PyTorch, to compare our figures with.

Trains what samples/FashionMnist and samples/FashionMnistFewLabels train, with the same settings,
and prints test accuracies:

- teacher: conv 32 (3x3, pad 1), batchnorm, ReLU, max-pool 2, conv 64 (3x3, pad 1), batchnorm, ReLU,
  max-pool 2, linear 256, ReLU, dropout 0.5, linear 10 (824,458 parameters once batchnorm is folded
  into the convs, as our export does); Adam, lr 0.001, batch 64, 10 epochs;
- student: conv 16 (3x3, stride 2, pad 1), batchnorm, ReLU, conv 32 (3x3, pad 1), batchnorm, ReLU,
  max-pool 2, linear 32, ReLU, linear 10 (55,338 parameters folded); Adam, lr 0.002, batch 64,
  10 epochs (5 in the few-label run);
- Hinton KD with T = 4, alpha = 0.9: (1 - alpha) * cross entropy over the batch's labelled rows
  + alpha * T^2 * KL(teacher || student) at T, averaged over the batch; the teacher's logits computed
  once, in eval mode, before the student trains ("offline", as the samples do);
- learning rate cosine from its peak to zero over all steps, set before every step; no weight decay;
  PyTorch's default initialisation (TorchSharp's is the same); pixels scaled by 1/255;
- validation: 2% of the 60,000 training images (1,200) held out, seeded; the rest train.
- few labels (--variant few): 1,000 of the training rows keep their labels (a seeded sample stratified
  by class, quotas by largest remainder), the rest are unlabelled; each batch carries its share of
  the labelled rows; the student from scratch sees the 1,000 labelled rows only, for as many steps as
  the distilled one; students with seeds 42, 43, 44 (--repeats), one teacher (seed 42).

What differs from the C# pipeline, unavoidably: the random streams (which rows validate, which keep
their labels, the initial weights, the batch order and dropout masks are drawn by numpy/PyTorch, not
by our SeededShuffle and TorchSharp's generator), and libtorch's version (Debian's 1.13.1 here,
TorchSharp's own libtorch there). The gain's interval here is a paired t over seeds only; the
pipeline's adds the test samples' variance, so it is a little wider.

Requirements (not installed by CI; this script is not part of the tests):
    apt-get install python3-torch dataset-fashion-mnist      # Debian 12: torch 1.13.1, numpy
Debian's torch calls the system BLAS, by default the reference implementation (libblas3); an
optimised one is faster for the linear layers: apt-get install libopenblas0-pthread, or for this
process only, unpack that package (apt-get download, dpkg-deb -x) and put its openblas-pthread folder
on LD_LIBRARY_PATH. OMP_WAIT_POLICY defaults to PASSIVE here, as compress sets it for libtorch:
spinning OpenMP threads on a shared 2-core machine made steps several times slower.
Run (about 10 minutes for each variant on 2 cores; the teacher is saved and reused by the next run):
    nice /usr/bin/python3 bench/pytorch/fashion_mnist.py --variant full
    nice /usr/bin/python3 bench/pytorch/fashion_mnist.py --variant few
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before libgomp starts: see the header

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    """An IDX file (gzipped) as a numpy array of its declared shape."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(folder):
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        if not os.path.isfile(os.path.join(folder, name)):
            sys.exit(f"{os.path.join(folder, name)} not found: apt-get install dataset-fashion-mnist, or pass --data <folder>")
    def images(name):
        return torch.from_numpy(read_idx(os.path.join(folder, name)).astype(np.float32) / 255.0).unsqueeze(1)
    def labels(name):
        return torch.from_numpy(read_idx(os.path.join(folder, name)).astype(np.int64))
    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def teacher_model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))


def student_model():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 32), nn.ReLU(), nn.Linear(32, 10))


def parameters(model):
    """Trainable parameters with each batchnorm folded into its conv (the count of the exported graph)."""
    return sum(p.numel() for m in model.modules() if not isinstance(m, nn.BatchNorm2d) for p in m.parameters(recurse=False))


@torch.no_grad()
def logits_of(model, x, batch=1000):
    model.eval()
    return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)])


def accuracy(model, x, y):
    return (logits_of(model, x).argmax(1) == y).float().mean().item()


def shuffled_batches(count, batch, rng):
    order = rng.permutation(count)
    return [order[i:i + batch] for i in range(0, count, batch)]


def spread_batches(labelled, unlabelled, batch, rng):
    """Every batch gets its share of the labelled rows (as the pipeline's trainer spreads them)."""
    count = len(labelled) + len(unlabelled)
    n = math.ceil(count / batch)
    lab, unl = rng.permutation(labelled), rng.permutation(unlabelled)
    return [np.concatenate([lab[b * len(lab) // n:(b + 1) * len(lab) // n], unl[b * len(unl) // n:(b + 1) * len(unl) // n]])
            for b in range(n)]


def train(model, x, y, batches_of_epoch, steps, lr, seed, loss_fn, val, label):
    """Adam with a cosine schedule over `steps`; `batches_of_epoch(rng)` gives an epoch's row batches."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    step, epoch, start = 0, 0, time.time()
    epochs = math.ceil(steps / len(batches_of_epoch(np.random.default_rng(0))))
    while step < steps:
        model.train()
        for rows in batches_of_epoch(rng):
            if step == steps:
                break
            for group in optimizer.param_groups:
                group["lr"] = lr * 0.5 * (1 + math.cos(math.pi * step / steps))
            rows = torch.from_numpy(rows)
            optimizer.zero_grad()
            loss = loss_fn(model(x[rows]), rows)
            loss.backward()
            optimizer.step()
            step += 1
        epoch += 1
        if epoch % math.ceil(epochs / 10) == 0 or step == steps:  # at most about 10 validations a run
            print(f"  {label}: epoch {epoch} step {step}/{steps} val acc {accuracy(model, *val):.4f} ({time.time() - start:.0f} s)", flush=True)
    return time.time() - start


def kd_loss(student_logits, teacher_logits, labels, has_label, t, alpha):
    log_p = F.log_softmax(student_logits / t, 1)
    log_q = F.log_softmax(teacher_logits / t, 1)
    soft = (log_q.exp() * (log_q - log_p)).sum(1).mean() * (alpha * t * t)
    hard = F.cross_entropy(student_logits[has_label], labels[has_label]) if has_label.any() else student_logits.sum() * 0
    return (1 - alpha) * hard + soft


def stratified(labels, count, rng):
    """`count` rows stratified by class, quotas by largest remainder, at least one per class."""
    classes, freq = np.unique(labels, return_counts=True)
    exact = freq * count / len(labels)
    quotas = np.maximum(np.floor(exact).astype(int), 1)
    for i in np.argsort(-(exact - np.floor(exact)), kind="stable")[:count - quotas.sum()]:
        quotas[i] += 1
    kept = np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:q] for c, q in zip(classes, quotas)])
    return np.sort(kept)


def t_interval(diffs):
    """Mean and 95% paired-t interval over seeds (t quantiles for up to 9 degrees of freedom)."""
    t95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}
    mean = float(np.mean(diffs))
    if len(diffs) < 2:
        return mean, float("nan"), float("nan")
    half = t95[len(diffs) - 1] * float(np.std(diffs, ddof=1)) / math.sqrt(len(diffs))
    return mean, mean - half, mean + half


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", choices=["full", "few"], default="full")
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--teacher-epochs", type=int, default=10)
    parser.add_argument("--student-epochs", type=int, default=None, help="10 (full) or 5 (few)")
    parser.add_argument("--repeats", type=int, default=None, help="student seeds from 42: 1 (full) or 3 (few)")
    parser.add_argument("--labeled", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--teacher-file", default="/tmp/fashion_mnist_teacher.pt", help="trained teacher, reused when it exists")
    args = parser.parse_args()
    student_epochs = args.student_epochs or (10 if args.variant == "full" else 5)
    repeats = args.repeats or (1 if args.variant == "full" else 3)
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)

    x_all, y_all, x_test, y_test = load(args.data)
    order = np.random.default_rng(42).permutation(len(y_all))
    n_val = round(len(y_all) * 0.02)
    val_rows, train_rows = torch.from_numpy(order[:n_val]), torch.from_numpy(order[n_val:])
    x, y = x_all[train_rows], y_all[train_rows]
    val = (x_all[val_rows], y_all[val_rows])
    print(f"data: {len(y)} train / {n_val} validation / {len(y_test)} test", flush=True)
    steps_per_epoch = math.ceil(len(y) / 64)

    teacher = teacher_model()
    key = f"{args.teacher_epochs} epochs, seed 42"
    if os.path.isfile(args.teacher_file) and torch.load(args.teacher_file).get("key") == key:
        teacher.load_state_dict(torch.load(args.teacher_file)["state"])
        print(f"teacher: loaded from {args.teacher_file}", flush=True)
    else:
        torch.manual_seed(42)
        teacher = teacher_model()
        seconds = train(teacher, x, y, lambda rng: shuffled_batches(len(y), 64, rng), steps_per_epoch * args.teacher_epochs, 1e-3, 42,
                        lambda out, rows: F.cross_entropy(out, y[rows]), val, "teacher")
        print(f"teacher: trained in {seconds:.0f} s", flush=True)
        torch.save({"key": key, "state": teacher.state_dict()}, args.teacher_file + ".tmp")
        os.replace(args.teacher_file + ".tmp", args.teacher_file)
    teacher_acc = accuracy(teacher, x_test, y_test)
    print(f"teacher: {parameters(teacher):,} parameters, test accuracy {teacher_acc:.4f}", flush=True)
    teacher_logits = logits_of(teacher, x)

    has_label = torch.ones(len(y), dtype=torch.bool)
    if args.variant == "few":
        kept = stratified(y.numpy(), args.labeled, np.random.default_rng(42))
        has_label = torch.zeros(len(y), dtype=torch.bool)
        has_label[torch.from_numpy(kept)] = True
        print(f"few labels: {len(kept)} labelled, {len(y) - len(kept)} unlabelled", flush=True)
    labelled = np.flatnonzero(has_label.numpy())
    unlabelled = np.flatnonzero(~has_label.numpy())
    steps = steps_per_epoch * student_epochs
    results = []
    for seed in range(42, 42 + repeats):
        torch.manual_seed(seed)
        student = student_model()
        batches = (lambda rng: shuffled_batches(len(y), 64, rng)) if args.variant == "full" else (lambda rng: spread_batches(labelled, unlabelled, 64, rng))
        seconds = train(student, x, y, batches, steps, 2e-3, seed,
                        lambda out, rows: kd_loss(out, teacher_logits[rows], y[rows], has_label[rows], 4.0, 0.9), val, f"kd seed {seed}")
        row = {"seed": seed, "distilled": accuracy(student, x_test, y_test), "distill_seconds": round(seconds, 1)}
        if args.variant == "few":
            torch.manual_seed(seed)
            scratch = student_model()
            seconds = train(scratch, x, y, lambda rng: [labelled[b] for b in shuffled_batches(len(labelled), 64, rng)], steps, 2e-3, seed,
                            lambda out, rows: F.cross_entropy(out, y[rows]), val, f"scratch seed {seed}")
            row.update(scratch=accuracy(scratch, x_test, y_test), scratch_seconds=round(seconds, 1))
        print(f"student: {parameters(student):,} parameters, {json.dumps(row)}", flush=True)
        results.append(row)

    summary = {"variant": args.variant, "torch": torch.__version__, "teacher_accuracy": teacher_acc,
               "teacher_parameters": parameters(teacher), "student_parameters": parameters(student_model()),
               "student_epochs": student_epochs, "runs": results,
               "distilled_mean": float(np.mean([r["distilled"] for r in results]))}
    summary["retention"] = summary["distilled_mean"] / teacher_acc
    if args.variant == "few":
        gain, low, high = t_interval([100 * (r["distilled"] - r["scratch"]) for r in results])
        summary.update(scratch_mean=float(np.mean([r["scratch"] for r in results])), gain_points=gain, gain_ci_points=[low, high])
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
