// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.P2p.Hosting;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;

namespace Chhaya.Witness.Protocol;

/// <summary>
/// Fetches a directory's heads and append-only proofs from a peer over <c>/chhaya/vkd/audit/1.0.0</c>.
/// Whatever the peer answers is untrusted: the witness verifies every head and proof it gets.
/// </summary>
public sealed class Libp2pDirectorySource(Libp2pHost host, Libp2pConnection connection, Digest directoryId, int maxResponseLength = DirectoryProtocol.DefaultMaxResponseLength, TimeSpan? timeout = null) : IDirectorySource
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(30);

    public async Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken)
    {
        var (status, payload) = await RequestAsync(new DirectoryRequest(DirectoryRequestKind.Head, directoryId, epoch, 0), cancellationToken).ConfigureAwait(false);
        return status switch
        {
            DirectoryResponseStatus.Ok => SignedEpochHead.Decode(payload),
            DirectoryResponseStatus.NotFound => null,
            _ => throw new InvalidOperationException($"The peer refused the request for the head of epoch {epoch}: {status}: {Reason(payload)}"),
        };
    }

    public async Task<byte[]> GetAppendOnlyProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken)
    {
        var (status, payload) = await RequestAsync(new DirectoryRequest(DirectoryRequestKind.AppendOnlyProof, directoryId, fromEpoch, toEpoch), cancellationToken).ConfigureAwait(false);
        return status == DirectoryResponseStatus.Ok
            ? payload
            : throw new InvalidOperationException($"The peer refused the append-only proof from epoch {fromEpoch} to {toEpoch}: {status}: {Reason(payload)}");
    }

    private async Task<(DirectoryResponseStatus Status, byte[] Payload)> RequestAsync(DirectoryRequest request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            var stream = await host.OpenStreamAsync(connection, [DirectoryProtocol.ProtocolId], deadline.Token).ConfigureAwait(false);
            await using var disposeStream = stream.ConfigureAwait(false);
            await DirectoryProtocol.WriteMessageAsync(stream.Stream, DirectoryProtocol.EncodeRequest(request), deadline.Token).ConfigureAwait(false);
            await stream.Stream.CloseWriteAsync(deadline.Token).ConfigureAwait(false);
            var response = await DirectoryProtocol.ReadMessageAsync(stream.Stream, maxResponseLength, deadline.Token).ConfigureAwait(false);
            if (response.Length == 0 || !Enum.IsDefined((DirectoryResponseStatus)response[0]))
            {
                throw new MalformedInputException("The peer's directory response has no valid status.");
            }

            return ((DirectoryResponseStatus)response[0], response[1..]);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The peer did not answer the directory request within {_timeout.TotalSeconds:0} s.");
        }
    }

    private static string Reason(byte[] payload) => Encoding.UTF8.GetString(payload.AsSpan(0, Math.Min(payload.Length, 512)));
}
