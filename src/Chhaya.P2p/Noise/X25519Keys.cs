// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Chhaya.P2p.Noise;

/// <summary>
/// An X25519 key pair for Noise (RFC 7748 via BouncyCastle; .NET has no X25519). The private scalar is kept in a
/// pinned array that <see cref="Dispose"/> wipes.
/// </summary>
internal sealed class X25519Keys : IDisposable
{
    public const int Size = 32;

    private readonly byte[] _private = GC.AllocateArray<byte>(Size, pinned: true);

    private X25519Keys(ReadOnlySpan<byte> privateKey)
    {
        privateKey.CopyTo(_private);
        X25519.ScalarMultBase(_private, 0, PublicKey, 0);
    }

    public byte[] PublicKey { get; } = new byte[Size];

    public static X25519Keys Generate()
    {
        Span<byte> k = stackalloc byte[Size];
        RandomNumberGenerator.Fill(k);
        try
        {
            return new X25519Keys(k);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k);
        }
    }

    public static X25519Keys FromPrivate(ReadOnlySpan<byte> privateKey)
    {
        Guard.ExactLength(privateKey.Length, Size, nameof(privateKey));
        return new X25519Keys(privateKey);
    }

    /// <summary>DH(this, remote) into <paramref name="shared"/>.</summary>
    /// <exception cref="MalformedInputException">The remote key is a low-order point (all-zero shared secret).</exception>
    public void Agree(ReadOnlySpan<byte> remotePublic, Span<byte> shared)
    {
        Guard.ExactLength(remotePublic.Length, Size, nameof(remotePublic));
        var remote = remotePublic.ToArray();
        var output = GC.AllocateArray<byte>(Size, pinned: true);
        try
        {
            if (!X25519.CalculateAgreement(_private, 0, remote, 0, output, 0))
            {
                throw new MalformedInputException("peer sent a low-order X25519 public key");
            }

            output.CopyTo(shared);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_private);
}
