// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Prekeys;

/// <summary>What a published prekey is; part of its signed statement, so a key signed as one kind cannot pose as another.</summary>
public enum PrekeyKind : byte
{
    /// <summary>The medium-term signed X25519 prekey (SPK), rotated periodically.</summary>
    SignedEc = 1,

    /// <summary>A one-time X25519 prekey (OPK), used by at most one handshake.</summary>
    OneTimeEc = 2,

    /// <summary>The ML-KEM-1024 last-resort prekey, used when no one-time KEM prekey is left.</summary>
    LastResortKem = 3,

    /// <summary>A one-time ML-KEM-1024 prekey, used by at most one handshake.</summary>
    OneTimeKem = 4,
}

/// <summary>Key lengths per kind.</summary>
public static class PrekeyKinds
{
    /// <summary>The public key length a prekey of <paramref name="kind"/> must have.</summary>
    public static int PublicKeyLength(PrekeyKind kind) => kind switch
    {
        PrekeyKind.SignedEc or PrekeyKind.OneTimeEc => Chhaya.Crypto.X25519.KeyLength,
        PrekeyKind.LastResortKem or PrekeyKind.OneTimeKem => Chhaya.Crypto.MlKem1024.EncapsulationKeyLength,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prekey kind."),
    };

    /// <summary>Whether <paramref name="kind"/> is an ML-KEM prekey.</summary>
    public static bool IsKem(PrekeyKind kind) => kind is PrekeyKind.LastResortKem or PrekeyKind.OneTimeKem;
}
