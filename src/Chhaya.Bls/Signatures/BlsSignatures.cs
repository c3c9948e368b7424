// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;
using Chhaya.Bls.HashToCurve;
using Chhaya.Bls.Msm;
using Chhaya.Bls.Pairing;

namespace Chhaya.Bls;

/// <summary>
/// Verification and aggregation for the proof-of-possession scheme of draft-irtf-cfrg-bls-signature-05
/// (ciphersuite <see cref="Ciphersuite.SignatureDst"/>). Keys and signatures arrive already validated
/// (<see cref="BlsPublicKey"/> enforces KeyValidate, <see cref="BlsSignature"/> the subgroup check),
/// so these methods only do the pairing arithmetic. Each check is a product of pairings compared with
/// 1 after a single final exponentiation.
/// </summary>
public static class BlsSignatures
{
    /// <summary>The most items one call accepts; a bound on work an untrusted list can cause.</summary>
    public const int MaxItems = 1 << 16;

    private static readonly G1Projective NegG1 = G1Projective.Neg(G1.Generator);

    /// <summary>Verify (section 2.7 / CoreVerify): e(PK, H(msg)) = e(G1, sig).</summary>
    public static bool Verify(BlsPublicKey publicKey, ReadOnlySpan<byte> message, BlsSignature signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(signature);
        var h = Hasher.HashToG2(message, Ciphersuite.SignatureDstBytes);
        return Pairings.ProductIsOne([publicKey.Point, NegG1], [h, signature.Point]);
    }

    /// <summary>Verify on encodings: false for any key or signature that does not decode and validate.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        BlsPublicKey.TryDecode(publicKey, out var pk) == PointDecodeStatus.Ok
        && BlsSignature.TryDecode(signature, out var sig) == PointDecodeStatus.Ok
        && Verify(pk!, message, sig!);

    /// <summary>Aggregate (section 2.8): the sum of the signatures.</summary>
    /// <exception cref="ArgumentException">The list is empty or longer than <see cref="MaxItems"/>.</exception>
    public static BlsSignature Aggregate(IReadOnlyList<BlsSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        CheckCount(signatures.Count, nameof(signatures));
        var acc = G2Projective.Identity;
        foreach (var s in signatures)
        {
            acc = G2Projective.Add(acc, s.Point);
        }

        return new BlsSignature(acc);
    }

    /// <summary>The sum of public keys, as FastAggregateVerify uses; null when it is the identity.</summary>
    public static BlsPublicKey? AggregatePublicKeys(IReadOnlyList<BlsPublicKey> publicKeys)
    {
        ArgumentNullException.ThrowIfNull(publicKeys);
        CheckCount(publicKeys.Count, nameof(publicKeys));
        var acc = SumKeys(publicKeys);
        return acc.IsIdentity ? null : new BlsPublicKey(acc);
    }

    /// <summary>
    /// AggregateVerify (section 2.9 / CoreAggregateVerify): ∏ e(PK_i, H(m_i)) = e(G1, sig). In the
    /// proof-of-possession scheme messages need not be distinct. Empty input is invalid. The messages are
    /// hashed and the Miller loops run on up to <see cref="Environment.ProcessorCount"/> threads (as blst
    /// does), with one final exponentiation at the end.
    /// </summary>
    /// <exception cref="ArgumentException">A key or message in the lists is null.</exception>
    public static bool AggregateVerify(IReadOnlyList<BlsPublicKey> publicKeys, IReadOnlyList<byte[]> messages, BlsSignature signature) =>
        AggregateVerify(publicKeys, messages, signature, Environment.ProcessorCount);

    /// <summary>As <see cref="AggregateVerify(IReadOnlyList{BlsPublicKey}, IReadOnlyList{byte[]}, BlsSignature)"/> on at most <paramref name="maxThreads"/> threads.</summary>
    internal static bool AggregateVerify(IReadOnlyList<BlsPublicKey> publicKeys, IReadOnlyList<byte[]> messages, BlsSignature signature, int maxThreads)
    {
        ArgumentNullException.ThrowIfNull(publicKeys);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(signature);
        var n = publicKeys.Count;
        if (n == 0 || n != messages.Count || n > MaxItems)
        {
            return false;
        }

        // Read the caller's lists once, on this thread: the workers see only these arrays.
        var keys = KeyPoints(publicKeys);
        var payloads = Messages(messages);

        // Pair n is the signature's; the others hash their message on whichever thread takes them.
        var product = ParallelMillerProduct.Compute(
            n + 1,
            i => i < n
                ? (keys[i], Hasher.HashToG2(payloads[i], Ciphersuite.SignatureDstBytes))
                : (NegG1, signature.Point),
            maxThreads);
        return FinalExponentiation.Apply(product).IsOne;
    }

    /// <summary>
    /// FastAggregateVerify (section 3.3.4): all keys signed the same message; their sum is checked
    /// like a single key. Sound only for keys whose proofs of possession were verified. Empty input is invalid.
    /// </summary>
    /// <exception cref="ArgumentException">A key in the list is null.</exception>
    public static bool FastAggregateVerify(IReadOnlyList<BlsPublicKey> publicKeys, ReadOnlySpan<byte> message, BlsSignature signature)
    {
        ArgumentNullException.ThrowIfNull(publicKeys);
        ArgumentNullException.ThrowIfNull(signature);
        if (publicKeys.Count == 0 || publicKeys.Count > MaxItems)
        {
            return false;
        }

        var aggregate = SumKeys(publicKeys);
        var h = Hasher.HashToG2(message, Ciphersuite.SignatureDstBytes);
        return Pairings.ProductIsOne([aggregate, NegG1], [h, signature.Point]);
    }

    /// <summary>PopVerify (section 3.3.3): the proof is a signature on the key's own encoding under the PoP DST.</summary>
    public static bool PopVerify(BlsPublicKey publicKey, BlsSignature proof)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(proof);
        var h = Hasher.HashToG2(publicKey.Bytes, Ciphersuite.PopDstBytes);
        return Pairings.ProductIsOne([publicKey.Point, NegG1], [h, proof.Point]);
    }

    /// <summary>
    /// Checks n independent (PK_i, m_i, sig_i) triples at once: with fresh random 64-bit coefficients
    /// c_i, ∏ e(c_i·PK_i, H(m_i)) = e(G1, Σ c_i·sig_i). A batch with any invalid triple passes with
    /// probability about 2^-64; the random coefficients stop forgeries that cancel out in a plain sum.
    /// The hashing and Miller loops run on up to <see cref="Environment.ProcessorCount"/> threads.
    /// </summary>
    /// <exception cref="ArgumentException">A key, message or signature in the lists is null.</exception>
    public static bool BatchVerify(IReadOnlyList<BlsPublicKey> publicKeys, IReadOnlyList<byte[]> messages, IReadOnlyList<BlsSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(publicKeys);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(signatures);
        var n = publicKeys.Count;
        if (n == 0 || n != messages.Count || n != signatures.Count || n > MaxItems)
        {
            return false;
        }

        var keys = KeyPoints(publicKeys);
        var payloads = Messages(messages);
        var coefficients = new ulong[n];
        RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(coefficients.AsSpan()));
        var sigs = new G2Projective[n];
        for (var i = 0; i < n; i++)
        {
            coefficients[i] |= 1; // never zero
            sigs[i] = (signatures[i] ?? throw new ArgumentException($"Signature {i} is null.", nameof(signatures))).Point;
        }

        var sigSum = Pippenger.Mul<Fp2, G2Curve>(sigs, coefficients, 1);
        var product = ParallelMillerProduct.Compute(
            n + 1,
            i => i < n
                ? (G1Projective.MulVartime(keys[i], coefficients[i]), Hasher.HashToG2(payloads[i], Ciphersuite.SignatureDstBytes))
                : (NegG1, sigSum),
            Environment.ProcessorCount);
        return FinalExponentiation.Apply(product).IsOne;
    }

    private static G1Projective SumKeys(IReadOnlyList<BlsPublicKey> publicKeys) => Jacobian.SumVartime(KeyPoints(publicKeys));

    /// <exception cref="ArgumentException">An element of the list is null.</exception>
    private static G1Projective[] KeyPoints(IReadOnlyList<BlsPublicKey> publicKeys)
    {
        var points = new G1Projective[publicKeys.Count];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = (publicKeys[i] ?? throw new ArgumentException($"Public key {i} is null.", nameof(publicKeys))).Point;
        }

        return points;
    }

    /// <exception cref="ArgumentException">An element of the list is null.</exception>
    private static byte[][] Messages(IReadOnlyList<byte[]> messages)
    {
        var copy = new byte[messages.Count][];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = messages[i] ?? throw new ArgumentException($"Message {i} is null.", nameof(messages));
        }

        return copy;
    }

    private static void CheckCount(int count, string name)
    {
        if (count == 0 || count > MaxItems)
        {
            throw new ArgumentException($"Between 1 and {MaxItems} items are needed, not {count}.", name);
        }
    }
}
