// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Chhaya.Crypto.MlKem;

/// <summary>
/// K-PKE for ML-KEM-1024 (k = 4, η1 = η2 = 2, d_u = 11, d_v = 5): KeyGen, Encrypt and Decrypt, FIPS 203
/// Algorithms 13–15. Vectors of k polynomials are laid out as 4 × 256 <see cref="short"/>s; the matrix Â is never
/// stored whole, each row is sampled (four SHAKE128 instances at once) when it is multiplied in. All scratch that depends on a secret is wiped.
/// </summary>
internal static class KPke
{
    public const int K = 4;
    public const int PolyBytes = 384;
    public const int VectorBytes = K * PolyBytes; // 1536: ByteEncode_12 of a vector
    public const int EncryptionKeyLength = VectorBytes + 32; // 1568
    public const int CompressedUBytes = K * 352; // ByteEncode_11 of u, 1408
    public const int CompressedVBytes = 160; // ByteEncode_5 of v
    public const int CiphertextLength = CompressedUBytes + CompressedVBytes; // 1568
    private const int N = PolyArithmetic.N;

    // The column indices 0..k−1 of one matrix row, sampled four at a time.
    private static ReadOnlySpan<byte> ColumnIndices => [0, 1, 2, 3];

    /// <summary>Algorithm 13 with d the 32-byte seed: writes ek_PKE (1568 bytes) and dk_PKE (1536 bytes).</summary>
    public static void KeyGen(ReadOnlySpan<byte> d, Span<byte> encryptionKey, Span<byte> decryptionKey)
    {
        Span<byte> rhoSigma = stackalloc byte[64];
        Span<short> s = stackalloc short[K * N];
        Span<short> e = stackalloc short[K * N];
        Span<short> t = stackalloc short[K * N];
        Span<short> row = stackalloc short[K * N];
        try
        {
            // (ρ, σ) = G(d ‖ k): the parameter byte k separates the parameter sets (FIPS 203 final, §5.1).
            ReadOnlySpan<byte> kByte = [K];
            KeccakSponge.Sha3_512(d[..32], kByte, rhoSigma);
            var rho = rhoSigma[..32];
            var sigma = rhoSigma[32..];

            Sampling.SampleCbd2x4(sigma, 0, s);
            Sampling.SampleCbd2x4(sigma, K, e);

            for (var i = 0; i < K; i++)
            {
                PolyArithmetic.Ntt(s.Slice(i * N, N));
                PolyArithmetic.Ntt(e.Slice(i * N, N));
            }

            // t̂ = Â ∘ ŝ + ê with Â[i, j] = SampleNTT(ρ ‖ j ‖ i).
            for (var i = 0; i < K; i++)
            {
                var ti = t.Slice(i * N, N);
                ReadOnlySpan<byte> rowIndex = [(byte)i, (byte)i, (byte)i, (byte)i];
                Sampling.SampleNtt4(rho, ColumnIndices, rowIndex, row);
                for (var j = 0; j < K; j++)
                {
                    PolyArithmetic.MultiplyAccumulate(ti, row.Slice(j * N, N), s.Slice(j * N, N), overwrite: j == 0);
                }

                PolyArithmetic.ToMontgomery(ti);
                PolyArithmetic.Add(ti, e.Slice(i * N, N));
                PolyArithmetic.Reduce(ti);
                PolyEncoding.Encode12(ti, encryptionKey.Slice(i * PolyBytes, PolyBytes));
                PolyEncoding.Encode12(s.Slice(i * N, N), decryptionKey.Slice(i * PolyBytes, PolyBytes));
            }

            rho.CopyTo(encryptionKey[VectorBytes..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rhoSigma);
            Wipe(s);
            Wipe(e);
            Wipe(t);
        }
    }

    /// <summary>
    /// Algorithm 14: encrypts the 32-byte <paramref name="message"/> under <paramref name="encryptionKey"/> with
    /// the 32-byte randomness <paramref name="r"/>. The key's t̂ is decoded mod q (the caller has run the §7.2
    /// modulus check where FIPS 203 asks for it).
    /// </summary>
    public static void Encrypt(ReadOnlySpan<byte> encryptionKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> r, Span<byte> ciphertext)
    {
        Span<short> y = stackalloc short[K * N];
        Span<short> e1 = stackalloc short[K * N];
        Span<short> row = stackalloc short[K * N];
        Span<short> u = stackalloc short[K * N];
        Span<short> v = stackalloc short[N];
        Span<short> scratch = stackalloc short[N];
        try
        {
            var rho = encryptionKey.Slice(VectorBytes, 32);
            Sampling.SampleCbd2x4(r, 0, y);
            Sampling.SampleCbd2x4(r, K, e1);
            for (var i = 0; i < K; i++)
            {
                PolyArithmetic.Ntt(y.Slice(i * N, N));
            }

            // u = NTT^-1(Â^T ∘ ŷ) + e1, with Â^T[i, j] = Â[j, i] = SampleNTT(ρ ‖ i ‖ j).
            for (var i = 0; i < K; i++)
            {
                var ui = u.Slice(i * N, N);
                ReadOnlySpan<byte> rowIndex = [(byte)i, (byte)i, (byte)i, (byte)i];
                Sampling.SampleNtt4(rho, rowIndex, ColumnIndices, row);
                for (var j = 0; j < K; j++)
                {
                    PolyArithmetic.MultiplyAccumulate(ui, row.Slice(j * N, N), y.Slice(j * N, N), overwrite: j == 0);
                }

                PolyArithmetic.Reduce(ui);
                PolyArithmetic.InverseNtt(ui);
                PolyArithmetic.Add(ui, e1.Slice(i * N, N));
                PolyArithmetic.Reduce(ui);
                PolyEncoding.CompressEncode11(ui, ciphertext.Slice(i * 352, 352));
            }

            // v = NTT^-1(t̂^T ∘ ŷ) + e2 + Decompress_1(m).
            for (var j = 0; j < K; j++)
            {
                PolyEncoding.Decode12Reduced(encryptionKey.Slice(j * PolyBytes, PolyBytes), scratch);
                PolyArithmetic.MultiplyAccumulate(v, scratch, y.Slice(j * N, N), overwrite: j == 0);
            }

            PolyArithmetic.Reduce(v);
            PolyArithmetic.InverseNtt(v);
            Sampling.SampleCbd2(r, 2 * K, scratch);
            PolyArithmetic.Add(v, scratch);
            PolyEncoding.DecodeDecompress1(message, scratch);
            PolyArithmetic.Add(v, scratch);
            PolyArithmetic.Reduce(v);
            PolyEncoding.CompressEncode5(v, ciphertext.Slice(CompressedUBytes, CompressedVBytes));
        }
        finally
        {
            Wipe(y);
            Wipe(e1);
            Wipe(u);
            Wipe(v);
            Wipe(scratch);
        }
    }

    /// <summary>Algorithm 15: the 32-byte message of <paramref name="ciphertext"/> under dk_PKE (decoded mod q).</summary>
    public static void Decrypt(ReadOnlySpan<byte> decryptionKey, ReadOnlySpan<byte> ciphertext, Span<byte> message)
    {
        Span<short> u = stackalloc short[N];
        Span<short> s = stackalloc short[N];
        Span<short> w = stackalloc short[N];
        Span<short> v = stackalloc short[N];
        try
        {
            // w = v' − NTT^-1(ŝ^T ∘ NTT(u')).
            for (var i = 0; i < K; i++)
            {
                PolyEncoding.DecodeDecompress11(ciphertext.Slice(i * 352, 352), u);
                PolyArithmetic.Ntt(u);
                PolyEncoding.Decode12Reduced(decryptionKey.Slice(i * PolyBytes, PolyBytes), s);
                PolyArithmetic.MultiplyAccumulate(w, s, u, overwrite: i == 0);
            }

            PolyArithmetic.Reduce(w);
            PolyArithmetic.InverseNtt(w);
            PolyEncoding.DecodeDecompress5(ciphertext.Slice(CompressedUBytes, CompressedVBytes), v);
            PolyArithmetic.SubtractFrom(w, v);
            PolyArithmetic.Reduce(w);
            PolyEncoding.CompressEncode1(w, message);
        }
        finally
        {
            Wipe(u);
            Wipe(s);
            Wipe(w);
            Wipe(v);
        }
    }

    private static void Wipe(Span<short> values) => CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(values));
}
