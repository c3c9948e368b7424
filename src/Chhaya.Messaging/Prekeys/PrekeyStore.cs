// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Identity;
using Chhaya.Safety;

namespace Chhaya.Messaging.Prekeys;

/// <summary>
/// The owner's private side of its prekeys: the current and recently retired signed X25519 prekeys and
/// ML-KEM last-resort prekeys, and the unused one-time X25519 and ML-KEM prekeys. Each one-time prekey is
/// consumed at most once (<see cref="TryConsumeOneTime"/> removes and wipes it under a lock); ids are allocated
/// from one increasing counter and never reused, so an id that is below the counter and absent was consumed
/// (or retired) and a second handshake naming it is refused.
/// </summary>
/// <remarks>Thread-safe. Holds secrets: dispose to wipe them all.</remarks>
public sealed partial class PrekeyStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IdentityKeyPair _identity;
    private readonly PrekeyStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly SortedDictionary<uint, EcEntry> _oneTimeEc = [];
    private readonly SortedDictionary<uint, KemEntry> _oneTimeKem = [];
    private readonly List<EcEntry> _signed = [];      // newest last; older ones are retired, kept for the grace period
    private readonly List<KemEntry> _lastResort = []; // same
    private uint _nextId = 1;
    private uint _ecCursor;
    private uint _kemCursor;
    private bool _disposed;
    private long _generation;

    /// <summary>The replenishment and rotation policy this store follows.</summary>
    public PrekeyStoreOptions Options => _options;

    public PrekeyStore(IdentityKeyPair identity, PrekeyStoreOptions? options = null, TimeProvider? time = null)
        : this(identity, options ?? new PrekeyStoreOptions(), time ?? TimeProvider.System, generate: true)
    {
    }

    private PrekeyStore(IdentityKeyPair identity, PrekeyStoreOptions options, TimeProvider time, bool generate)
    {
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _options = options;
        if (_options.ReplenishThreshold < 0 || _options.TargetOneTimePrekeys < _options.ReplenishThreshold
            || _options.MaxOneTimePrekeys < _options.TargetOneTimePrekeys)
        {
            throw new ArgumentException("Prekey options need 0 ≤ threshold ≤ target ≤ max.", nameof(options));
        }

        _time = time;
        if (!generate)
        {
            return;
        }

        lock (_gate)
        {
            AddSignedPrekeys(Now());
            ReplenishLocked();
        }
    }

    /// <summary>
    /// Grows whenever the private state changes (a one-time prekey consumed or handed out, new prekeys made,
    /// a rotation), so an owner that persists the store knows when to save it again.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The identity the prekeys belong to.</summary>
    public IdentityKeyPair Identity => _identity;

    /// <summary>Unused one-time X25519 prekeys.</summary>
    public int OneTimeEcCount
    {
        get
        {
            lock (_gate)
            {
                return _oneTimeEc.Count;
            }
        }
    }

    /// <summary>Unused one-time ML-KEM prekeys.</summary>
    public int OneTimeKemCount
    {
        get
        {
            lock (_gate)
            {
                return _oneTimeKem.Count;
            }
        }
    }

    /// <summary>The id of the current signed X25519 prekey.</summary>
    public uint CurrentSignedPrekeyId
    {
        get
        {
            lock (_gate)
            {
                return _signed[^1].Public.Id;
            }
        }
    }

    /// <summary>
    /// The bundle to publish: current signed and last-resort prekeys and up to <paramref name="oneTimeCount"/>
    /// unused one-time prekeys of each kind (the oldest first, so they are consumed in order).
    /// </summary>
    public PrekeyBundle PublishBundle(int oneTimeCount = PrekeyBundle.MaxOneTimePrekeys)
    {
        Guard.InRange(oneTimeCount, 0, PrekeyBundle.MaxOneTimePrekeys);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new PrekeyBundle(
                _identity.PublicKey.ToArray(),
                _signed[^1].Public,
                _lastResort[^1].Public,
                _oneTimeEc.Values.Take(oneTimeCount).Select(e => e.Public).ToArray(),
                _oneTimeKem.Values.Take(oneTimeCount).Select(e => e.Public).ToArray());
        }
    }

    /// <summary>
    /// The bundle to serve one requester (<c>/chhaya/prekeys/1.0.0</c>): current signed prekeys plus the next unused
    /// one-time prekey of each kind in round-robin order, so concurrent requesters are handed different one-time
    /// prekeys. Replenishes first.
    /// </summary>
    public PrekeyBundle HandOutBundle()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ReplenishLocked();
            // Round robin per kind: the next unused id after the last one handed out, wrapping to the smallest.
            var ec = _oneTimeEc.Values.FirstOrDefault(e => e.Public.Id > _ecCursor) ?? _oneTimeEc.Values.FirstOrDefault();
            var kem = _oneTimeKem.Values.FirstOrDefault(e => e.Public.Id > _kemCursor) ?? _oneTimeKem.Values.FirstOrDefault();
            _ecCursor = ec?.Public.Id ?? 0;
            _kemCursor = kem?.Public.Id ?? 0;
            Interlocked.Increment(ref _generation);

            return new PrekeyBundle(
                _identity.PublicKey.ToArray(), _signed[^1].Public, _lastResort[^1].Public,
                ec is null ? [] : [ec.Public], kem is null ? [] : [kem.Public]);
        }
    }

    /// <summary>Tops each one-time list back up to the target when it fell below the threshold. Returns how many were made.</summary>
    public int Replenish()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ReplenishLocked();
        }
    }

    /// <summary>
    /// Makes new signed X25519 and last-resort ML-KEM prekeys when the current ones are older than the lifetime
    /// (or when <paramref name="force"/>), and wipes retired ones past the grace period. Returns whether it rotated.
    /// </summary>
    public bool Rotate(bool force = false)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = Now();
            var rotated = false;
            if (force || now - _signed[^1].Public.CreatedUnixSeconds >= (long)_options.SignedPrekeyLifetime.TotalSeconds)
            {
                AddSignedPrekeys(now);
                rotated = true;
                Interlocked.Increment(ref _generation);
            }

            var graceSeconds = (long)_options.RetiredPrekeyGrace.TotalSeconds;
            RetireExpired(_signed, now, graceSeconds);
            RetireExpired(_lastResort, now, graceSeconds);
            return rotated;
        }
    }

    /// <summary>A copy of the private key of signed prekey <paramref name="id"/> (current or within grace), or null.</summary>
    internal SecretBytes? SignedPrekeyPrivate(uint id, out byte[] publicKey)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var entry in _signed)
            {
                if (entry.Public.Id == id)
                {
                    publicKey = entry.Public.PublicKey;
                    return entry.Private.Clone();
                }
            }

            publicKey = [];
            return null;
        }
    }

    /// <summary>A copy of the decapsulation key of last-resort prekey <paramref name="id"/> (current or within grace), or null.</summary>
    internal SecretBytes? LastResortPrivate(uint id)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var entry in _lastResort)
            {
                if (entry.Public.Id == id)
                {
                    return entry.Pair.DecapsulationKey.Clone();
                }
            }

            return null;
        }
    }

    /// <summary>A copy of one-time X25519 prekey <paramref name="id"/> if it is unused, else null. Does not consume it.</summary>
    internal SecretBytes? PeekOneTimeEc(uint id)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _oneTimeEc.TryGetValue(id, out var entry) ? entry.Private.Clone() : null;
        }
    }

    /// <summary>A copy of one-time ML-KEM decapsulation key <paramref name="id"/> if it is unused, else null. Does not consume it.</summary>
    internal SecretBytes? PeekOneTimeKem(uint id)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _oneTimeKem.TryGetValue(id, out var entry) ? entry.Pair.DecapsulationKey.Clone() : null;
        }
    }

    /// <summary>
    /// Consumes the named one-time prekeys together (either may be absent from the handshake): succeeds only if
    /// every named one is still unused, then removes and wipes them. A second call with the same id fails.
    /// </summary>
    public bool TryConsumeOneTime(uint? ecId, uint? kemId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if ((ecId is { } e && !_oneTimeEc.ContainsKey(e)) || (kemId is { } k && !_oneTimeKem.ContainsKey(k)))
            {
                return false;
            }

            if (ecId is { } ecKey)
            {
                _oneTimeEc[ecKey].Dispose();
                _oneTimeEc.Remove(ecKey);
            }

            if (kemId is { } kemKey)
            {
                _oneTimeKem[kemKey].Dispose();
                _oneTimeKem.Remove(kemKey);
            }

            Interlocked.Increment(ref _generation);
            return true;
        }
    }

    /// <summary>Whether <paramref name="id"/> was ever handed out by this store (used or not).</summary>
    public bool WasIssued(uint id)
    {
        lock (_gate)
        {
            return id != 0 && id < _nextId;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var entry in _oneTimeEc.Values)
            {
                entry.Dispose();
            }

            foreach (var entry in _oneTimeKem.Values)
            {
                entry.Dispose();
            }

            _signed.ForEach(e => e.Dispose());
            _lastResort.ForEach(e => e.Dispose());
            _oneTimeEc.Clear();
            _oneTimeKem.Clear();
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();

    private uint NextId()
    {
        if (_nextId == uint.MaxValue)
        {
            throw new InvalidOperationException("Prekey ids are exhausted; a new identity is needed.");
        }

        return _nextId++;
    }

    private void AddSignedPrekeys(long now)
    {
        _signed.Add(EcEntry.Create(_identity, PrekeyKind.SignedEc, NextId(), now));
        _lastResort.Add(KemEntry.Create(_identity, PrekeyKind.LastResortKem, NextId(), now));
    }

    private int ReplenishLocked()
    {
        var made = 0;
        var now = Now();
        if (_oneTimeEc.Count < _options.ReplenishThreshold || _oneTimeEc.Count == 0)
        {
            while (_oneTimeEc.Count < Math.Min(_options.TargetOneTimePrekeys, _options.MaxOneTimePrekeys))
            {
                var entry = EcEntry.Create(_identity, PrekeyKind.OneTimeEc, NextId(), now);
                _oneTimeEc.Add(entry.Public.Id, entry);
                made++;
            }
        }

        if (_oneTimeKem.Count < _options.ReplenishThreshold || _oneTimeKem.Count == 0)
        {
            while (_oneTimeKem.Count < Math.Min(_options.TargetOneTimePrekeys, _options.MaxOneTimePrekeys))
            {
                var entry = KemEntry.Create(_identity, PrekeyKind.OneTimeKem, NextId(), now);
                _oneTimeKem.Add(entry.Public.Id, entry);
                made++;
            }
        }

        if (made > 0)
        {
            Interlocked.Increment(ref _generation);
        }

        return made;
    }

    private static void RetireExpired<T>(List<T> entries, long now, long graceSeconds)
        where T : IPrekeyEntry
    {
        // The newest entry is current; an older one retired when its successor was created.
        for (var i = entries.Count - 2; i >= 0; i--)
        {
            if (now - entries[i + 1].Public.CreatedUnixSeconds >= graceSeconds)
            {
                entries[i].Dispose();
                entries.RemoveAt(i);
            }
        }
    }

    private interface IPrekeyEntry : IDisposable
    {
        SignedPrekey Public { get; }
    }

    private sealed class EcEntry(SignedPrekey publicPart, SecretBytes privateKey) : IPrekeyEntry
    {
        public SignedPrekey Public { get; } = publicPart;

        public SecretBytes Private { get; } = privateKey;

        public static EcEntry Create(IdentityKeyPair identity, PrekeyKind kind, uint id, long now)
        {
            var privateKey = X25519.GeneratePrivateKey();
            return new EcEntry(SignedPrekey.Create(identity, kind, id, now, X25519.PublicKey(privateKey)), privateKey);
        }

        public void Dispose() => Private.Dispose();
    }

    private sealed class KemEntry(SignedPrekey publicPart, MlKem1024KeyPair pair) : IPrekeyEntry
    {
        public SignedPrekey Public { get; } = publicPart;

        public MlKem1024KeyPair Pair { get; } = pair;

        public static KemEntry Create(IdentityKeyPair identity, PrekeyKind kind, uint id, long now)
        {
            var pair = MlKem1024.GenerateKeyPair();
            return new KemEntry(SignedPrekey.Create(identity, kind, id, now, pair.EncapsulationKey), pair);
        }

        public void Dispose() => Pair.Dispose();
    }
}
