// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.P2p.Hosting;
using Chhaya.Safety;
using Chhaya.Vkd.Core;

namespace Chhaya.Witness.Protocol;

/// <summary>The outcome of one lookup request: the answer when the status is OK, a reason otherwise.</summary>
public sealed record LookupResult(LookupResponseStatus Status, LookupAnswer? Answer, string Reason);

/// <summary>
/// Asks a peer for a label's lookup proof over <c>/chhaya/vkd/lookup/1.0.0</c>. The response size is bounded
/// before anything is allocated; whatever the peer answers is untrusted and must go through the verifier.
/// </summary>
public sealed class Libp2pLookupClient(Libp2pHost host, Libp2pConnection connection, TimeSpan? timeout = null)
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(30);

    /// <exception cref="MalformedInputException">The peer's response does not decode.</exception>
    /// <exception cref="TimeoutException">The peer did not answer in time.</exception>
    public async Task<LookupResult> LookupAsync(Digest directoryId, ReadOnlyMemory<byte> label, CancellationToken cancellationToken)
    {
        var request = LookupProtocol.EncodeRequest(new LookupRequest(directoryId, label));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            var stream = await host.OpenStreamAsync(connection, [LookupProtocol.ProtocolId], deadline.Token).ConfigureAwait(false);
            await using var disposeStream = stream.ConfigureAwait(false);
            await DirectoryProtocol.WriteMessageAsync(stream.Stream, request, deadline.Token).ConfigureAwait(false);
            await stream.Stream.CloseWriteAsync(deadline.Token).ConfigureAwait(false);
            var response = await DirectoryProtocol.ReadMessageAsync(stream.Stream, LookupProtocol.MaxResponseLength, deadline.Token).ConfigureAwait(false);
            if (response.Length == 0 || !Enum.IsDefined((LookupResponseStatus)response[0]))
            {
                throw new MalformedInputException("The peer's lookup response has no valid status.");
            }

            var status = (LookupResponseStatus)response[0];
            return status == LookupResponseStatus.Ok
                ? new LookupResult(status, LookupProtocol.DecodeAnswer(response.AsSpan(1)), string.Empty)
                : new LookupResult(status, null, Encoding.UTF8.GetString(response.AsSpan(1, Math.Min(response.Length - 1, 512))));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The peer did not answer the lookup request within {_timeout.TotalSeconds:0} s.");
        }
    }
}
