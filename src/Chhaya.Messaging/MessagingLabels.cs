// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;

namespace Chhaya.Messaging;

/// <summary>
/// Every domain-separation label the messaging layer uses, in one place, so no signature, KDF output or
/// ciphertext made for one purpose can be accepted for another. docs/messaging.md lists them with their use.
/// </summary>
public static class MessagingLabels
{
    private const string Prefix = DomainTags.Prefix + "msg/";

    /// <summary>Prefix of the signed statement over a prekey (X25519 or ML-KEM), see <c>PrekeySignatures</c>.</summary>
    public const string PrekeySignature = Prefix + "prekey-signature";

    /// <summary>PQXDH's KDF info string (Signal's spec asks for an ASCII string naming the application, curve, hash and KEM).</summary>
    public const string PqxdhInfo = "Chhaya_PQXDH_CURVE25519_SHA-256_ML-KEM-1024_v1";

    /// <summary>Double Ratchet KDF_RK info.</summary>
    public const string RatchetRoot = Prefix + "ratchet/root";

    /// <summary>Sealed sender, first layer (ephemeral to the recipient's identity).</summary>
    public const string SealedEphemeral = Prefix + "sealed/ephemeral";

    /// <summary>Sealed sender, second layer (sender's identity to the recipient's identity).</summary>
    public const string SealedStatic = Prefix + "sealed/static";

    /// <summary>The sender certificate's signed statement.</summary>
    public const string SenderCertificate = Prefix + "sender-certificate";

    /// <summary>Per-snapshot key for ratchet state at rest.</summary>
    public const string StateAtRest = Prefix + "ratchet-state-at-rest";

    /// <summary>Recipient tag on the envelope (hash of the recipient's identity key).</summary>
    public const string RecipientTag = Prefix + "recipient";

    /// <summary>Session id from the PQXDH transcript.</summary>
    public const string SessionId = Prefix + "session-id";
}
