// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Mdns;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Mdns;

/// <summary>
/// The DNS message decoder behind mDNS, then the libp2p reading of it. Only <see cref="MalformedInputException"/>
/// may escape the decoder. An accepted message must re-encode (uncompressed) and decode to the same encoding,
/// unless the uncompressed form is over the size limit, which <see cref="DnsMessage.Encode"/> reports.
/// </summary>
public sealed class DnsMessageFuzzer : IFuzzer
{
    public string Name => "mdns-dns-message";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        DnsMessage message;
        try
        {
            message = DnsMessage.Decode(input);
        }
        catch (MalformedInputException)
        {
            return;
        }

        _ = MdnsMessages.IsQueryFor(message, MdnsMessages.DefaultServiceName);
        _ = MdnsMessages.ReadPeers(message, MdnsMessages.DefaultServiceName);
        byte[] encoded;
        try
        {
            encoded = message.Encode();
        }
        catch (ArgumentException e) when (e.Message.StartsWith("DNS message would be", StringComparison.Ordinal))
        {
            return;
        }

        if (!DnsMessage.Decode(encoded).Encode().AsSpan().SequenceEqual(encoded))
        {
            throw new InvalidOperationException("DNS message does not round-trip");
        }
    }
}
