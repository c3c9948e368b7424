#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# Writes ../Fp12.Lazy.cs: the Miller loop's sparse Fp12 multiplications with lazy reduction, unrolled.
# Run: python3 fp12_sparse_lazy.py > ../Fp12.Lazy.cs
#
# The formulas are written once, symbolically: an Fp2 value is a pair of integer combinations of double-width
# Fp products, each product a pair of factors, each factor a non-negative integer combination of the input
# coordinates. Every Fp2 product is Karatsuba over u (three Fp products). Because every identity used
# (Karatsuba over u, v and w, ξ·(x + yu) = (x − y) + (x + y)u) holds over the integers, each output coordinate
# is an exact integer combination of the products. Its exact range follows from expanding it into the
# bilinear form of the input coordinates (each in [0, p)): the generator adds the multiple of p² that lifts
# the lower end to 0, checks the upper end stays inside what Fp.MontgomeryReduce accepts, and emits one
# carried limb combination and one reduction per coordinate, instead of one reduction per Fp product pair.

from fp_montgomery import P
from lazy_combination import P2, emit_reduced_combination, file_header
REDUCE_BOUND = P << 385  # Fp.MontgomeryReduce accepts inputs below p·2^385
MAX_FACTOR = 15  # factor coefficients sum to at most this (values below 15p < 2^385: limbs stay below 2^55)


def lin_add(*forms):
    out = {}
    for f in forms:
        for k, v in f.items():
            out[k] = out.get(k, 0) + v
    return {k: v for k, v in out.items() if v != 0}


def comb(*terms):
    out = {}
    for sign, t in terms:
        for k, v in t.items():
            out[k] = out.get(k, 0) + sign * v
    return {k: v for k, v in out.items() if v != 0}


class Lin2:
    """An Fp2 operand: two linear forms over input Fp coordinates (non-negative integer coefficients)."""

    def __init__(self, re, im):
        self.re, self.im = re, im

    @staticmethod
    def input(name):
        return Lin2({f"{name}.C0": 1}, {f"{name}.C1": 1})

    def __add__(self, other):
        return Lin2(lin_add(self.re, other.re), lin_add(self.im, other.im))


class Wide2:
    """An Fp2 value as two integer combinations of named double-width products."""

    def __init__(self, re, im):
        self.re, self.im = re, im

    def __add__(self, other):
        return Wide2(comb((1, self.re), (1, other.re)), comb((1, self.im), (1, other.im)))

    def __sub__(self, other):
        return Wide2(comb((1, self.re), (-1, other.re)), comb((1, self.im), (-1, other.im)))

    def xi(self):
        return Wide2(comb((1, self.re), (-1, self.im)), comb((1, self.re), (1, self.im)))


class Products:
    def __init__(self):
        self.items = {}  # name -> (x factor, y factor)
        self.keys = {}

    def fp(self, x, y):
        assert sum(x.values()) <= MAX_FACTOR and sum(y.values()) <= MAX_FACTOR, (x, y)
        key = (tuple(sorted(x.items())), tuple(sorted(y.items())))
        if key not in self.keys:
            name = f"w{len(self.items)}"
            self.keys[key] = name
            self.items[name] = (x, y)
        return self.keys[key]

    def mul(self, a, b):
        """Karatsuba over u: Re = v0 − v1, Im = (a0 + a1)(b0 + b1) − v0 − v1."""
        v0 = self.fp(a.re, b.re)
        v1 = self.fp(a.im, b.im)
        s = self.fp(lin_add(a.re, a.im), lin_add(b.re, b.im))
        return Wide2({v0: 1, v1: -1}, {s: 1, v0: -1, v1: -1})


def mul_by_014(pr):
    """a·(c0 + c1·v + c4·v·w), Karatsuba over w; A0·(c0 + c1·v) and (A0 + A1)·(c0 + (c1 + c4)·v) by the
    sparse Karatsuba over v, A1·(c4·v) by three products. Where a product is needed only times ξ, the
    factor ξ·c (reduced, computed before) takes its place: ξ applied to a finished product would double the
    signed terms of its coordinates, and the ranges would no longer fit one reduction."""
    a0 = [Lin2.input(f"a.C0.C{k}") for k in range(3)]
    a1 = [Lin2.input(f"a.C1.C{k}") for k in range(3)]
    c0, c1, c4 = Lin2.input("c0"), Lin2.input("c1"), Lin2.input("c4")
    xc1, xc4 = Lin2.input("xiC1"), Lin2.input("xiC4")

    def mul_by_01(x, b0, b1, xi_b1):
        t0 = pr.mul(x[0], b0)
        t1 = pr.mul(x[1], b1)
        return [pr.mul(x[2], xi_b1) + t0,
                pr.mul(b0 + b1, x[0] + x[1]) - t0 - t1,
                pr.mul(x[2], b0) + t1]

    aa = mul_by_01(a0, c0, c1, xc1)
    # bb = A1·(c4·v) = (ξ·a12·c4, a10·c4, a11·c4); C0 needs ξ·bb2 as well as C1 needing bb2.
    bb = [pr.mul(a1[2], xc4), pr.mul(a1[0], c4), pr.mul(a1[1], c4)]
    xi_bb2 = pr.mul(a1[1], xc4)
    s = [a0[k] + a1[k] for k in range(3)]
    tt = mul_by_01(s, c0, c1 + c4, xc1 + xc4)
    out0 = [aa[0] + xi_bb2, aa[1] + bb[0], aa[2] + bb[1]]
    out1 = [tt[k] - aa[k] - bb[k] for k in range(3)]
    return out0 + out1


def expand(out, pr):
    """The bilinear form of a combination of products: {(x coordinate, y coordinate): coefficient}."""
    terms = {}
    for name, coef in out.items():
        x, y = pr.items[name]
        for xi, xc in x.items():
            for yi, yc in y.items():
                key = tuple(sorted((xi, yi)))  # products commute
                terms[key] = terms.get(key, 0) + coef * xc * yc
    return {k: v for k, v in terms.items() if v != 0}


def bias_for(out, pr):
    terms = expand(out, pr)
    low = sum(c for c in terms.values() if c < 0)  # in units of p² (every coordinate below p)
    high = sum(c for c in terms.values() if c > 0)
    k = -low
    assert (high + k) * P2 < REDUCE_BOUND, (high, k)
    return k, low, high


def factor_expr(form, cache, w):
    """Emits the non-negative combination as a chain of Fp.AddUnreduced, reusing earlier sums."""
    key = tuple(sorted(form.items()))
    if key in cache:
        return cache[key]
    if len(key) == 1 and key[0][1] == 1:
        return key[0][0]
    terms = [n for n, c in key for _ in range(c)]
    expr = terms[0]
    for t in terms[1:]:
        expr = f"Fp.AddUnreduced({expr}, {t})"
    name = f"f{len(cache)}"
    w(f"        var {name} = {expr};")
    cache[key] = name
    return name


def emit_method(w, signature, prologue, outputs, pr, result):
    w("    [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
    w(f"    internal static {signature}")
    w("    {")
    w("        const ulong Mask55 = Fp.Mask55;")
    for line in prologue:
        w(f"        {line}")
    cache = {}
    for name, (x, y) in pr.items.items():
        fx = factor_expr(x, cache, w)
        fy = factor_expr(y, cache, w)
        w(f"        var {name} = Fp.MulWide({fx}, {fy});")
    w("        long t;")
    names = []
    for index, out in enumerate(outputs):
        for part, combo in (("re", out.re), ("im", out.im)):
            k, low, high = bias_for(combo, pr)
            o = f"c{index}{part}"
            names.append(o)
            w(f"        // {o}: exact range ({low}p², {high}p²), bias {k}p².")
            emit_reduced_combination(w, o, sorted(combo.items(), key=lambda kv: int(kv[0][1:])), k)
    w(f"        return {result(names)};")
    w("    }")


def main():
    o = []
    w = o.append
    file_header(w, "fp12_sparse_lazy.py")
    w("/// <summary>The Miller loop's sparse Fp12 multiplications with lazy reduction (generated; see Generator/fp12_sparse_lazy.py).</summary>")
    w("internal readonly partial struct Fp12")
    w("{")
    pr = Products()
    outputs = mul_by_014(pr)
    w("    /// <summary>")
    w(f"    /// a·(c0 + c1·v + c4·v·w) for operands whose Fp coordinates are reduced: {len(pr.items)} double-width products")
    w("    /// (Karatsuba over w, over v and over u), each output coordinate an exact signed combination of them plus the")
    w("    /// multiple of p² its range needs, carried once and reduced once: 12 Montgomery reductions instead of 26.")
    w("    /// </summary>")
    emit_method(
        w, "Fp12 MulBy014Lazy(in Fp12 a, in Fp2 c0, in Fp2 c1, in Fp2 c4)",
        ["var xiC1 = Fp2.MulByNonResidue(c1);", "var xiC4 = Fp2.MulByNonResidue(c4);"], outputs, pr,
        lambda n: "new Fp12(new Fp6(new Fp2(c0re, c0im), new Fp2(c1re, c1im), new Fp2(c2re, c2im)), "
                  "new Fp6(new Fp2(c3re, c3im), new Fp2(c4re, c4im), new Fp2(c5re, c5im)))")
    w("}")
    print("\n".join(o))


if __name__ == "__main__":
    main()
