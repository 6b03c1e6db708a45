"""Writes pollux-c-k-references.csv: two improvised C K-edge references for the real 4-energy PolLux stack
(../exampledata/Sample_Stack_2021-03-16_128.hdf5, 280 / 284.5 / 285 / 320 eV), from ../RyansSTXMScripts/HOPG.txt and
../RyansSTXMScripts/STACKLab_1_ExampleSpectrum.txt, linearly interpolated on 279-330 eV in 0.5 eV steps. HOPG.txt stops at
310.03 eV: above it HOPG keeps its last value (the post-edge plateau), an improvisation so that the table covers 320 eV.
Standard library only: python3 make_pollux_c_k_references.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "RyansSTXMScripts")


def load(name):
    rows = []
    with open(os.path.join(SOURCE, name)) as f:
        for line in f:
            t = line.split()
            if len(t) >= 2:
                rows.append((float(t[0]), float(t[1])))
    return rows


def interp(x, rows):
    if x <= rows[0][0]:
        return rows[0][1]
    if x >= rows[-1][0]:
        return rows[-1][1]
    for (x0, y0), (x1, y1) in zip(rows, rows[1:]):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    raise ValueError(x)


hopg = load("HOPG.txt")
example = load("STACKLab_1_ExampleSpectrum.txt")
with open(os.path.join(HERE, "pollux-c-k-references.csv"), "w", newline="\n") as out:
    out.write("energy_eV,HOPG,Example\n")
    for i in range(103):
        e = 279.0 + 0.5 * i
        out.write(f"{e:.2f},{interp(e, hopg):.5f},{interp(e, example):.5f}\n")
