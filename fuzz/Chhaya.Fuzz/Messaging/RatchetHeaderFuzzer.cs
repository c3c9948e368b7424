// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Messaging;

/// <summary>
/// Ratchet messages (version, header, ciphertext) fed to a live session's decrypt, after the header decoder. Allowed
/// refusals: <see cref="MalformedInputException"/> and <see cref="RatchetException"/>; a refused input must leave
/// the session able to read the next genuine message.
/// </summary>
public sealed class RatchetHeaderFuzzer : IFuzzer
{
    private static readonly Lazy<(RatchetSession Sender, RatchetSession Receiver)> Sessions = new(CreateSessions);

    public string Name => "messaging-ratchet-header";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        if (input.Length >= RatchetHeader.Length)
        {
            var header = RatchetHeader.Decode(input[..RatchetHeader.Length]);
            Span<byte> again = stackalloc byte[RatchetHeader.Length];
            header.WriteTo(again);
            if (!again.SequenceEqual(input[..RatchetHeader.Length]))
            {
                throw new InvalidOperationException("The header does not round-trip.");
            }
        }

        var (sender, receiver) = Sessions.Value;
        lock (receiver)
        {
            try
            {
                receiver.Decrypt(input);
            }
            catch (MalformedInputException)
            {
            }
            catch (RatchetException)
            {
            }

            var probe = sender.Encrypt([1, 2, 3]);
            if (!receiver.Decrypt(probe).AsSpan().SequenceEqual(new byte[] { 1, 2, 3 }))
            {
                throw new InvalidOperationException("A refused input disturbed the session.");
            }
        }
    }

    private static (RatchetSession, RatchetSession) CreateSessions()
    {
        var alice = IdentityKeyPair.Generate();
        var bob = new PrekeyStore(IdentityKeyPair.Generate());
        var (keys, template, remote) = Pqxdh.Initiate(alice, bob.Identity.PublicKey, bob.PublishBundle(0));
        var sender = RatchetSession.InitializeInitiator(keys, template, remote);
        var (bobKeys, spk, spkPublic) = Pqxdh.Respond(bob, template);
        var receiver = RatchetSession.InitializeResponder(bobKeys, spk, spkPublic);
        receiver.Decrypt(sender.Encrypt([0]));
        return (sender, receiver);
    }
}
