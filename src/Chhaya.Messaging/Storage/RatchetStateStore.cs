// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore;
using Chhaya.LogStore.Records;
using Chhaya.Messaging.Ratchet;
using Chhaya.Safety;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.Messaging.Storage;

/// <summary>
/// Persists ratchet sessions as encrypted snapshots in LogStore's append-only <c>ratchet_states</c> history table.
/// Every save appends a new row with the next snapshot version; loading takes the row with the highest version
/// for the session (ties, which only a second process could make, go to the later row).
/// </summary>
/// <remarks>
/// The table is append-only and hash-chained, so old snapshots stay in it (encrypted). Someone holding the
/// storage key and an old row could open that old state: the storage key must be protected like the identity
/// key. docs/messaging.md discusses what this costs forward secrecy.
/// </remarks>
public sealed class RatchetStateStore
{
    private readonly HistoryStore _history;
    private readonly RatchetStateProtector _protector;

    public RatchetStateStore(HistoryStore history, RatchetStateProtector protector)
    {
        _history = history ?? throw new ArgumentNullException(nameof(history));
        _protector = protector ?? throw new ArgumentNullException(nameof(protector));
    }

    /// <summary>Appends a snapshot of <paramref name="session"/> with the next version and returns that version.</summary>
    public async Task<long> SaveAsync(RatchetSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.SnapshotVersion++;
        byte[] sealedState;
        using (var state = session.ExportState())
        {
            sealedState = _protector.Protect(session.SessionId, session.SnapshotVersion, state.ReadOnlySpan);
        }

        var record = new RatchetStateRecord { SessionId = session.SessionId, Version = session.SnapshotVersion, EncryptedState = sealedState };
        await _history.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        return session.SnapshotVersion;
    }

    /// <summary>
    /// Snapshot <paramref name="version"/> of <paramref name="sessionId"/> (the one the caller's own saved state was
    /// written with), or null when there is none. Later snapshots may exist when the process stopped after saving a
    /// session but before saving the rest of its state; the loaded session's next save numbers itself after them, so
    /// no version is written twice.
    /// </summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The snapshot does not authenticate.</exception>
    /// <exception cref="MalformedInputException">The decrypted state is malformed, or its version disagrees with its row.</exception>
    public async Task<RatchetSession?> LoadVersionAsync(string sessionId, long version, RatchetOptions? options, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        using var context = _history.Contexts.Create();
        var row = await context.Set<RatchetStateRecord>().AsNoTracking()
            .Where(r => r.SessionId == sessionId && r.Version == version)
            .OrderByDescending(r => r.Sequence)
            .Select(r => new { r.Version, r.EncryptedState })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var latest = await context.Set<RatchetStateRecord>().AsNoTracking()
            .Where(r => r.SessionId == sessionId)
            .MaxAsync(r => r.Version, cancellationToken).ConfigureAwait(false);
        var session = Open(sessionId, row.Version, row.EncryptedState, options, time);
        session.SnapshotVersion = Math.Max(session.SnapshotVersion, latest);
        return session;
    }

    /// <summary>The latest snapshot of <paramref name="sessionId"/>, or null when there is none.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The snapshot does not authenticate.</exception>
    /// <exception cref="MalformedInputException">The decrypted state is malformed, or its version disagrees with its row.</exception>
    public async Task<RatchetSession?> LoadAsync(string sessionId, RatchetOptions? options, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        using var context = _history.Contexts.Create();
        var row = await context.Set<RatchetStateRecord>().AsNoTracking()
            .Where(r => r.SessionId == sessionId)
            .OrderByDescending(r => r.Version).ThenByDescending(r => r.Sequence)
            .Select(r => new { r.Version, r.EncryptedState })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        return Open(sessionId, row.Version, row.EncryptedState, options, time);
    }

    private RatchetSession Open(string sessionId, long version, byte[] encryptedState, RatchetOptions? options, TimeProvider? time)
    {
        using var state = _protector.Unprotect(sessionId, version, encryptedState);
        var session = RatchetSession.ImportState(state.ReadOnlySpan, options, time);
        if (session.SnapshotVersion != version || session.SessionId != sessionId)
        {
            session.Dispose();
            throw new MalformedInputException("The stored ratchet state names a different session or version than its row.");
        }

        return session;
    }
}
