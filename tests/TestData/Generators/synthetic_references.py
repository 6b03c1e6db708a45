#!/usr/bin/python3
"""Independent NumPy oracle for the StxmPhase.Synthetic NaxV2(PO4)2F3 reference-spectrum model.

Re-implements the model of docs/synthetic-data.md (equations and parameter table) with NumPy and writes
tests/TestData/synthetic/references_oracle.json: the five references at a set of test energies, the normalisation
constant and the Pearson-correlation matrices (numpy.corrcoef) on the high-resolution grid and on the 13 default energies.

Run: /usr/bin/python3 tests/TestData/Generators/synthetic_references.py   (NumPy 1.24.2, Python 3.11)
"""
import json
import os
import numpy as np

PHASES = ["Na3.0", "Na2.4", "Na2.0", "Na1.0", "Na1-y"]
Q = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
BACKGROUND = 0.06
# (onset eV, shift eV per unit q, width eV, height)
STEPS = [(517.2, 1.2, 0.6, 0.10), (524.2, 1.2, 0.9, 0.05), (532.5, 0.3, 1.2, 0.16)]
# (centre eV, shift eV per unit q, FWHM eV, Lorentz fraction, amplitude, amplitude slope)
PEAKS = [
    (516.0, 0.6, 1.7, 0.3, 0.35, -0.12),
    (517.5, 1.2, 2.0, 0.3, 1.00, -0.10),
    (519.0, 1.2, 1.9, 0.3, 0.28, 0.16),
    (523.4, 0.6, 1.6, 0.4, 0.18, -0.06),
    (524.8, 1.2, 2.6, 0.4, 0.55, 0.00),
    (529.4, 0.4, 1.1, 0.2, 0.14, 0.16),
    (531.0, 0.4, 1.4, 0.2, 0.12, 0.10),
    (535.5, 0.0, 4.5, 0.2, 0.22, 0.00),
]
DEFAULT = np.array([505.0, 515.5, 516.5, 517.3, 518.2, 519.2, 523.5, 524.6, 525.8, 529.4, 530.3, 531.3, 534.5])
HIGH = np.round(500.0 + 0.1 * np.arange(501), 6)
TEST = np.array([500.0, 505.0, 516.0, 517.5, 518.25, 519.0, 524.8, 529.4, 530.3, 531.0, 535.5, 550.0])


def unnormalised(q, e):
    e = np.asarray(e, dtype=np.float64)
    s = BACKGROUND * (e / 500.0) ** -3
    for onset, shift, width, height in STEPS:
        s = s + height * (0.5 + np.arctan((e - (onset + shift * q)) / width) / np.pi)
    for centre, shift, fwhm, eta, amp, slope in PEAKS:
        u = (e - (centre + shift * q)) / fwhm
        v = eta / (1 + 4 * u * u) + (1 - eta) * np.exp(-4 * np.log(2) * u * u)
        s = s + (amp + slope * q) * v
    return s


norm = max(unnormalised(q, HIGH).max() for q in Q)
ref = lambda e: np.array([unnormalised(q, e) / norm for q in Q])

out = {
    "generator": "tests/TestData/Generators/synthetic_references.py",
    "numpy": np.__version__,
    "phases": PHASES,
    "normalisation": norm,
    "testEnergies": TEST.tolist(),
    "testValues": ref(TEST).tolist(),
    "defaultEnergies": DEFAULT.tolist(),
    "pearsonHighResolution": np.corrcoef(ref(HIGH)).tolist(),
    "pearsonDefault": np.corrcoef(ref(DEFAULT)).tolist(),
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "synthetic", "references_oracle.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
print(np.array2string(np.array(out["pearsonDefault"]), precision=4))
