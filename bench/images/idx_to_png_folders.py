#!/usr/bin/env python3
"""Writes an IDX image set (MNIST, Fashion-MNIST) as an image folder: <out>/<split>/<class>/<n>.png.

The "images" data format reads folders in the torchvision/Keras layout; this turns a gzipped IDX pair
into one, so benchmarks can run the image path on real pictures. Grayscale 8-bit PNGs, written with
the standard library only (zlib + struct), so it runs on a fresh Debian with /usr/bin/python3.

Usage: idx_to_png_folders.py [--skip N] IMAGES.gz LABELS.gz OUT_FOLDER PER_CLASS [CLASS_NAMES_COMMA_SEPARATED]
Takes the first PER_CLASS images of each class in file order, after skipping the first N of each class
(default 0), so two calls can write disjoint sets from one file.
"""
import gzip
import struct
import sys
import zlib
from pathlib import Path


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return shape, data[4 + 4 * dims:]


def png_gray(width, height, pixels):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def main():
    skip = 0
    if len(sys.argv) > 2 and sys.argv[1] == "--skip":
        skip = int(sys.argv[2])
        del sys.argv[1:3]
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    (count, height, width), images = read_idx(sys.argv[1])
    (label_count,), labels = read_idx(sys.argv[2])
    if count != label_count:
        sys.exit(f"{sys.argv[1]} has {count} images but {sys.argv[2]} has {label_count} labels")
    out, per_class = Path(sys.argv[3]), int(sys.argv[4])
    names = sys.argv[5].split(",") if len(sys.argv) == 6 else [str(c) for c in range(max(labels) + 1)]
    written, skipped = {}, {}
    size = height * width
    for i in range(count):
        label = labels[i]
        if skipped.get(label, 0) < skip:
            skipped[label] = skipped.get(label, 0) + 1
            continue
        if written.get(label, 0) >= per_class:
            continue
        folder = out / names[label]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:05d}.png").write_bytes(png_gray(width, height, images[i * size:(i + 1) * size]))
        written[label] = written.get(label, 0) + 1
    print(f"{out}: {sum(written.values())} images in {len(written)} class folders")


if __name__ == "__main__":
    main()
