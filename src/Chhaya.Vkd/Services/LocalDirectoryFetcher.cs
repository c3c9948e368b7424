// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Wire;

namespace Chhaya.Vkd.Services;

/// <summary>An <see cref="IVkdProofFetcher"/> answered by a producer in the same process (devnets, tests).</summary>
public sealed class LocalDirectoryFetcher(IVkdProducer directory) : IVkdProofFetcher
{
    public async Task<byte[]?> FetchSignedHeadAsync(Digest directoryId, ulong epoch, CancellationToken cancellationToken = default)
    {
        if (directoryId != directory.LatestHead.Head.DirectoryId)
        {
            return null;
        }

        var head = await directory.GetHeadAsync(epoch, cancellationToken).ConfigureAwait(false);
        return head?.Encode();
    }

    public Task<byte[]> FetchLookupProofAsync(Digest directoryId, ReadOnlyMemory<byte> label, CancellationToken cancellationToken = default)
    {
        RequireDirectory(directoryId);
        return Task.FromResult(AkdProofCodec.Encode(directory.GetLookupProof(label.Span)));
    }

    public Task<byte[]> FetchAppendOnlyProofAsync(Digest directoryId, ulong startEpoch, ulong endEpoch, CancellationToken cancellationToken = default)
    {
        RequireDirectory(directoryId);
        return Task.FromResult(AkdProofCodec.Encode(directory.GetAppendOnlyProof(startEpoch, endEpoch)));
    }

    private void RequireDirectory(Digest directoryId)
    {
        if (directoryId != directory.LatestHead.Head.DirectoryId)
        {
            throw new KeyNotFoundException($"Directory {directoryId} is not served here.");
        }
    }
}
