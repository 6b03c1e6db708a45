#!/usr/bin/python3
"""Generates the small synthetic fixtures of StxmPhase.IO tests (tests/TestData/io/synthetic/).

Run with the Debian python (apt-get install -y python3-h5py python3-numpy):
    /usr/bin/python3 tests/TestData/Generators/io_make_fixtures.py
Values follow simple formulas so that the C# tests can check every element:
    value(e, y, x) = 100*e + 10*y + x  (+1000 for channel 'ch_b', +energy-entry offsets noted below)
"""
import os
import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "io", "synthetic")
os.makedirs(OUT, exist_ok=True)
S = h5py.string_dtype(encoding="utf-8")


def cube(ne, ny, nx, offset=0.0, dtype=np.float64):
    e, y, x = np.meshgrid(np.arange(ne), np.arange(ny), np.arange(nx), indexing="ij")
    return (100.0 * e + 10.0 * y + x + offset).astype(dtype)


def nxdata(parent, name, data, energy, axes=("energy", "sample_y", "sample_x"), scan_type="sample image stack",
           nx_class="NXdata", **kw):
    g = parent.create_group(name)
    g.attrs["NX_class"] = nx_class
    g.attrs["signal"] = "data"
    g.attrs["axes"] = np.array([a.encode() for a in axes], dtype="S12")
    g.create_dataset("data", data=data, **kw)
    g.create_dataset("energy", data=np.asarray(energy, dtype=np.float64)).attrs["units"] = "eV"
    shape = dict(zip(axes, data.shape))
    if "sample_x" in shape:
        g.create_dataset("sample_x", data=np.arange(shape["sample_x"]) * 0.05).attrs["units"] = "um"
    if "sample_y" in shape:
        g.create_dataset("sample_y", data=np.arange(shape["sample_y"]) * 0.04).attrs["units"] = "um"
    if scan_type is not None:
        g.create_dataset("stxm_scan_type", data=np.array([scan_type.encode()]))
    g.create_dataset("count_time", data=np.full(len(np.atleast_1d(energy)), 0.002))
    return g


def entry(f, name, scalar_definition=False):
    g = f.create_group(name)
    g.attrs["NX_class"] = "NXentry"
    if scalar_definition:
        g.create_dataset("definition", data="NXstxm", dtype=S)
    else:
        g.create_dataset("definition", data=np.array([b"NXstxm"]))
    return g


# 1. Two entries, two channels, axes stored (sample_x, sample_y, energy), scalar definition, monitor 'control'.
with h5py.File(os.path.join(OUT, "nx_multi.h5"), "w") as f:
    for i, name in enumerate(["entry0", "entry1"]):
        en = entry(f, name, scalar_definition=True)
        energies = np.array([700.0, 705.0, 710.0]) + 100.0 * i
        c = cube(3, 4, 5)  # (E, y, x)
        nxdata(en, "ch_a", np.transpose(c, (2, 1, 0)).copy(), energies, axes=("sample_x", "sample_y", "energy"))
        nxdata(en, "ch_b", np.transpose(c + 1000.0, (2, 1, 0)).copy(), energies, axes=("sample_x", "sample_y", "energy"))
        mon = np.ones((3, 4, 5)); mon[1] = 2.0
        nxdata(en, "control", mon, energies, scan_type=None, nx_class="NXmonitor")

# 2. Line spectrum, point spectrum, focus scan: must be rejected.
with h5py.File(os.path.join(OUT, "nx_line.h5"), "w") as f:
    en = entry(f, "entry0")
    nxdata(en, "counter0", np.ones((3, 7)), [700.0, 701.0, 702.0], axes=("energy", "line_position"),
           scan_type="sample line spectrum")
with h5py.File(os.path.join(OUT, "nx_point.h5"), "w") as f:
    en = entry(f, "entry0")
    nxdata(en, "counter0", np.ones(3), [700.0, 701.0, 702.0], axes=("energy",), scan_type="sample point spectrum")
with h5py.File(os.path.join(OUT, "nx_focus.h5"), "w") as f:
    en = entry(f, "entry0")
    nxdata(en, "counter0", np.ones((4, 6)), [700.0], axes=("zoneplate_z", "line_position"), scan_type="sample focus")

# 3. pyStxm-like: float32, gzip, last two frames NaN (not yet acquired).
with h5py.File(os.path.join(OUT, "nx_nan_frames.h5"), "w") as f:
    en = entry(f, "entry", scalar_definition=True)
    d = cube(4, 3, 3, dtype=np.float32); d[2:] = np.nan
    nxdata(en, "counter0", d, [280.0, 285.0, 290.0, 295.0], compression="gzip", chunks=(1, 3, 3))

# 4. User block of 1024 bytes before the superblock; single image (rank 2) at 350 eV.
with h5py.File(os.path.join(OUT, "nx_userblock_image.h5"), "w", userblock_size=1024) as f:
    en = entry(f, "entry1")
    nxdata(en, "counter0", cube(1, 6, 8)[0], [350.0], axes=("sample_y", "sample_x"), scan_type="sample image")

# 5. Tiny stack for the fuzz test (contiguous float64, 1-element |S definition like PolLux).
with h5py.File(os.path.join(OUT, "nx_tiny.h5"), "w") as f:
    en = entry(f, "entry1")
    nxdata(en, "counter0", cube(2, 3, 4), [280.0, 290.0])

# 6. NumPy fixtures: big-endian float64 C order and Fortran-order int16, shape (E, y, x) = (2, 3, 4).
np.save(os.path.join(OUT, "npy_be_f8.npy"), cube(2, 3, 4).astype(">f8"))
np.save(os.path.join(OUT, "npy_fortran_i2.npy"), np.asfortranarray(cube(2, 3, 4).astype("<i2")))
print("written to", os.path.abspath(OUT))
