// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Messaging.Storage;
using Chhaya.Safety;

namespace Chhaya.Messaging.Tests;

public sealed class RatchetStateProtectorTests
{
    [Fact]
    public void A_sealed_state_is_bound_to_its_session_and_version_and_every_tampered_byte_is_refused()
    {
        using var storageKey = SecretBytes.Random(32);
        using var protector = new RatchetStateProtector(storageKey);
        var state = RandomNumberGenerator.GetBytes(200);
        var sealedState = protector.Protect("session-a", 3, state);
        using (var opened = protector.Unprotect("session-a", 3, sealedState))
        {
            Assert.True(opened.FixedTimeEquals(state));
        }

        Assert.Throws<CryptographicException>(() => protector.Unprotect("session-b", 3, sealedState));
        Assert.Throws<CryptographicException>(() => protector.Unprotect("session-a", 2, sealedState));
        for (var i = 1; i < sealedState.Length; i += 7)
        {
            var tampered = (byte[])sealedState.Clone();
            tampered[i] ^= 1;
            Assert.Throws<CryptographicException>(() => protector.Unprotect("session-a", 3, tampered));
        }

        Assert.NotEqual(sealedState, protector.Protect("session-a", 3, state)); // fresh salt every time
        Assert.Throws<MalformedInputException>(() => protector.Unprotect("session-a", 3, sealedState.AsSpan(0, 40)));
    }
}
