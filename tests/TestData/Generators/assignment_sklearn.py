#!/usr/bin/python3
"""Reference numbers for StxmPhase.Assignment (tests/StxmPhase.Assignment.Tests).

Regenerates the algorithms.md §6 vectors V1-V4 and a few random cases with scikit-learn / numpy, and writes
tests/TestData/assignment/sklearn_cases.json.

Run with the Debian interpreter (apt-get install python3-numpy python3-scipy python3-sklearn):
    /usr/bin/python3 tests/TestData/Generators/assignment_sklearn.py

Conventions:
* All numbers are float64, written with repr() (round-trip exact).
* The C# LatentSet stores float32, so every "float32" block uses inputs rounded to float32 first (the JSON holds the
  rounded values exactly); the C# model must then match to ~1e-12 relative (plus the documented 1e-9 ridge floor).
* Random cases: 5 classes, ~200 labelled 3-D points, 50 queries, seeds fixed below.
  - "mahalanobis": per class sklearn LedoitWolf().fit(Z_c) -> location_, covariance_, shrinkage_,
    mahalanobis(Q) (squared), argmin over classes (first on ties).
  - "pooled": the StxmPhase pooled fallback for classes with fewer than d + 1 points: LedoitWolf(assume_centered=True)
    on the concatenation of all class-centred points (algorithms.md §3.1).
  - "knn": KNeighborsClassifier(k, weights, algorithm='kd_tree') predict and predict_proba.
  - "centroid": NearestCentroid() centroids_ and predict.
"""
import json
import os
import sys

import numpy as np
import scipy
import sklearn
from sklearn.covariance import EmpiricalCovariance, LedoitWolf, ShrunkCovariance
from sklearn.neighbors import KNeighborsClassifier, NearestCentroid

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assignment", "sklearn_cases.json")


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def lw_block(points, queries):
    lw = LedoitWolf().fit(points)
    emp = EmpiricalCovariance().fit(points)
    return {
        "points": points.tolist(),
        "queries": queries.tolist(),
        "location": lw.location_.tolist(),
        "empirical_covariance": emp.covariance_.tolist(),
        "shrinkage": float(lw.shrinkage_),
        "covariance": lw.covariance_.tolist(),
        "lw_mahalanobis": lw.mahalanobis(queries).tolist(),
        "empirical_mahalanobis": emp.mahalanobis(queries).tolist(),
    }


def knn_block(train, labels, queries, ks=(1, 3, 5)):
    out = []
    for k in ks:
        for weights in ("uniform", "distance"):
            clf = KNeighborsClassifier(n_neighbors=k, weights=weights, algorithm="kd_tree").fit(train, labels)
            out.append({
                "k": k,
                "weights": weights,
                "predict": clf.predict(queries).astype(int).tolist(),
                "proba": clf.predict_proba(queries).tolist(),
            })
    return out


def centroid_block(train, labels, queries):
    nc = NearestCentroid().fit(train, labels)
    return {"centroids": nc.centroids_.tolist(), "predict": nc.predict(queries).astype(int).tolist()}


def random_case(seed, sizes, n_queries=50):
    rng = np.random.default_rng(seed)
    k = len(sizes)
    centers = rng.normal(0, 2.5, size=(k, 3))
    A = rng.normal(0, 1, size=(k, 3, 3)) * 0.5
    pts, labs = [], []
    for c, n in enumerate(sizes):
        z = centers[c] + rng.standard_normal((n, 3)) @ A[c].T
        pts.append(z)
        labs.append(np.full(n, c))
    order = rng.permutation(sum(sizes))
    Z = f32(np.concatenate(pts))[order]
    y = np.concatenate(labs)[order]
    Q = f32(centers[rng.integers(0, k, n_queries)] + rng.normal(0, 1.2, size=(n_queries, 3)))

    case = {"seed": seed, "class_sizes": list(sizes), "points": Z.tolist(), "labels": y.astype(int).tolist(),
            "queries": Q.tolist()}
    maha = {"location": [], "covariance": [], "shrinkage": [], "d2": None, "predict": None}
    d2 = np.full((n_queries, k), np.inf)
    for c in range(k):
        Zc = Z[y == c]
        if len(Zc) < 4:
            maha["location"].append(None)
            maha["covariance"].append(None)
            maha["shrinkage"].append(None)
            continue
        lw = LedoitWolf().fit(Zc)
        maha["location"].append(lw.location_.tolist())
        maha["covariance"].append(lw.covariance_.tolist())
        maha["shrinkage"].append(float(lw.shrinkage_))
        d2[:, c] = lw.mahalanobis(Q)

    # Pooled fallback (StxmPhase behaviour, not sklearn's): LW on concatenated class-centred points.
    centred = np.concatenate([Z[y == c] - Z[y == c].mean(0) for c in range(k)])
    pooled = LedoitWolf(assume_centered=True).fit(centred)
    case["pooled"] = {"covariance": pooled.covariance_.tolist(), "shrinkage": float(pooled.shrinkage_)}
    for c in range(k):
        Zc = Z[y == c]
        if len(Zc) < 4:
            mu = Zc.mean(0)
            P = np.linalg.inv(pooled.covariance_)
            D = Q - mu
            d2[:, c] = np.einsum("ni,ij,nj->n", D, P, D)
            maha["location"][c] = mu.tolist()
    maha["d2"] = d2.tolist()
    maha["predict"] = d2.argmin(1).astype(int).tolist()
    case["mahalanobis"] = maha
    case["knn"] = knn_block(Z, y, Q, ks=(1, 5, 15))
    case["centroid"] = centroid_block(Z, y, Q)
    return case


def main():
    out = {"generator": "tests/TestData/Generators/assignment_sklearn.py",
           "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                        "sklearn": sklearn.__version__}}

    # V1: z_i = (cos i, sin 2i, 0.5 cos 3i + 0.3 cos i), i = 0..11.
    i = np.arange(12, dtype=np.float64)
    z = np.stack([np.cos(i), np.sin(2 * i), 0.5 * np.cos(3 * i) + 0.3 * np.cos(i)], axis=1)
    q = np.array([[0.5, 0.5, 0.5], [2.0, -1.0, 0.0]])
    out["v1"] = lw_block(z, q)
    out["v1_float32"] = lw_block(f32(z), q)

    v2 = np.array([[0, 0, 0], [1, 0.2, 0.1], [0.3, 1.1, -0.2], [-0.4, 0.5, 0.9], [0.8, -0.6, 0.4], [0.2, 0.3, -0.7]])
    out["v2"] = lw_block(v2, q)
    out["v2"]["shrunk01_covariance"] = ShrunkCovariance(shrinkage=0.1).fit(v2).covariance_.tolist()
    out["v2_float32"] = lw_block(f32(v2), q)
    out["v3b"] = lw_block(v2[:3], q)
    out["v3b_float32"] = lw_block(f32(v2[:3]), q)
    v3c = np.tile([[0.3, -0.2, 0.5]], (4, 1))
    out["v3c"] = lw_block(v3c, q)

    train = np.array([[0, 0, 0], [0.1, 0, 0], [0, 0.2, 0], [1, 1, 1], [1.1, 1, 1], [1, 0.9, 1.2], [2, 0, 0], [2.1, 0.1, 0]])
    labels = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    queries = np.array([[0.05, 0.05, 0], [1.05, 1, 1], [1, 0.5, 0.5], [2, 0, 0], [1.5, 0.5, 0.5]])
    out["v4"] = {"train": train.tolist(), "labels": labels.tolist(), "queries": queries.tolist(),
                 "knn": knn_block(train, labels, queries), "centroid": centroid_block(train, labels, queries)}
    out["v4_float32"] = {"train": f32(train).tolist(), "labels": labels.tolist(), "queries": f32(queries).tolist(),
                         "knn": knn_block(f32(train), labels, f32(queries)),
                         "centroid": centroid_block(f32(train), labels, f32(queries))}
    clf = KNeighborsClassifier(n_neighbors=2).fit(np.array([[0.0, 0, 0], [2.0, 0, 0]]), np.array([1, 0]))
    out["v4b"] = {"train": [[0.0, 0, 0], [2.0, 0, 0]], "labels": [1, 0], "queries": [[0.5, 0, 0]], "k": 2,
                  "predict": clf.predict(np.array([[0.5, 0, 0]])).astype(int).tolist(),
                  "proba": clf.predict_proba(np.array([[0.5, 0, 0]])).tolist()}

    out["random"] = [random_case(11, (40, 40, 40, 40, 40)),
                     random_case(12, (70, 25, 45, 30, 30)),
                     random_case(13, (60, 50, 3, 40, 47))]   # class 2 has < d + 1 points: pooled fallback

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
