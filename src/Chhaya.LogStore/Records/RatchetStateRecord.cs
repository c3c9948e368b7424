// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>A snapshot of a messaging session's ratchet state, encrypted at rest.</summary>
public sealed class RatchetStateRecord : HistoryRecord
{
    /// <summary>Opaque session id.</summary>
    public string SessionId { get; set; } = "";

    /// <summary>Snapshot version within the session.</summary>
    public long Version { get; set; }

    /// <summary>AEAD-sealed state; the key never touches the store.</summary>
    public byte[] EncryptedState { get; set; } = [];

    protected internal override void AddContent(RecordHasher hasher)
    {
        hasher.Add(SessionId);
        hasher.Add(Version);
        hasher.Add(EncryptedState);
    }
}
