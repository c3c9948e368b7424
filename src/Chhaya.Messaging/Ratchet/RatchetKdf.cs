// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Messaging.Ratchet;

/// <summary>The Double Ratchet's two KDFs, as the spec's §5.2 recommends them.</summary>
internal static class RatchetKdf
{
    private static ReadOnlySpan<byte> MessageKeyConstant => [0x01];

    private static ReadOnlySpan<byte> ChainKeyConstant => [0x02];

    /// <summary>
    /// KDF_RK(rk, dh_out): HKDF-SHA-256 with salt = rk, IKM = dh_out, info = "chhaya/v1/msg/ratchet/root" ‖ 0x00,
    /// 64 bytes out: the new root key, then the new chain key.
    /// </summary>
    public static (SecretBytes RootKey, SecretBytes ChainKey) Root(SecretBytes rootKey, SecretBytes dhOutput)
    {
        Span<byte> okm = stackalloc byte[64];
        try
        {
            Kdf.DeriveLabeled(dhOutput.ReadOnlySpan, rootKey.ReadOnlySpan, MessagingLabels.RatchetRoot, default, okm);
            return (SecretBytes.CopyFrom(okm[..32]), SecretBytes.CopyFrom(okm[32..]));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    /// <summary>
    /// KDF_CK(ck): message key = HMAC-SHA-256(ck, 0x01), next chain key = HMAC-SHA-256(ck, 0x02). Advances
    /// <paramref name="chainKey"/> in place and writes the message key.
    /// </summary>
    public static void Chain(SecretBytes chainKey, Span<byte> messageKey)
    {
        Span<byte> next = stackalloc byte[32];
        try
        {
            Hashing.HmacSha256(chainKey.ReadOnlySpan, MessageKeyConstant, messageKey);
            Hashing.HmacSha256(chainKey.ReadOnlySpan, ChainKeyConstant, next);
            next.CopyTo(chainKey.Span);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(next);
        }
    }

    /// <summary>X25519 for a ratchet step; a low-order peer key is a refused message, not a crash.</summary>
    public static SecretBytes Dh(SecretBytes privateKey, ReadOnlySpan<byte> peer)
    {
        var output = SecretBytes.Allocate(32);
        if (!X25519.TryAgree(privateKey, peer, output.Span))
        {
            output.Dispose();
            throw new RatchetException("The ratchet public key in the header has low order.");
        }

        return output;
    }
}
