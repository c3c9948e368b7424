# SPDX-License-Identifier: AGPL-3.0-or-later
# Shared by the lazy-reduction generators (fp6_lazy.py, fp12_sparse_lazy.py): emits one output coordinate
# as an exact signed combination of double-width products, limb by limb with a signed carry, plus the
# multiple of p² that makes it non-negative, and one Montgomery reduction.

from fp_montgomery import P, W

WL = 14  # limbs of a wide value
P2 = P * P


def limbs(x, n=WL):
    return [(x >> (W * i)) & ((1 << W) - 1) if i < n - 1 else x >> (W * i) for i in range(n)]


def emit_reduced_combination(w, out, terms, bias_p2):
    """terms: (wide variable name, integer coefficient) in emission order; bias_p2: the bias in units of p²."""
    bias = limbs(bias_p2 * P2)
    for l in range(WL):
        expr = []
        for name, coef in terms:
            v = f"(long){name}.W{l}"
            expr.append(v if coef == 1 else f"-{v}" if coef == -1 else f"{coef} * {v}" if coef > 0 else f"-{-coef} * {v}")
        if bias[l]:
            expr.append(f"0x{bias[l]:x}L")
        body = " + ".join(expr).replace("+ -", "- ")
        carry = "" if l == 0 else " + (t >> 55)"
        w(f"        t = {body}{carry};")
        w(f"        var {out}{l} = (ulong)t{' & Mask55' if l < WL - 1 else ''};")
    w(f"        var {out} = Fp.MontgomeryReduce(new FpWide(" + ", ".join(f"{out}{l}" for l in range(WL)) + "));")
