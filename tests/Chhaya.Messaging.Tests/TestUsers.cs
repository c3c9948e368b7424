// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;

namespace Chhaya.Messaging.Tests;

/// <summary>Two users with real keys and a session between them, built through PQXDH.</summary>
internal static class TestUsers
{
    public static PrekeyStore NewStore(int oneTime = 4, TimeProvider? time = null) =>
        new(IdentityKeyPair.Generate(), new PrekeyStoreOptions { ReplenishThreshold = 1, TargetOneTimePrekeys = oneTime, MaxOneTimePrekeys = 64 }, time);

    /// <summary>Alice starts a session with Bob's bundle and Bob accepts her first message.</summary>
    public static (RatchetSession Alice, RatchetSession Bob) Pair(
        IdentityKeyPair alice, PrekeyStore bob, bool useOneTime = true, RatchetOptions? options = null, TimeProvider? time = null)
    {
        var bundle = bob.PublishBundle(useOneTime ? PrekeyBundle.MaxOneTimePrekeys : 0);
        var (keys, template, remoteRatchet) = Pqxdh.Initiate(alice, bob.Identity.PublicKey, bundle);
        using (keys)
        {
            var aliceSession = RatchetSession.InitializeInitiator(keys, template, remoteRatchet, options, time);
            var first = aliceSession.Encrypt("hello"u8);
            var message = template with { RatchetMessage = first };
            var (bobKeys, spk, spkPublic) = Pqxdh.Respond(bob, PrekeyMessage.Decode(message.Encode()));
            using (bobKeys)
            {
                var bobSession = RatchetSession.InitializeResponder(bobKeys, spk, spkPublic, options, time);
                Assert.Equal("hello"u8.ToArray(), bobSession.Decrypt(message.RatchetMessage));
                Assert.True(bob.TryConsumeOneTime(message.OneTimeEcPrekeyId, message.KemPrekeyKind == PrekeyKind.OneTimeKem ? message.KemPrekeyId : null));
                return (aliceSession, bobSession);
            }
        }
    }
}
