// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using CryptoEd25519 = Chhaya.Crypto.Ed25519;

namespace Chhaya.P2p.Identity;

/// <summary>
/// A node's libp2p identity: an Ed25519 key pair (Chhaya.Crypto, RFC 8032) whose 32-byte seed lives in
/// <see cref="SecretBytes"/> and is wiped on dispose. The peer id is derived from the public key.
/// </summary>
public sealed class Ed25519Identity : IDisposable
{
    private readonly SecretBytes _seed;
    private readonly byte[] _publicKey;

    private Ed25519Identity(SecretBytes seed)
    {
        _seed = seed;
        _publicKey = CryptoEd25519.PublicKey(seed);
        PublicKey = PublicKey.FromEd25519(_publicKey);
        PeerId = PeerId.FromPublicKey(PublicKey);
    }

    public PublicKey PublicKey { get; }

    public PeerId PeerId { get; }

    /// <summary>A fresh random identity.</summary>
    public static Ed25519Identity Generate() => new(CryptoEd25519.GenerateSeed());

    /// <summary>An identity from a 32-byte seed; the caller keeps ownership of <paramref name="seed"/>.</summary>
    public static Ed25519Identity FromSeed(ReadOnlySpan<byte> seed)
    {
        Guard.ExactLength(seed.Length, CryptoEd25519.SeedLength, nameof(seed));
        return new Ed25519Identity(SecretBytes.CopyFrom(seed));
    }

    /// <summary>Signs <paramref name="message"/> (pure Ed25519, RFC 8032).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_seed.IsDisposed, this);
        var sig = new byte[CryptoEd25519.SignatureLength];
        CryptoEd25519.Sign(_seed, _publicKey, message, sig);
        return sig;
    }

    public override string ToString() => $"Ed25519Identity({PeerId})";

    public void Dispose() => _seed.Dispose();
}
