// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Chhaya.P2p.Identity;

/// <summary>
/// A node's libp2p identity: an Ed25519 key pair whose 32-byte seed lives in <see cref="SecretBytes"/> and is
/// wiped on dispose. The peer id is derived from the public key.
/// </summary>
public sealed class Ed25519Identity : IDisposable
{
    private readonly SecretBytes _seed;
    private readonly byte[] _seedArray;

    private Ed25519Identity(SecretBytes seed)
    {
        _seed = seed;

        // BouncyCastle's Ed25519 takes arrays: keep one pinned copy and wipe it with the seed.
        _seedArray = GC.AllocateArray<byte>(32, pinned: true);
        seed.ReadOnlySpan.CopyTo(_seedArray);
        var pub = new byte[32];
        Ed25519.GeneratePublicKey(_seedArray, 0, pub, 0);
        PublicKey = PublicKey.FromEd25519(pub);
        PeerId = PeerId.FromPublicKey(PublicKey);
    }

    public PublicKey PublicKey { get; }

    public PeerId PeerId { get; }

    /// <summary>A fresh random identity.</summary>
    public static Ed25519Identity Generate() => new(SecretBytes.Random(32));

    /// <summary>An identity from a 32-byte seed; the caller keeps ownership of <paramref name="seed"/>.</summary>
    public static Ed25519Identity FromSeed(ReadOnlySpan<byte> seed)
    {
        Guard.ExactLength(seed.Length, 32, nameof(seed));
        return new Ed25519Identity(SecretBytes.CopyFrom(seed));
    }

    /// <summary>Signs <paramref name="message"/> (pure Ed25519, RFC 8032).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_seed.IsDisposed, this);
        var sig = new byte[Ed25519.SignatureSize];
        var m = message.ToArray();
        Ed25519.Sign(_seedArray, 0, m, 0, m.Length, sig, 0);
        return sig;
    }

    public override string ToString() => $"Ed25519Identity({PeerId})";

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_seedArray);
        _seed.Dispose();
    }
}
