// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Wire;
using Chhaya.Safety;

namespace Chhaya.Messaging.Prekeys;

/// <summary>
/// Export and import of the private prekey state, so a node that restarts can still answer initial messages
/// made from bundles it published before (and still refuses one-time prekeys it consumed before).
/// <code>
/// state   = u8 version=1 ‖ u32 next id ‖ u32 EC cursor ‖ u32 KEM cursor
///           ‖ list(signed EC) ‖ list(last-resort KEM) ‖ list(one-time EC) ‖ list(one-time KEM)
/// list(x) = u16 count ‖ x*
/// EC      = signed prekey (u32 id ‖ i64 created ‖ public key 32 ‖ signature 64) ‖ X25519 private key 32
/// KEM     = signed prekey (u32 id ‖ i64 created ‖ public key 1568 ‖ signature 64) ‖ ML-KEM-1024 seed 64
/// </code>
/// The state is secret: the caller seals it before it touches a disk (the node does, under its storage key).
/// </summary>
public sealed partial class PrekeyStore
{
    private const byte SnapshotVersion = 1;

    /// <summary>Longest state <see cref="Import"/> reads: the lists at their bounds.</summary>
    public static int MaxSnapshotLength(PrekeyStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const int ec = 4 + 8 + 32 + Ed25519.SignatureLength + 32;
        const int kem = 4 + 8 + MlKem1024.EncapsulationKeyLength + Ed25519.SignatureLength + MlKem1024.SeedLength;
        const int retained = 64; // signed and last-resort prekeys kept through the grace period
        return 1 + 12 + (8 * 2) + (retained * (ec + kem)) + (options.MaxOneTimePrekeys * (ec + kem));
    }

    /// <summary>The private state, for sealing and storing. The caller disposes it.</summary>
    public SecretBytes Export()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = new WireWriter(64 * 1024);
            writer.Byte(SnapshotVersion).UInt32(_nextId).UInt32(_ecCursor).UInt32(_kemCursor);
            WriteEc(writer, _signed);
            WriteKem(writer, _lastResort);
            WriteEc(writer, _oneTimeEc.Values);
            WriteKem(writer, _oneTimeKem.Values);
            var state = SecretBytes.Allocate(writer.Length);
            writer.Written.CopyTo(state.Span);
            writer.Clear();
            return state;
        }
    }

    /// <summary>Rebuilds a store from <see cref="Export"/>'s output for the same identity.</summary>
    /// <exception cref="MalformedInputException">
    /// The state is malformed, over the bounds, empty of signed prekeys, or a key does not match its signed public part.
    /// </exception>
    public static PrekeyStore Import(IdentityKeyPair identity, ReadOnlySpan<byte> state, PrekeyStoreOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        options ??= new PrekeyStoreOptions();
        if (state.Length > MaxSnapshotLength(options))
        {
            throw new MalformedInputException($"A prekey state is at most {MaxSnapshotLength(options)} bytes, not {state.Length}.");
        }

        var store = new PrekeyStore(identity, options, time ?? TimeProvider.System, generate: false);
        try
        {
            var reader = new WireReader(state);
            if (reader.ReadByte("prekey state version") != SnapshotVersion)
            {
                throw new MalformedInputException("Unknown prekey state version.");
            }

            store._nextId = reader.ReadUInt32("next prekey id");
            store._ecCursor = reader.ReadUInt32("EC cursor");
            store._kemCursor = reader.ReadUInt32("KEM cursor");
            store._signed.AddRange(ReadEc(ref reader, identity, PrekeyKind.SignedEc, 64));
            store._lastResort.AddRange(ReadKem(ref reader, identity, PrekeyKind.LastResortKem, 64));
            foreach (var entry in ReadEc(ref reader, identity, PrekeyKind.OneTimeEc, options.MaxOneTimePrekeys))
            {
                store._oneTimeEc.Add(entry.Public.Id, entry);
            }

            foreach (var entry in ReadKem(ref reader, identity, PrekeyKind.OneTimeKem, options.MaxOneTimePrekeys))
            {
                store._oneTimeKem.Add(entry.Public.Id, entry);
            }

            reader.EnsureEnd("prekey state");
            if (store._signed.Count == 0 || store._lastResort.Count == 0)
            {
                throw new MalformedInputException("A prekey state has no signed or no last-resort prekey.");
            }

            var highest = store._signed.Concat<IPrekeyEntry>(store._lastResort).Concat(store._oneTimeEc.Values).Concat(store._oneTimeKem.Values).Max(e => e.Public.Id);
            if (highest >= store._nextId)
            {
                throw new MalformedInputException("A prekey state holds an id at or above its next id.");
            }

            return store;
        }
        catch (Exception e) when (e is MalformedInputException or ArgumentException)
        {
            store.Dispose();
            throw e as MalformedInputException ?? new MalformedInputException("A prekey state is inconsistent: " + e.Message);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static void WriteEc(WireWriter writer, IEnumerable<EcEntry> entries)
    {
        var list = entries.ToList();
        writer.UInt16(checked((ushort)list.Count));
        foreach (var entry in list)
        {
            entry.Public.WriteTo(writer);
            writer.Fixed(entry.Private.ReadOnlySpan);
        }
    }

    private static void WriteKem(WireWriter writer, IEnumerable<KemEntry> entries)
    {
        var list = entries.ToList();
        writer.UInt16(checked((ushort)list.Count));
        foreach (var entry in list)
        {
            entry.Public.WriteTo(writer);
            writer.Fixed(entry.Pair.Seed.ReadOnlySpan);
        }
    }

    private static List<EcEntry> ReadEc(ref WireReader reader, IdentityKeyPair identity, PrekeyKind kind, int max)
    {
        var count = ReadCount(ref reader, kind, max);
        var entries = new List<EcEntry>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var publicPart = SignedPrekey.ReadFrom(ref reader, kind);
                var entry = new EcEntry(publicPart, SecretBytes.CopyFrom(reader.ReadFixed(32, "X25519 private prekey")));
                entries.Add(entry);
                if (!publicPart.Verify(identity.PublicKey) || !X25519.PublicKey(entry.Private).AsSpan().SequenceEqual(publicPart.PublicKey))
                {
                    throw new MalformedInputException($"A stored {kind} prekey does not match its signed public key.");
                }
            }
        }
        catch
        {
            entries.ForEach(e => e.Dispose());
            throw;
        }

        return entries;
    }

    private static List<KemEntry> ReadKem(ref WireReader reader, IdentityKeyPair identity, PrekeyKind kind, int max)
    {
        var count = ReadCount(ref reader, kind, max);
        var entries = new List<KemEntry>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var publicPart = SignedPrekey.ReadFrom(ref reader, kind);
                using var seed = SecretBytes.CopyFrom(reader.ReadFixed(MlKem1024.SeedLength, "ML-KEM-1024 seed"));
                var entry = new KemEntry(publicPart, MlKem1024.FromSeed(seed));
                entries.Add(entry);
                if (!publicPart.Verify(identity.PublicKey) || !entry.Pair.EncapsulationKey.SequenceEqual(publicPart.PublicKey))
                {
                    throw new MalformedInputException($"A stored {kind} prekey does not match its signed public key.");
                }
            }
        }
        catch
        {
            entries.ForEach(e => e.Dispose());
            throw;
        }

        return entries;
    }

    private static int ReadCount(ref WireReader reader, PrekeyKind kind, int max)
    {
        int count = reader.ReadUInt16("prekey count");
        return count <= max ? count : throw new MalformedInputException($"A prekey state holds {count} {kind} prekeys; at most {max}.");
    }
}
