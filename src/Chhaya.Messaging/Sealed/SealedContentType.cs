// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Sealed;

/// <summary>What an opened envelope holds (encrypted, so the wire never shows it).</summary>
public enum SealedContentType : byte
{
    /// <summary>A session payload: a PQXDH initial message or a ratchet message.</summary>
    Message = 1,

    /// <summary>Cover traffic: random bytes, dropped by the recipient after decryption.</summary>
    Cover = 2,
}

/// <summary>An opened envelope: the verified sender certificate, the content type and the payload.</summary>
public sealed record OpenedEnvelope(SenderCertificate Sender, SealedContentType Type, byte[] Payload);
