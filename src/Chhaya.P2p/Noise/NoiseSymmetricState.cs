// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;

namespace Chhaya.P2p.Noise;

/// <summary>
/// Noise SymmetricState (Noise spec section 5.2) with SHA-256: chaining key ck, handshake hash h and a
/// CipherState. HKDF is the spec's HMAC construction (section 4.3), which is RFC 5869 HKDF with salt = ck and
/// empty info, written out with HMAC-SHA-256. Secrets are wiped on dispose.
/// </summary>
internal sealed class NoiseSymmetricState : IDisposable
{
    public const int HashLength = 32;

    private readonly byte[] _ck = GC.AllocateArray<byte>(HashLength, pinned: true);
    private readonly byte[] _h = new byte[HashLength];

    public NoiseSymmetricState(string protocolName)
    {
        var name = System.Text.Encoding.ASCII.GetBytes(protocolName);
        if (name.Length <= HashLength)
        {
            name.CopyTo(_h, 0);
        }
        else
        {
            SHA256.HashData(name, _h);
        }

        _h.CopyTo(_ck, 0);
    }

    public NoiseCipherState Cipher { get; } = new();

    /// <summary>The handshake hash (channel binding value).</summary>
    public ReadOnlySpan<byte> HandshakeHash => _h;

    public void MixHash(ReadOnlySpan<byte> data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(_h);
        sha.AppendData(data);
        sha.GetHashAndReset(_h);
    }

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> output = stackalloc byte[2 * HashLength];
        try
        {
            Hkdf2(_ck, inputKeyMaterial, output);
            output[..HashLength].CopyTo(_ck);
            Cipher.InitializeKey(output[HashLength..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
        }
    }

    public int EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        var n = Cipher.EncryptWithAd(_h, plaintext, output);
        MixHash(output[..n]);
        return n;
    }

    public int DecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> output)
    {
        var n = Cipher.DecryptWithAd(_h, ciphertext, output);
        MixHash(ciphertext);
        return n;
    }

    /// <summary>Split (section 5.2): the two transport CipherStates, initiator-to-responder first.</summary>
    public (NoiseCipherState First, NoiseCipherState Second) Split()
    {
        Span<byte> output = stackalloc byte[2 * HashLength];
        try
        {
            Hkdf2(_ck, ReadOnlySpan<byte>.Empty, output);
            var c1 = new NoiseCipherState();
            c1.InitializeKey(output[..HashLength]);
            var c2 = new NoiseCipherState();
            c2.InitializeKey(output[HashLength..]);
            return (c1, c2);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
        }
    }

    /// <summary>
    /// Noise HKDF with two outputs (section 4.3): temp = HMAC(ck, ikm); out1 = HMAC(temp, 0x01);
    /// out2 = HMAC(temp, out1 || 0x02). Written out because OpenSSL's HKDF refuses an empty ikm, which Split uses.
    /// </summary>
    private static void Hkdf2(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output)
    {
        Span<byte> temp = stackalloc byte[HashLength];
        Span<byte> block = stackalloc byte[HashLength + 1];
        try
        {
            HMACSHA256.HashData(chainingKey, inputKeyMaterial, temp);
            block[0] = 1;
            HMACSHA256.HashData(temp, block[..1], output[..HashLength]);
            output[..HashLength].CopyTo(block);
            block[HashLength] = 2;
            HMACSHA256.HashData(temp, block, output.Slice(HashLength, HashLength));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(temp);
            CryptographicOperations.ZeroMemory(block);
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_ck);
        Cipher.Dispose();
    }
}
