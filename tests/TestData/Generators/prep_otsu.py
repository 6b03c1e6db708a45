"""Reference Otsu thresholds for StxmPhase.Spectra ParticleMask.OtsuThreshold (area: prep).

Run with the system Python:  /usr/bin/python3 tests/TestData/Generators/prep_otsu.py
Writes tests/TestData/prep/otsu.json.

otsu() below is scikit-image's threshold_otsu (skimage/filters/thresholding.py, v0.19-0.22) for a float image with
nbins=256, copied so the script needs only NumPy: np.histogram over [min, max], bin centres, the between-class variance
weight1[:-1] * weight2[1:] * (mean1[:-1] - mean2[1:])**2 and argmax. Inputs are float32 values (exactly representable
in C#), promoted to float64 before thresholding, as the C# implementation computes in double.
"""
import json
import os
import numpy as np


def otsu(image, nbins=256):
    image = np.asarray(image, dtype=np.float64).ravel()
    image = image[np.isfinite(image)]
    if image.min() == image.max():
        return float(image.min())
    hist, bin_edges = np.histogram(image, bins=nbins, range=(image.min(), image.max()))
    bin_centers = (bin_edges[:-1] + bin_edges[1:]) / 2.0
    hist = hist.astype(np.float64)
    weight1 = np.cumsum(hist)
    weight2 = np.cumsum(hist[::-1])[::-1]
    mean1 = np.cumsum(hist * bin_centers) / weight1
    mean2 = (np.cumsum((hist * bin_centers)[::-1]) / weight2[::-1])[::-1]
    variance12 = weight1[:-1] * weight2[1:] * (mean1[:-1] - mean2[1:]) ** 2
    idx = np.argmax(variance12)
    return float(bin_centers[idx])


class F32(list):
    """float32 values written with their shortest float32 repr (parsed exactly by C# float.Parse)."""


def encode(obj):
    if isinstance(obj, F32):
        return "[" + ",".join(repr(np.float32(x)).replace("np.float32(", "").rstrip(")") for x in obj) + "]"
    if isinstance(obj, dict):
        return "{" + ",".join(json.dumps(k) + ":" + encode(v) for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ",".join(encode(v) for v in obj) + "]"
    return json.dumps(obj)


def main():
    rng = np.random.default_rng(20261123)
    cases = []
    # Bimodal integrated-OD-like images: background near 0, particles near 4 (13 energies x ~0.3 OD).
    for name, n_bg, n_fg, mu_bg, sd_bg, mu_fg, sd_fg, nbins in [
        ("bimodal_balanced", 2000, 2000, 0.0, 0.3, 4.0, 0.8, 256),
        ("bimodal_skewed", 3500, 600, 0.1, 0.2, 2.5, 1.0, 256),
        ("bimodal_64bins", 1500, 900, -0.2, 0.5, 3.0, 0.7, 64),
    ]:
        v = np.concatenate([rng.normal(mu_bg, sd_bg, n_bg), rng.normal(mu_fg, sd_fg, n_fg)]).astype(np.float32)
        rng.shuffle(v)
        cases.append({"name": name, "bins": nbins, "values": F32(v),
                      "threshold": otsu(v.astype(np.float64), nbins)})
    # Small hand-checkable case.
    v = np.array([0, 0, 1, 1, 1, 9, 10, 10], dtype=np.float32)
    cases.append({"name": "tiny", "bins": 4, "values": F32(v), "threshold": otsu(v, 4)})
    out = {"generator": "tests/TestData/Generators/prep_otsu.py", "numpy": np.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(__file__), "..", "prep", "otsu.json")
    with open(path, "w") as f:
        f.write(encode(out) + "\n")
    for c in cases:
        print(c["name"], c["threshold"])


if __name__ == "__main__":
    main()
