// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using CryptoX25519 = Chhaya.Crypto.X25519;

namespace Chhaya.P2p.Noise;

/// <summary>
/// An X25519 key pair for Noise, on Chhaya.Crypto's RFC 7748 implementation. The private key lives in
/// <see cref="SecretBytes"/> and is wiped by <see cref="Dispose"/>.
/// </summary>
internal sealed class X25519Keys : IDisposable
{
    public const int Size = CryptoX25519.KeyLength;

    private readonly SecretBytes _private;

    private X25519Keys(SecretBytes privateKey)
    {
        _private = privateKey;
        PublicKey = CryptoX25519.PublicKey(privateKey);
    }

    public byte[] PublicKey { get; }

    public static X25519Keys Generate() => new(CryptoX25519.GeneratePrivateKey());

    public static X25519Keys FromPrivate(ReadOnlySpan<byte> privateKey)
    {
        Guard.ExactLength(privateKey.Length, Size, nameof(privateKey));
        return new X25519Keys(SecretBytes.CopyFrom(privateKey));
    }

    /// <summary>DH(this, remote) into <paramref name="shared"/>.</summary>
    /// <exception cref="MalformedInputException">The remote key is a low-order point (all-zero shared secret).</exception>
    public void Agree(ReadOnlySpan<byte> remotePublic, Span<byte> shared)
    {
        if (!CryptoX25519.TryAgree(_private, remotePublic, shared))
        {
            throw new MalformedInputException("peer sent a low-order or malformed X25519 public key");
        }
    }

    public void Dispose() => _private.Dispose();
}
