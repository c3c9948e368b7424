// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Crypto;
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Wire;
using Chhaya.Safety;

namespace Chhaya.Messaging.Ratchet;

/// <summary>The session's versioned, bounded binary state (plaintext; encrypt it with <c>RatchetStateProtector</c>).</summary>
public sealed partial class RatchetSession
{
    /// <summary>State format version.</summary>
    public const byte StateVersion = 1;

    /// <summary>Most skipped keys a stored state may hold (decoder bound, above any sane <see cref="RatchetOptions.MaxSkippedKeys"/>).</summary>
    public const int MaxStoredSkippedKeys = 4096;

    private const int MaxSessionIdLength = 128;
    private const int SkippedEntryLength = 32 + 4 + 8 + 32;

    /// <summary>Largest state encoding the decoder accepts.</summary>
    public const int MaxStateLength = 1 + 2 + MaxSessionIdLength + 32 + 64 + 64 + 33 + 32 + 33 + 33 + 12 + 8
        + 1 + 4 + PrekeyMessage.MaxEncodedLength + 2 + (MaxStoredSkippedKeys * SkippedEntryLength);

    /// <summary>
    /// The full state, secrets included, as a new <see cref="SecretBytes"/> the caller disposes:
    /// <c>u8 version ‖ u16 len ‖ session id ‖ remote IK (32) ‖ AD (64) ‖ DHs priv (32) ‖ DHs pub (32) ‖ flag ‖ [DHr] ‖
    /// RK ‖ flag ‖ [CKs] ‖ flag ‖ [CKr] ‖ u32 Ns ‖ u32 Nr ‖ u32 PN ‖ i64 snapshot version ‖ flag ‖ [u32 len ‖ pending
    /// prekey template] ‖ u16 count ‖ count × (DH (32) ‖ u32 N ‖ i64 stored-at ms ‖ MK (32))</c>.
    /// </summary>
    public SecretBytes ExportState()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pending = PendingPrekey?.Encode();
        var idBytes = Encoding.ASCII.GetBytes(SessionId);
        var length = 1 + 2 + idBytes.Length + 32 + AssociatedData.Length + 64 + 33 + 32 + 33 + 33 + 12 + 8
            + 1 + (pending is null ? 0 : 4 + pending.Length) + 2 + (_skipped.Count * SkippedEntryLength);
        var writer = new WireWriter(length);
        try
        {
            writer.Byte(StateVersion).Prefixed16(idBytes).Fixed(RemoteIdentityKey).Fixed(AssociatedData)
                .Fixed(_dhsPrivate.ReadOnlySpan).Fixed(_dhsPublic);
            WriteOptional(writer, _dhr);
            writer.Fixed(_rk.ReadOnlySpan);
            WriteOptionalSecret(writer, _cks);
            WriteOptionalSecret(writer, _ckr);
            writer.UInt32(_ns).UInt32(_nr).UInt32(_pn).Int64(SnapshotVersion).Flag(pending is not null);
            if (pending is not null)
            {
                writer.Prefixed32(pending);
            }

            writer.UInt16((ushort)_skipped.Count);
            Span<byte> key = stackalloc byte[32];
            foreach (var (id, skipped) in _skipped)
            {
                id.WriteKey(key);
                writer.Fixed(key).UInt32(id.Number).Int64(skipped.StoredAtUnixMs).Fixed(skipped.Key.ReadOnlySpan);
            }

            return SecretBytes.CopyFrom(writer.Written);
        }
        finally
        {
            writer.Clear();
        }
    }

    /// <summary>Rebuilds a session from <see cref="ExportState"/> bytes.</summary>
    /// <exception cref="MalformedInputException">Wrong version, truncated, over a bound, or trailing bytes.</exception>
    public static RatchetSession ImportState(ReadOnlySpan<byte> state, RatchetOptions? options = null, TimeProvider? time = null)
    {
        if (state.Length > MaxStateLength)
        {
            throw new MalformedInputException($"A ratchet state is at most {MaxStateLength} bytes, not {state.Length}.");
        }

        var reader = new WireReader(state);
        var version = reader.ReadByte("state version");
        if (version != StateVersion)
        {
            throw new MalformedInputException($"Ratchet state version {version} is not supported.");
        }

        var sessionId = Encoding.ASCII.GetString(reader.ReadPrefixed16(MaxSessionIdLength, "session id"));
        var remote = reader.ReadFixed(Ed25519.PublicKeyLength, "remote identity key").ToArray();
        var ad = reader.ReadFixed(64, "associated data").ToArray();
        var dhs = SecretBytes.CopyFrom(reader.ReadFixed(32, "DHs private key"));
        var dhsPublic = reader.ReadFixed(32, "DHs public key").ToArray();
        var session = new RatchetSession(sessionId, remote, ad, dhs, dhsPublic, SecretBytes.Allocate(32), options, time);
        try
        {
            session._dhr = ReadOptional(ref reader, "DHr");
            reader.ReadFixed(32, "root key").CopyTo(session._rk.Span);
            session._cks = ReadOptionalSecret(ref reader, "CKs");
            session._ckr = ReadOptionalSecret(ref reader, "CKr");
            session._ns = reader.ReadUInt32("Ns");
            session._nr = reader.ReadUInt32("Nr");
            session._pn = reader.ReadUInt32("PN");
            session.SnapshotVersion = reader.ReadInt64("snapshot version");
            if (reader.ReadFlag("pending prekey flag"))
            {
                session.PendingPrekey = PrekeyMessage.Decode(reader.ReadPrefixed32(PrekeyMessage.MaxEncodedLength, "pending prekey message"));
            }

            var count = reader.ReadUInt16("skipped key count");
            if (count > MaxStoredSkippedKeys)
            {
                throw new MalformedInputException($"A state holds at most {MaxStoredSkippedKeys} skipped keys, not {count}.");
            }

            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadFixed(32, "skipped key ratchet key");
                var number = reader.ReadUInt32("skipped key number");
                var storedAt = reader.ReadInt64("skipped key time");
                var id = SkippedKeyId.Of(key, number);
                var mk = SecretBytes.CopyFrom(reader.ReadFixed(32, "skipped message key"));
                if (!session._skipped.TryAdd(id, new SkippedKey(mk, storedAt)))
                {
                    mk.Dispose();
                    throw new MalformedInputException("The state lists a skipped key twice.");
                }
            }

            reader.EnsureEnd("The ratchet state");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static void WriteOptional(WireWriter writer, byte[]? value)
    {
        writer.Flag(value is not null);
        if (value is not null)
        {
            writer.Fixed(value);
        }
    }

    private static void WriteOptionalSecret(WireWriter writer, SecretBytes? value)
    {
        writer.Flag(value is not null);
        if (value is not null)
        {
            writer.Fixed(value.ReadOnlySpan);
        }
    }

    private static byte[]? ReadOptional(ref WireReader reader, string field) =>
        reader.ReadFlag(field + " flag") ? reader.ReadFixed(32, field).ToArray() : null;

    private static SecretBytes? ReadOptionalSecret(ref WireReader reader, string field) =>
        reader.ReadFlag(field + " flag") ? SecretBytes.CopyFrom(reader.ReadFixed(32, field)) : null;
}
