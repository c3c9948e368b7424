// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.Witness.Protocol;

/// <summary>
/// Answers for a directory this node follows, from its stored audit history: the signed heads it stored
/// and the append-only proofs it verified. Only exact stored steps are served (the engine stores one step
/// per epoch, so an asker walks epoch by epoch as the engine does); a proof that failed verification here
/// is never served. The asker verifies everything anyway.
/// </summary>
internal sealed class AuditHistoryAnswerer(HistoryStore store, string directoryKey) : IDirectoryAnswerer
{
    public bool IsLive => false;

    public async Task<byte[]> AnswerHeadAsync(ulong epoch, CancellationToken cancellationToken)
    {
        if (epoch > long.MaxValue)
        {
            return DirectoryProtocol.Response(DirectoryResponseStatus.NotFound, $"no epoch {epoch}");
        }

        var e = (long)epoch;
        using var db = store.Contexts.Create();
        var head = await db.EpochHeads.AsNoTracking()
            .Where(h => h.DirectoryId == directoryKey && h.Epoch == e)
            .OrderBy(h => h.Sequence)
            .Select(h => h.SignedHead)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return head is null
            ? DirectoryProtocol.Response(DirectoryResponseStatus.NotFound, $"this node has not stored epoch {epoch}")
            : DirectoryProtocol.Response(DirectoryResponseStatus.Ok, head);
    }

    public async Task<byte[]> AnswerProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken)
    {
        if (fromEpoch >= toEpoch || toEpoch > long.MaxValue)
        {
            return DirectoryProtocol.Response(DirectoryResponseStatus.BadRequest, "a proof runs from an earlier to a later epoch");
        }

        long from = (long)fromEpoch, to = (long)toEpoch;
        using var db = store.Contexts.Create();
        var proof = await db.AuditResults.AsNoTracking()
            .Where(a => a.DirectoryId == directoryKey && a.FromEpoch == from && a.ToEpoch == to && a.Verdict == WitnessEngine.ValidVerdict)
            .OrderBy(a => a.Sequence)
            .Select(a => a.Proof)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return proof is null
            ? DirectoryProtocol.Response(DirectoryResponseStatus.NotFound, $"this node has not audited the step from epoch {fromEpoch} to {toEpoch}; it serves the one-epoch steps it verified")
            : DirectoryProtocol.Response(DirectoryResponseStatus.Ok, proof);
    }
}
