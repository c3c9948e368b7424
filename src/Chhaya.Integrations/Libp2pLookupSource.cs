// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Hosting;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Witness.Protocol;

namespace Chhaya.Integrations;

/// <summary>Fetches lookups from a directory peer over <c>/chhaya/vkd/lookup/1.0.0</c>.</summary>
public sealed class Libp2pLookupSource(Libp2pHost host, Libp2pConnection connection, Digest directoryId, TimeSpan? timeout = null) : ILookupSource
{
    private readonly Libp2pLookupClient _client = new(host, connection, timeout);

    public async Task<LookupAnswer?> FetchAsync(ReadOnlyMemory<byte> label, CancellationToken cancellationToken)
    {
        LookupResult result;
        try
        {
            result = await _client.LookupAsync(directoryId, label, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MalformedInputException or TimeoutException or IOException or EndOfStreamException)
        {
            throw new LookupUnavailableException($"The lookup over libp2p failed: {e.Message}", e);
        }

        return result.Status switch
        {
            LookupResponseStatus.Ok => result.Answer,
            LookupResponseStatus.NotFound => null,
            _ => throw new LookupUnavailableException($"The directory peer refused the lookup: {result.Status}: {result.Reason}"),
        };
    }
}
