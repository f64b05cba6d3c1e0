#!/usr/bin/env python3
"""How small a validation split can temperature scaling be fitted on? (calibrate's FitReliability)

A synthetic K-class model: logits z = N(0, 1) per class plus `signal` on a random class; the true
label is drawn from softmax(z / T*), so T* is the temperature that calibrates it exactly (T* > 1: the
model is over-confident). For each validation size n, 200 seeded draws: fit T on n samples exactly as
TemperatureFitter does (golden-section on log T in [0.05, 20]), drop the fits calibrate refuses for
reasons other than size (fewer than 2 mistakes, T within 1% of a bound in log space), and report how
often the accepted fits raise the expected test NLL (over 1,500 test logits, exact expectation over
the true label distribution) compared with keeping T = 1. Pure Python 3, no packages; about a minute.

    python3 bench/calibration-fit-size.py
"""
import math
import random


def softmax(z, t):
    m = max(v / t for v in z)
    e = [math.exp(v / t - m) for v in z]
    s = sum(e)
    return [x / s for x in e]


def nll(logits, labels, t):
    total = 0.0
    for z, y in zip(logits, labels):
        m = max(v / t for v in z)
        total -= z[y] / t - m - math.log(sum(math.exp(v / t - m) for v in z))
    return total / len(labels)


def fit(logits, labels, lo=0.05, hi=20.0):
    f = lambda lt: nll(logits, labels, math.exp(lt))
    lo, hi = math.log(lo), math.log(hi)
    r = (5 ** 0.5 - 1) / 2
    a, b = hi - r * (hi - lo), lo + r * (hi - lo)
    fa, fb = f(a), f(b)
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - r * (hi - lo)
            fa = f(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + r * (hi - lo)
            fb = f(b)
    return math.exp((lo + hi) / 2)


def logits(k, signal, rng):
    c = rng.randrange(k)
    return [rng.gauss(0, 1) + (signal if j == c else 0) for j in range(k)]


def label(p, rng):
    u, acc = rng.random(), 0.0
    for j, pj in enumerate(p):
        acc += pj
        if u <= acc:
            return j
    return len(p) - 1


def expected_nll(test, t):
    return -sum(sum(pj * math.log(max(qj, 1e-300)) for pj, qj in zip(p, softmax(z, t))) for z, p in test) / len(test)


def scenario(k, signal, t_star, per_class):
    rng = random.Random(1)
    test = [(z, softmax(z, t_star)) for z in (logits(k, signal, rng) for _ in range(1500))]
    base = expected_nll(test, 1.0)
    print(f"{k} classes, signal {signal}, T* = {t_star}: test NLL {base:.4f} at T = 1, {expected_nll(test, t_star):.4f} at T*")
    for c in per_class:
        n = c * k
        changes, refused = [], 0
        for _ in range(200):
            zs = [logits(k, signal, rng) for _ in range(n)]
            ys = [label(softmax(z, t_star), rng) for z in zs]
            mistakes = sum(1 for z, y in zip(zs, ys) if max(range(k), key=lambda j: z[j]) != y)
            t = fit(zs, ys)
            position = (math.log(t) - math.log(0.05)) / (math.log(20) - math.log(0.05))
            if mistakes < 2 or position < 0.01 or position > 0.99:
                refused += 1
                continue
            changes.append(expected_nll(test, t) - base)
        changes.sort()
        if not changes:
            print(f"  {c:>2}/class (n = {n}): all 200 fits refused")
            continue
        worse = sum(1 for d in changes if d > 0) / len(changes)
        print(f"  {c:>2}/class (n = {n}): {refused} refused; of {len(changes)} accepted, {worse * 100:.0f}% raise test NLL;"
              f" median change {changes[len(changes) // 2]:+.4f}, worst {changes[-1]:+.4f}")


if __name__ == "__main__":
    scenario(3, 7.0, 1.5, [5, 10, 20])   # ~97% accurate and over-confident: calibration should help
    scenario(3, 4.0, 1.5, [5, 10, 20])   # ~80% accurate and over-confident
    scenario(3, 7.0, 1.0, [5, 10, 20])   # already calibrated: any fit can only lose
