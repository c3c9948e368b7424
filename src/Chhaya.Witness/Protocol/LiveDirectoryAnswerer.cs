// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Wire;

namespace Chhaya.Witness.Protocol;

/// <summary>Answers from a directory this node runs: any head it published, any proof span up to <see cref="DirectoryProtocol.MaxProofSpan"/>.</summary>
internal sealed class LiveDirectoryAnswerer(VkdDirectory directory) : IDirectoryAnswerer, IDirectorySource
{
    public bool IsLive => true;

    public async Task<byte[]> AnswerHeadAsync(ulong epoch, CancellationToken cancellationToken)
    {
        var latest = directory.LatestHead.Head.Epoch;
        var head = epoch <= latest ? await directory.GetHeadAsync(epoch, cancellationToken).ConfigureAwait(false) : null;
        return head is null
            ? DirectoryProtocol.Response(DirectoryResponseStatus.NotFound, $"no epoch {epoch}; the latest is {latest}")
            : DirectoryProtocol.Response(DirectoryResponseStatus.Ok, head.Encode());
    }

    public Task<byte[]> AnswerProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken)
    {
        var latest = directory.LatestHead.Head.Epoch;
        if (fromEpoch >= toEpoch || toEpoch > latest)
        {
            return Task.FromResult(DirectoryProtocol.Response(DirectoryResponseStatus.BadRequest, $"a proof runs from an earlier to a later epoch, at most the latest ({latest})"));
        }

        return toEpoch - fromEpoch > DirectoryProtocol.MaxProofSpan
            ? Task.FromResult(DirectoryProtocol.Response(DirectoryResponseStatus.BadRequest, $"a proof spans at most {DirectoryProtocol.MaxProofSpan} epochs"))
            : Task.FromResult(DirectoryProtocol.Response(DirectoryResponseStatus.Ok, AkdProofCodec.Encode(directory.GetAppendOnlyProof(fromEpoch, toEpoch))));
    }

    // The same directory as an IDirectorySource, for this node's own follower: no network hop to itself.
    public Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken) =>
        epoch <= directory.LatestHead.Head.Epoch ? directory.GetHeadAsync(epoch, cancellationToken) : Task.FromResult<SignedEpochHead?>(null);

    public Task<byte[]> GetAppendOnlyProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken) =>
        fromEpoch < toEpoch && toEpoch <= directory.LatestHead.Head.Epoch && toEpoch - fromEpoch <= DirectoryProtocol.MaxProofSpan
            ? Task.FromResult(AkdProofCodec.Encode(directory.GetAppendOnlyProof(fromEpoch, toEpoch)))
            : throw new InvalidOperationException($"This node's directory has no proof from epoch {fromEpoch} to {toEpoch}.");
}
