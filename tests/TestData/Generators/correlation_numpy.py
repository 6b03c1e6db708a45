#!/usr/bin/python3
"""Reference numbers for StxmPhase.Correlation (PearsonPhaseCorrelator).

Writes tests/TestData/correlation/pcc_numpy_32x16x13.json: a fixed 32 x 16 pixel, 13-energy float32 stack
(energy-major, like SpectralStack), 5 references, and the float64 NumPy results per algorithms.md section 0:
rho_j = np.corrcoef(x, r_j)[0, 1] clamped to [-1, 1]; stable descending top-2 (ties -> lower index first);
R = 100 (Q1 - Q2); ambiguous iff Q1 - Q2 < 0.005; invalid iff any non-finite value or
sum((x - mean)^2) <= 1e-12 * max(1, sum(x^2)).

Run with Debian's interpreter:  /usr/bin/python3 tests/TestData/Generators/correlation_numpy.py
Versions used for the committed file: see the "numpy" field in the JSON.
"""
import json
import os

import numpy as np

H, W, E, P = 16, 32, 13, 5
DELTA = 0.005

rng = np.random.default_rng(20261123)
energies = np.linspace(525.0, 545.0, E)

# Smooth, distinct references: Gaussian absorption peaks at different positions on a rising edge.
refs = np.empty((P, E))
for j in range(P):
    centre = 529.0 + 3.2 * j
    refs[j] = 0.1 + 0.02 * (energies - 525.0) + np.exp(-0.5 * ((energies - centre) / 1.8) ** 2)

# Pixels: random non-negative mixtures of the references, scaled, offset and noisy (a.x + b with a > 0).
stack = np.empty((E, H, W), dtype=np.float32)
for y in range(H):
    for x in range(W):
        weights = rng.dirichlet(np.full(P, 0.4))
        spectrum = weights @ refs
        a = rng.uniform(0.2, 3.0)
        b = rng.uniform(-0.5, 1.5)
        noise = rng.normal(0.0, rng.choice([0.001, 0.01, 0.05]), E)
        stack[:, y, x] = (a * spectrum + b + noise).astype(np.float32)

# Special pixels.
stack[:, 0, 0] = np.float32(0.7)                                       # constant -> invalid
stack[:, 0, 1] = (2.0 * refs[0] + 0.05).astype(np.float32)             # exact scaled copy of r0 -> rho 1 (clamped)
stack[:, 0, 2] = (0.5 * refs[1] + 0.5 * refs[2]).astype(np.float32)    # two-phase mixture -> close call
stack[3, 0, 3] = np.float32(np.nan)                                    # NaN -> invalid
stack[7, 0, 4] = np.float32(np.inf)                                    # +Inf -> invalid
stack[:, 0, 5] = (1000.0 + 0.01 * refs[3]).astype(np.float32)          # large offset, small signal
stack[:, 0, 6] = (-refs[4]).astype(np.float32)                         # anti-correlated with r4

pixels = stack.reshape(E, H * W).T.astype(np.float64)                  # N x E
n = pixels.shape[0]
rho = np.zeros((P, n))
labels = np.full(n, -1)
second = np.full(n, -1)
q1 = np.zeros(n)
q2 = np.zeros(n)
rel = np.zeros(n)
amb = np.zeros(n, dtype=bool)
status = np.zeros(n, dtype=int)  # 0 valid, 2 invalid
for i in range(n):
    xv = pixels[i]
    if not np.all(np.isfinite(xv)):
        status[i] = 2
        continue
    dev = xv - xv.mean()
    if np.sum(dev * dev) <= 1e-12 * max(1.0, np.sum(xv * xv)):
        status[i] = 2
        continue
    r = np.array([np.corrcoef(xv, refs[j])[0, 1] for j in range(P)])
    r = np.clip(r, -1.0, 1.0)
    order = np.argsort(-r, kind="stable")
    rho[:, i] = r
    labels[i] = order[0]
    second[i] = order[1]
    q1[i] = r[order[0]]
    q2[i] = r[order[1]]
    rel[i] = 100.0 * (q1[i] - q2[i])
    amb[i] = (q1[i] - q2[i]) < DELTA


def floats(a):
    return [None if not np.isfinite(v) else float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


out = {
    "generator": "tests/TestData/Generators/correlation_numpy.py",
    "numpy": np.__version__,
    "width": W,
    "height": H,
    "energies": energies.tolist(),
    "references": refs.ravel().tolist(),
    "stack": [repr(float(v)) if np.isfinite(v) else str(v) for v in stack.ravel()],
    "delta": DELTA,
    "correlations": rho.ravel().tolist(),
    "labels": labels.tolist(),
    "secondLabels": second.tolist(),
    "best": q1.tolist(),
    "second": q2.tolist(),
    "reliability": rel.tolist(),
    "ambiguous": amb.tolist(),
    "status": status.tolist(),
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "correlation", "pcc_numpy_32x16x13.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
print(f"wrote {path}: {n} pixels, {int(amb.sum())} ambiguous, {int((status == 2).sum())} invalid")
