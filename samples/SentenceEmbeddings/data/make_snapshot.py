#!/usr/bin/env python3
"""Builds the vendored text snapshot of samples/SentenceEmbeddings from Debian's package descriptions.

Source: the English package descriptions of Debian 12 "bookworm" main (the archive's
dists/bookworm/main/i18n/Translation-en, which `apt-get update -o Acquire::Languages=en` fetches into
/var/lib/apt/lists/). Each entry has a synopsis (one line) and a long description (paragraphs).

Output (CSV, RFC 4180, UTF-8):
  test.csv   query,document  - a synopsis and its package's long description (retrieval pairs: the
                               query's relevant document is the one on its row, the rest are distractors);
  train.csv  text            - synopses and long descriptions of OTHER packages (unlabelled, for distillation).

Binary packages built from one source often share a description with a suffix ("... (data files)"), and
many long descriptions are boilerplate ("This package contains the debugging symbols"). So packages are
grouped by their description's first paragraph, one package is kept per group, and a group never lands in
both files: no test document has a near-copy in training, and no test query has two relevant documents.
Deterministic: the same Translation-en and arguments give the same files.

Usage: make_snapshot.py <Translation-en file (plain text; lz4 -dc the apt list)> <out folder> [test pairs] [train packages]
"""
import csv
import hashlib
import re
import sys


def entries(path):
    package, synopsis, lines = None, None, []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if line.startswith("Package: "):
                package, synopsis, lines = line[9:], None, []
            elif line.startswith("Description-en: "):
                synopsis = line[16:].strip()
            elif line.startswith(" ") and synopsis is not None:
                lines.append(line[1:])
            elif line == "" and package and synopsis:
                yield package, synopsis, lines
                package, synopsis, lines = None, None, []
    if package and synopsis:
        yield package, synopsis, lines


def paragraphs(lines):
    """Debian's long-description markup: ' .' separates paragraphs; lines starting with a space are verbatim."""
    result, current = [], []
    for line in lines:
        if line.strip() == ".":
            if current:
                result.append(" ".join(current))
            current = []
        else:
            current.append(line.strip())
    if current:
        result.append(" ".join(current))
    return [re.sub(r"\s+", " ", p).strip() for p in result if p.strip()]


def key(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def main():
    source, out = sys.argv[1], sys.argv[2]
    test_pairs = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    train_packages = int(sys.argv[4]) if len(sys.argv) > 4 else 6000
    groups = {}
    for package, synopsis, lines in entries(source):
        body = paragraphs(lines)
        if not body:
            continue
        document = " ".join(body)
        words = len(document.split())
        if words < 12 or words > 200 or len(synopsis.split()) < 3:
            continue
        group = key(body[0].lower())
        # One package per group: the one whose name sorts first (the source's main package, usually).
        if group not in groups or package < groups[group][0]:
            groups[group] = (package, synopsis, document)
    # Order groups by a hash of the package name: a fixed shuffle that does not depend on Python's hash seed.
    chosen = sorted(groups.values(), key=lambda entry: key("compression-sample/" + entry[0]))
    synopses = set()
    unique = []
    for package, synopsis, document in chosen:
        if synopsis.lower() in synopses:
            continue  # two packages with one synopsis: the query would have two relevant documents
        synopses.add(synopsis.lower())
        unique.append((package, synopsis, document))
    test, train = unique[:test_pairs], unique[test_pairs:test_pairs + train_packages]
    with open(f"{out}/test.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["query", "document"])
        for _, synopsis, document in test:
            writer.writerow([synopsis, document])
    with open(f"{out}/train.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["text"])
        for _, synopsis, document in train:
            writer.writerow([synopsis])
            writer.writerow([document])
    print(f"{len(groups)} description groups, {len(unique)} with a unique synopsis; "
          f"wrote {len(test)} test pairs and {2 * len(train)} training texts ({len(train)} packages)")


if __name__ == "__main__":
    main()
