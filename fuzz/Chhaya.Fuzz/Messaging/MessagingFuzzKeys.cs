// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Identity;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Messaging;

/// <summary>
/// The fixed recipient identity the messaging fuzz targets decrypt with, so seed envelopes sealed to it reach the
/// certificate and padding checks behind both AEAD layers. Seed: 32 bytes 0x42.
/// </summary>
public static class MessagingFuzzKeys
{
    public static IdentityKeyPair Recipient { get; } = Create();

    private static IdentityKeyPair Create()
    {
        using var seed = SecretBytes.CopyFrom(Enumerable.Repeat((byte)0x42, 32).ToArray());
        return IdentityKeyPair.FromSeed(seed);
    }
}
