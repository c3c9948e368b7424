#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# Writes ../Fp.Montgomery.cs: Montgomery multiplication and squaring of Fp in seven 55-bit limbs, unrolled.
# Run: python3 fp_montgomery.py > ../Fp.Montgomery.cs && python3 fp_montgomery.py wide > ../FpWide.cs
#
# Product scanning with the reduction interleaved column by column (the "FIPS" order of Koc, Acar and
# Kaliski, 1996). Every limb product x*y (x, y < 2^55, or y < 2^56 for a doubled square operand) is split
# at bit 55 without any carry handling: with s = x << 9 (below 2^64), the high word of s*y is (x*y) >> 55
# and the low word shifted right by 9 is (x*y) mod 2^55. Column sums of such halves stay below 2^61, so
# plain 64-bit additions suffice and there is no carry flag to emulate.

P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
N = 7
W = 55
MASK = (1 << W) - 1
PL = [(P >> (W * i)) & MASK for i in range(N)]
PINV = (-pow(P, -1, 1 << W)) % (1 << W)


def ab_pairs(k, square):
    """The operand pairs (x, y) whose product lands in column k: a_i*b_j with i + j = k."""
    if not square:
        return [(f"s{i}", f"b{k - i}") for i in range(N) if 0 <= k - i < N]
    pairs = [(f"s{i}", f"d{k - i}") for i in range(N) if i < k - i < N]
    if k % 2 == 0 and k // 2 < N:
        pairs.append((f"s{k // 2}", f"b{k // 2}"))
    return pairs


def m_pairs(k):
    """(i, j) with i + j = k for the reduction products m_i * p_j."""
    return [(i, k - i) for i in range(N) if 0 <= k - i < N]


def body(hi_fn, square):
    lo = lambda x, y: f"(({x} * {y}) >> 9)"
    hi = lambda x, y: f"{hi_fn}({x}, {y})"
    L = []
    L.append("ulong " + ", ".join(f"s{i} = a.L{i} << 9" for i in range(N)) + ";")
    if square:
        # Cross products a_i * a_j (i < j) are taken once against 2 * a_j.
        L.append("ulong " + ", ".join(f"d{j} = a.L{j} << 1" for j in range(1, N)) + ";")
        L.append("ulong " + ", ".join(f"b{j} = a.L{j}" for j in range(N)) + ";")
    else:
        L.append("ulong " + ", ".join(f"b{j} = b.L{j}" for j in range(N)) + ";")
    L.append("ulong cur = 0, nxt, " + ", ".join(f"m{i}" for i in range(N)) + ", " + ", ".join(f"r{i}" for i in range(N - 1)) + ";")
    for k in range(2 * N - 1):
        # cur: the column's low halves plus what came down from the previous column; nxt: high halves, due
        # to the next column. (Measured: fresh per-column sums or balanced sum trees, which shorten the
        # dependency chains on paper, made the JIT spill and ran 10-60% slower.)
        L.append(f"// Column {k}.")
        L.append("nxt = 0;")
        for x, y in ab_pairs(k, square):
            L += [f"nxt += {hi(x, y)};", f"cur += {lo(x, y)};"]
        for i, j in m_pairs(k):
            if i < k:
                L += [f"nxt += {hi(f'm{i}', f'Q{j}')};", f"cur += {lo(f'm{i}', f'Q{j}')};"]
        if k < N:
            L.append(f"m{k} = (cur * PInv55) & Mask55;")
            L += [f"nxt += {hi(f'm{k}', 'Q0')};", f"cur += {lo(f'm{k}', 'Q0')};"]
        else:
            L.append(f"r{k - N} = cur & Mask55;")
        L.append("cur = (cur >> 55) + nxt;")
    L.append("return SubtractPOnce(" + ", ".join(f"r{i}" for i in range(N - 1)) + ", cur);")
    return L


def mul_wide_body(hi_fn):
    lo = lambda x, y: f"(({x} * {y}) >> 9)"
    hi = lambda x, y: f"{hi_fn}({x}, {y})"
    L = ["ulong " + ", ".join(f"s{i} = a.L{i} << 9" for i in range(N)) + ";",
         "ulong " + ", ".join(f"b{j} = b.L{j}" for j in range(N)) + ";",
         "ulong cur = 0, nxt, " + ", ".join(f"w{k}" for k in range(2 * N - 1)) + ";"]
    for k in range(2 * N - 1):
        L.append(f"// Column {k}.")
        L.append("nxt = 0;")
        for x, y in ab_pairs(k, False):
            L += [f"nxt += {hi(x, y)};", f"cur += {lo(x, y)};"]
        L.append(f"w{k} = cur & Mask55;")
        L.append("cur = (cur >> 55) + nxt;")
    L.append("return new FpWide(" + ", ".join(f"w{k}" for k in range(2 * N - 1)) + ", cur);")
    return L


def reduce_body(hi_fn):
    lo = lambda x, y: f"(({x} * {y}) >> 9)"
    hi = lambda x, y: f"{hi_fn}({x}, {y})"
    L = ["ulong cur = 0, nxt, " + ", ".join(f"m{i}" for i in range(N)) + ", " + ", ".join(f"r{i}" for i in range(N - 1)) + ";"]
    for k in range(2 * N):
        L.append(f"// Column {k}.")
        L.append(f"cur += w.W{k};")
        L.append("nxt = 0;")
        for i, j in m_pairs(k):
            if i < k:
                L += [f"nxt += {hi(f'm{i}', f'Q{j}')};", f"cur += {lo(f'm{i}', f'Q{j}')};"]
        if k < N:
            L.append(f"m{k} = (cur * PInv55) & Mask55;")
            L += [f"nxt += {hi(f'm{k}', 'Q0')};", f"cur += {lo(f'm{k}', 'Q0')};"]
            L.append("cur = (cur >> 55) + nxt;")
        elif k < 2 * N - 1:
            L.append(f"r{k - N} = cur & Mask55;")
            L.append("cur = (cur >> 55) + nxt;")
    L.append("return SubtractPOnce(" + ", ".join(f"r{i}" for i in range(N - 1)) + ", cur);")
    return L


def wide_file():
    W2 = 2 * N
    P2 = P * P
    out = []
    w = out.append
    w("// SPDX-License-Identifier: AGPL-3.0-or-later")
    w("// <auto-generated> by Generator/fp_montgomery.py wide; do not edit by hand. </auto-generated>")
    w("using System.Diagnostics;")
    w("using System.Runtime.CompilerServices;")
    w("")
    w("namespace Chhaya.Bls.Fields;")
    w("")
    w("/// <summary>")
    w("/// An unreduced double-width product of two <see cref=\"Fp\"/> values: fourteen 55-bit limbs, little-endian,")
    w("/// for lazy reduction (several products combined, then one Montgomery reduction). Always non-negative and")
    w("/// below 2p^2 where <see cref=\"Fp.MontgomeryReduce\"/> takes it.")
    w("/// </summary>")
    w("internal readonly struct FpWide")
    w("{")
    w("    private const ulong Mask55 = Fp.Mask55;")
    w("")
    w("    // p^2 in 55-bit limbs.")
    for k in range(W2):
        w(f"    private const ulong PP{k} = 0x{(P2 >> (W * k)) & MASK:x};")
    w("")
    w("    internal readonly ulong " + ", ".join(f"W{k}" for k in range(W2)) + ";")
    w("")
    w("    internal FpWide(" + ", ".join(f"ulong w{k}" for k in range(W2)) + ")")
    w("    {")
    for k in range(W2):
        w(f"        W{k} = w{k};")
    w("        Debug.Assert((" + " | ".join(f"w{k}" for k in range(W2 - 1)) + ") <= Mask55, \"FpWide limb above 2^55\");")
    w("    }")
    w("")
    def carried(doc, signature, term):
        """A wide result whose limb k is term(k) plus the signed carry from limb k − 1, limbs carried back below 2^55."""
        w(f"    /// <summary>{doc}</summary>")
        w("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
        w(f"    public static FpWide {signature}")
        w("    {")
        w("        long t = 0;")
        for k in range(W2):
            if k < W2 - 1:
                w(f"        t = {term(k)} + (t >> 55);")
                w(f"        var d{k} = (ulong)t & Mask55;")
            else:
                w(f"        var d{k} = (ulong)({term(k)} + (t >> 55));")
        w("        return new FpWide(" + ", ".join(f"d{k}" for k in range(W2)) + ");")
        w("    }")

    carried("x − y + p^2 for products x, y of reduced operands (y &lt; p^2, so the result is positive and below 2p^2).",
            "SubAddP2(in FpWide x, in FpWide y)", lambda k: f"(long)x.W{k} - (long)y.W{k} + (long)PP{k}")
    w("")
    carried("s − x − y where the exact integer result is known to be non-negative (Karatsuba's middle term a0·b1 + a1·b0).",
            "SubSub(in FpWide s, in FpWide x, in FpWide y)", lambda k: f"(long)s.W{k} - (long)x.W{k} - (long)y.W{k}")
    w("")
    carried("x + y + z; the caller keeps the sum below p·2^385 (about 19.6p^2), e.g. three products below 2p^2 each.",
            "Add3(in FpWide x, in FpWide y, in FpWide z)", lambda k: f"(long)x.W{k} + (long)y.W{k} + (long)z.W{k}")
    w("")
    carried("x + y − z + 2p^2 for z &lt; 2p^2 (products of an operand below 2p and a reduced one), so the result is positive.",
            "AddSubAdd2P2(in FpWide x, in FpWide y, in FpWide z)", lambda k: f"(long)x.W{k} + (long)y.W{k} - (long)z.W{k} + (2 * (long)PP{k})")
    w("")
    carried("x + y; the caller keeps the sum below p·2^385 (about 19.6p^2), e.g. two products below 2p^2 each.",
            "Add2(in FpWide x, in FpWide y)", lambda k: f"(long)x.W{k} + (long)y.W{k}")
    w("")
    carried("x − y + 2p^2 for y &lt; 2p^2 (an Fp2 product's coordinate), so the result is positive and below x + 2p^2.",
            "SubAdd2P2(in FpWide x, in FpWide y)", lambda k: f"(long)x.W{k} - (long)y.W{k} + (2 * (long)PP{k})")
    w("}")
    return out


def method(name, sig, lines, doc=None):
    out = []
    if doc:
        out += doc
    out.append("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
    # The portable bodies are internal so the tests can run them on machines that have BMI2 too.
    visibility = "internal" if name.endswith("Portable") else "private"
    out.append(f"    {visibility} static Fp {name}({sig})")
    out.append("    {")
    out += ["        " + l for l in lines]
    out.append("    }")
    return out


def main():
    out = []
    w = out.append
    w("// SPDX-License-Identifier: AGPL-3.0-or-later")
    w("// <auto-generated> by Generator/fp_montgomery.py; do not edit by hand. </auto-generated>")
    w("using System.Runtime.CompilerServices;")
    w("using System.Runtime.Intrinsics.X86;")
    w("")
    w("namespace Chhaya.Bls.Fields;")
    w("")
    w("/// <summary>")
    w("/// Montgomery multiplication and squaring for <see cref=\"Fp\"/> in seven 55-bit limbs (R = 2^385), product")
    w("/// scanning with the reduction interleaved column by column, fully unrolled (generated).")
    w("/// </summary>")
    w("/// <remarks>")
    w("/// <para>Each limb product x·y is split at bit 55 with no carry handling: with s = x·2^9 (below 2^64), the")
    w("/// high word of s·y is (x·y) >> 55 and the low word shifted right by 9 is (x·y) mod 2^55, so one MULX and one")
    w("/// IMUL give both halves. Every column keeps two plain 64-bit sums (the low halves of its own products plus")
    w("/// the carry, and the high halves due to the next column), which stay below 2^61: no carry flag is ever")
    w("/// needed, which is what safe C# cannot express cheaply.</para>")
    w("/// <para>Operands may be unreduced, any value below 4p with limbs below 2^55 (<see cref=\"AddUnreduced\"/>):")
    w("/// the result before the final subtraction is below (16p^2 + p·2^385) / 2^385 &lt; 1.8p, so one masked")
    w("/// subtraction of p reduces it fully. Nothing branches on the values.</para>")
    w("/// </remarks>")
    w("internal readonly partial struct Fp")
    w("{")
    w(f"    /// <summary>-p^-1 mod 2^55, the Montgomery reduction factor.</summary>")
    w(f"    internal const ulong PInv55 = 0x{PINV:x};")
    w("")
    for j in range(N):
        w(f"    private const ulong Q{j} = 0x{PL[j] << 9:x}; // limb {j} of p, times 2^9")
    w("")
    # The four entry points are never inlined: each is a call to one compact body. Inlined into the large
    # tower methods (Fp6, Fp12, Miller loop), their unrolled bodies ran out of registers together with the
    # caller's values and spilled into frames of several kilobytes; as calls, one pairing ran about 15%
    # faster (A/B, alternating builds).
    w("    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]")
    w("    public static Fp Mul(in Fp a, in Fp b) => Bmi2.X64.IsSupported ? MulBmi2(a, b) : MulPortable(a, b);")
    w("")
    w("    /// <summary>a^2: the 21 cross products are taken once against doubled limbs, 77 limb products instead of 98.</summary>")
    w("    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]")
    w("    public static Fp Square(in Fp a) => Bmi2.X64.IsSupported ? SquareBmi2(a) : SquarePortable(a);")
    w("")
    out += method("MulBmi2", "in Fp a, in Fp b", body("Bmi2.X64.MultiplyNoFlags", False))
    w("")
    out += method("MulPortable", "in Fp a, in Fp b", body("MulHigh", False))
    w("")
    out += method("SquareBmi2", "in Fp a", body("Bmi2.X64.MultiplyNoFlags", True))
    w("")
    out += method("SquarePortable", "in Fp a", body("MulHigh", True))
    w("")
    w("    /// <summary>The exact product a·b (operands below 4p, limbs below 2^55) in fourteen 55-bit limbs, not reduced.</summary>")
    w("    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]")
    w("    internal static FpWide MulWide(in Fp a, in Fp b) => Bmi2.X64.IsSupported ? MulWideBmi2(a, b) : MulWidePortable(a, b);")
    w("")
    w("    /// <summary>w·2^-385 mod p, fully reduced, for w below p·2^385 (so the result before its one subtraction is below 2p).</summary>")
    w("    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]")
    w("    internal static Fp MontgomeryReduce(in FpWide w) => Bmi2.X64.IsSupported ? ReduceBmi2(w) : ReducePortable(w);")
    w("")
    for name, fn in (("MulWideBmi2", "Bmi2.X64.MultiplyNoFlags"), ("MulWidePortable", "MulHigh")):
        w("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
        w(f"    {'internal' if name.endswith('Portable') else 'private'} static FpWide {name}(in Fp a, in Fp b)")
        w("    {")
        out.extend("        " + l for l in mul_wide_body(fn))
        w("    }")
        w("")
    for name, fn in (("ReduceBmi2", "Bmi2.X64.MultiplyNoFlags"), ("ReducePortable", "MulHigh")):
        w("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
        w(f"    {'internal' if name.endswith('Portable') else 'private'} static Fp {name}(in FpWide w)")
        w("    {")
        out.extend("        " + l for l in reduce_body(fn))
        w("    }")
        w("")
    w("    private static ulong MulHigh(ulong x, ulong y) => Math.BigMul(x, y, out _);")
    w("}")
    print("\n".join(out))


if __name__ == "__main__":
    import sys
    if len(sys.argv) > 1 and sys.argv[1] == "wide":
        print("\n".join(wide_file()))
    else:
        main()
