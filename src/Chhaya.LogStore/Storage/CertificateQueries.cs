// SPDX-License-Identifier: AGPL-3.0-or-later
using Microsoft.EntityFrameworkCore;

namespace Chhaya.LogStore.Storage;

/// <summary>Look-ups of stored quorum certificates that several services share.</summary>
public static class CertificateQueries
{
    /// <summary>
    /// The encoded certificate stored first (lowest sequence) for one epoch of a directory, or null when there
    /// is none. Epochs above <see cref="long.MaxValue"/> cannot be stored, so they have none.
    /// </summary>
    public static async Task<byte[]?> FirstCertificateAsync(this LogStoreContext db, string directoryId, ulong epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (epoch > long.MaxValue)
        {
            return null;
        }

        var e = (long)epoch;
        return await db.QuorumCertificates.AsNoTracking()
            .Where(q => q.DirectoryId == directoryId && q.Epoch == e)
            .OrderBy(q => q.Sequence)
            .Select(q => q.Certificate)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
    }
}
