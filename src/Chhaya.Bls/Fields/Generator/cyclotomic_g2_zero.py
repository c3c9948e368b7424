#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# Finds an element g of the cyclotomic subgroup of Fp12 with g2 = 0 (the coefficient of w), the case in
# which Karabina's decompression must divide by g3 instead of g2; the tests use the element it prints.
# Run: python3 cyclotomic_g2_zero.py   (a few seconds; deterministic)
#
# Model: Fp2 = Fp[u]/(u^2 + 1), Fp12 = Fp2[w]/(w^6 - xi) with xi = 1 + u, an element a list of six Fp2
# coefficients by powers of w (Chhaya's Fp6 = Fp2[v], v = w^2, and Fp12 = Fp6[w] are the same field).
# Every cyclotomic element is x^((p^6 - 1)(p^2 + 1)) = conj(D)/D with D = x·pi2(x) (pi2 the p^2-power
# Frobenius, conj the p^6-power one). Writing D = E + O (even and odd powers of w), conj(D)/D =
# (E - O)^2 / F with F = E^2 - O^2 in Fp6, so g2 = 0 exactly when the w-coefficient of
# E·O·pi2(F)·pi4(F) is 0. For x = x1 + t·x2 that is a polynomial of degree 12 in t over Fp2; its roots
# in Fp2 (gcd with t^(p^2) - t, then random splitting) give the elements.
import random
import sys

P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
Z2, O2, XI = (0, 0), (1, 0), (1, 1)


def add(x, y): return ((x[0] + y[0]) % P, (x[1] + y[1]) % P)
def sub(x, y): return ((x[0] - y[0]) % P, (x[1] - y[1]) % P)
def mul(x, y): return ((x[0] * y[0] - x[1] * y[1]) % P, (x[0] * y[1] + x[1] * y[0]) % P)


def inv(x):
    n = pow((x[0] * x[0] + x[1] * x[1]) % P, P - 2, P)
    return (x[0] * n % P, -x[1] * n % P)


def pw(x, e):
    r = O2
    for bit in bin(e)[2:]:
        r = mul(r, r)
        if bit == '1':
            r = mul(r, x)
    return r


def mul12(a, b):
    r = [Z2] * 6
    for i in range(6):
        for j in range(6):
            t, k = mul(a[i], b[j]), i + j
            if k >= 6:
                t, k = mul(t, XI), k - 6
            r[k] = add(r[k], t)
    return r


def pow12(a, e):
    r = [O2] + [Z2] * 5
    for bit in bin(e)[2:]:
        r = mul12(r, r)
        if bit == '1':
            r = mul12(r, a)
    return r


GAMMA = pw(XI, (P * P - 1) // 6)  # w^(p^2) = GAMMA·w


def pi2(a):
    return [mul(a[k], pw(GAMMA, k)) for k in range(6)]


def parts(t, x1, x2):
    x = [add(x1[k], mul(x2[k], t)) for k in range(6)]
    d = mul12(x, pi2(x))
    e = [d[k] if k % 2 == 0 else Z2 for k in range(6)]
    o = [d[k] if k % 2 == 1 else Z2 for k in range(6)]
    f = [sub(p, q) for p, q in zip(mul12(e, e), mul12(o, o))]
    return e, o, mul12(pi2(f), pi2(pi2(f))), f


def trim(a):
    while a and a[-1] == Z2:
        a.pop()
    return a


def pmul(a, b):
    r = [Z2] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            r[i + j] = add(r[i + j], mul(x, y))
    return trim(r)


def pmod(a, m):
    a, c_inv, dm = list(a), inv(m[-1]), len(m) - 1
    while len(trim(a)) - 1 >= dm:
        c, s = mul(a[-1], c_inv), len(a) - 1 - dm
        for i in range(len(m)):
            a[s + i] = sub(a[s + i], mul(c, m[i]))
        a.pop()
    return trim(a)


def pgcd(a, b):
    a, b = trim(list(a)), trim(list(b))
    while b:
        a, b = b, pmod(a, b)
    c = inv(a[-1])
    return [mul(x, c) for x in a]


def ppow(base, e, m):
    r, b = [O2], pmod(base, m)
    for bit in bin(e)[2:]:
        r = pmod(pmul(r, r), m)
        if bit == '1':
            r = pmod(pmul(r, b), m)
    return r


def interpolate(xs, ys):
    res = [Z2] * len(xs)
    for i in range(len(xs)):
        num, den = [O2], O2
        for j in range(len(xs)):
            if j != i:
                num, den = pmul(num, [sub(Z2, xs[j]), O2]), mul(den, sub(xs[i], xs[j]))
        c = mul(ys[i], inv(den))
        for k in range(len(num)):
            res[k] = add(res[k], mul(c, num[k]))
    return trim(res)


def roots(g):
    if len(g) == 2:
        return [mul(sub(Z2, g[0]), inv(g[1]))]
    while True:
        h = ppow([(random.randrange(P), random.randrange(P)), O2], (P * P - 1) // 2, g) or [Z2]
        h[0] = sub(h[0], O2)
        s = pgcd(g, h) if trim(list(h)) else g
        if 1 < len(s) < len(g):
            return roots(s)


def main():
    random.seed(7)
    while True:
        x1 = [(random.randrange(P), random.randrange(P)) for _ in range(6)]
        x2 = [(random.randrange(P), random.randrange(P)) for _ in range(6)]
        ts = [(i + 1, i + 2) for i in range(14)]
        vals = []
        for t in ts:
            e, o, adj, _ = parts(t, x1, x2)
            vals.append(mul12(mul12(e, o), adj)[1])
        n = interpolate(ts[:13], vals[:13])
        check = Z2
        for c in reversed(n):
            check = add(mul(check, ts[13]), c)
        assert check == vals[13]  # the fourteenth point confirms the degree is at most 12
        h = ppow([Z2, O2], P * P, n) + [Z2, Z2]
        h[1] = sub(h[1], O2)
        g = pgcd(n, trim(h)) if trim(list(h)) else n
        for t in (roots(g) if len(g) > 1 else []):
            e, o, adj, f = parts(t, x1, x2)
            norm = mul12(f, adj)[0]
            if norm == Z2:
                continue
            em = [sub(a, b) for a, b in zip(e, o)]
            y = [mul(c, inv(norm)) for c in mul12(mul12(em, em), adj)]
            assert y[1] == Z2 and y[4] != Z2  # g2 (w^1) is zero, g3 (w^4) is not
            assert pow12(y, P ** 4 - P ** 2 + 1) == [O2] + [Z2] * 5
            # Chhaya's storage: C0 = (g0, g4, g3) at w^0, w^2, w^4; C1 = (g2, g1, g5) at w^1, w^3, w^5.
            for name, k in (("C0.C0", 0), ("C0.C1", 2), ("C0.C2", 4), ("C1.C0", 1), ("C1.C1", 3), ("C1.C2", 5)):
                print(name, "0x%096x" % y[k][0], "0x%096x" % y[k][1])
            return 0


if __name__ == "__main__":
    sys.exit(main())
