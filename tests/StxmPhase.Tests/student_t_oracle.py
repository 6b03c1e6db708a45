"""Oracle for PairedDifferenceTests: Student-t quantiles by Simpson integration of the t density (plain Python, no SciPy).

Run: python3 tests/StxmPhase.Tests/student_t_oracle.py  (agrees with scipy.stats.t.ppf to about 1e-11)
"""
import math


def pdf(x, n):
    return math.exp(math.lgamma((n + 1) / 2) - math.lgamma(n / 2)) / math.sqrt(n * math.pi) * (1 + x * x / n) ** (-(n + 1) / 2)


def cdf(t, n, steps=200000):
    h = t / steps
    s = pdf(0, n) + pdf(t, n)
    for i in range(1, steps):
        s += (4 if i % 2 else 2) * pdf(i * h, n)
    return 0.5 + s * h / 3


def quantile(p, n):
    lo, hi = 0.0, 100.0
    for _ in range(60):
        m = (lo + hi) / 2
        lo, hi = (m, hi) if cdf(m, n) < p else (lo, m)
    return (lo + hi) / 2


if __name__ == "__main__":
    print("df 1:", math.tan(0.475 * math.pi))
    for p, n in [(0.975, 2), (0.975, 3), (0.975, 4), (0.975, 19), (0.95, 10), (0.975, 5)]:
        print(p, n, repr(quantile(p, n)))
    d = [0.01, 0.03, -0.01, 0.05]
    m = sum(d) / len(d)
    sd = math.sqrt(sum((x - m) ** 2 for x in d) / (len(d) - 1))
    print("interval half-width", quantile(0.975, 3) * sd / 2)
