// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Handshake;
using Chhaya.Safety;

namespace Chhaya.Messaging.Ratchet;

/// <summary>
/// One Double Ratchet session (Signal, "The Double Ratchet Algorithm", revision 4, §3 without header encryption),
/// seeded by PQXDH: SK is the first root key, AD = IK_A ‖ IK_B, and the responder's signed prekey is its first
/// ratchet key pair (§7.1 of the spec, "Integration with X3DH").
/// </summary>
/// <remarks>
/// Messages are sealed with AES-256-GCM under the message key through HKDF-n12 (<see cref="MessageKey"/>), with
/// associated data <c>AD ‖ version ‖ header</c>. Decryption works on tentative copies of the state and commits
/// only when the message authenticates, so a forged, replayed or tampered message leaves the session unchanged.
/// Not thread-safe: callers serialize access per session. Dispose to wipe every key.
/// </remarks>
public sealed partial class RatchetSession : IDisposable
{
    private readonly Dictionary<SkippedKeyId, SkippedKey> _skipped = [];
    private readonly RatchetOptions _options;
    private readonly TimeProvider _time;
    private SecretBytes _dhsPrivate;
    private byte[] _dhsPublic;
    private byte[]? _dhr;
    private SecretBytes _rk;
    private SecretBytes? _cks;
    private SecretBytes? _ckr;
    private uint _ns;
    private uint _nr;
    private uint _pn;
    private bool _disposed;

    private RatchetSession(
        string sessionId, byte[] remoteIdentityKey, byte[] associatedData, SecretBytes dhsPrivate, byte[] dhsPublic,
        SecretBytes rootKey, RatchetOptions? options, TimeProvider? time)
    {
        SessionId = sessionId;
        RemoteIdentityKey = remoteIdentityKey;
        AssociatedData = associatedData;
        _dhsPrivate = dhsPrivate;
        _dhsPublic = dhsPublic;
        _rk = rootKey;
        _options = options ?? RatchetOptions.Default;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Same on both sides; names the session in storage.</summary>
    public string SessionId { get; }

    /// <summary>The peer's Ed25519 identity key.</summary>
    public byte[] RemoteIdentityKey { get; }

    /// <summary>AD = IK_initiator ‖ IK_responder.</summary>
    public byte[] AssociatedData { get; }

    /// <summary>
    /// For the initiator until it first hears back: the PQXDH initial-message fields every outgoing message is
    /// wrapped in, so the responder can start the session from whichever arrives first.
    /// </summary>
    public PrekeyMessage? PendingPrekey { get; private set; }

    /// <summary>Snapshot counter used by the state store (latest wins).</summary>
    public long SnapshotVersion { get; internal set; }

    /// <summary>Skipped message keys currently held.</summary>
    public int SkippedKeyCount => _skipped.Count;

    /// <summary>The current sending ratchet public key (changes at every DH ratchet step).</summary>
    public ReadOnlySpan<byte> SendingRatchetKey => _dhsPublic;

    /// <summary>RatchetInitAlice: the initiator's state after PQXDH.</summary>
    public static RatchetSession InitializeInitiator(
        PqxdhKeys keys, PrekeyMessage template, ReadOnlySpan<byte> remoteRatchetKey, RatchetOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(template);
        var dhs = X25519.GeneratePrivateKey();
        var session = new RatchetSession(
            keys.SessionId, keys.AssociatedData[32..], keys.AssociatedData.ToArray(), dhs, X25519.PublicKey(dhs),
            keys.SharedKey.Clone(), options, time)
        {
            PendingPrekey = template,
        };
        session._dhr = remoteRatchetKey.ToArray();
        using var dh = RatchetKdf.Dh(dhs, remoteRatchetKey);
        var (rk, cks) = RatchetKdf.Root(session._rk, dh);
        session._rk.Dispose();
        session._rk = rk;
        session._cks = cks;
        return session;
    }

    /// <summary>
    /// RatchetInitBob: the responder's state after PQXDH; its signed prekey pair is the first ratchet pair.
    /// <paramref name="signedPrekeyPrivate"/> is taken over by the session (disposed with it).
    /// </summary>
    public static RatchetSession InitializeResponder(
        PqxdhKeys keys, SecretBytes signedPrekeyPrivate, byte[] signedPrekeyPublic, RatchetOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(signedPrekeyPrivate);
        return new RatchetSession(
            keys.SessionId, keys.AssociatedData[..32], keys.AssociatedData.ToArray(), signedPrekeyPrivate, signedPrekeyPublic,
            keys.SharedKey.Clone(), options, time);
    }

    /// <summary>RatchetEncrypt: the next message of the sending chain, as <see cref="RatchetMessageCodec"/> bytes.</summary>
    /// <exception cref="InvalidOperationException">No sending chain yet (a responder before its first received message).</exception>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Guard.MaxLength(plaintext.Length, RatchetMessageCodec.MaxPlaintextLength, nameof(plaintext));
        if (_cks is null)
        {
            throw new InvalidOperationException("This session has no sending chain yet; it must receive first.");
        }

        if (_ns == uint.MaxValue)
        {
            throw new InvalidOperationException("The sending chain is exhausted.");
        }

        var output = new byte[RatchetMessageCodec.PrefixLength + plaintext.Length + MessageAead.TagLength];
        output[0] = RatchetMessageCodec.Version;
        new RatchetHeader(_dhsPublic, _pn, _ns).WriteTo(output.AsSpan(1, RatchetHeader.Length));
        var mk = SecretBytes.Allocate(MessageAead.KeyLength);
        RatchetKdf.Chain(_cks, mk.Span);
        _ns++;
        using var key = MessageKey.FromSecret(mk);
        Span<byte> ad = stackalloc byte[AssociatedData.Length + RatchetMessageCodec.PrefixLength];
        BuildAd(output.AsSpan(0, RatchetMessageCodec.PrefixLength), ad);
        key.Seal(plaintext, ad, output.AsSpan(RatchetMessageCodec.PrefixLength));
        return output;
    }

    /// <summary>RatchetDecrypt: opens a message from the peer, with out-of-order and gap handling.</summary>
    /// <exception cref="Chhaya.Safety.MalformedInputException">The message is not a well-formed ratchet message.</exception>
    /// <exception cref="RatchetException">Does not authenticate, replayed, expired, or over MAX_SKIP; the state is unchanged.</exception>
    public byte[] Decrypt(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var header = RatchetMessageCodec.Decode(message, out var ciphertext);
        PurgeExpiredSkippedKeys();
        Span<byte> ad = stackalloc byte[AssociatedData.Length + RatchetMessageCodec.PrefixLength];
        BuildAd(message[..RatchetMessageCodec.PrefixLength], ad);
        var headerKey = header.DhPublicKey.Span;

        var id = SkippedKeyId.Of(headerKey, header.MessageNumber);
        if (_skipped.TryGetValue(id, out var skipped))
        {
            var opened = Open(skipped.Key, ciphertext, ad) ?? throw new RatchetException("The message does not authenticate.");
            _skipped.Remove(id);
            skipped.Dispose();
            return opened;
        }

        var pending = new List<(SkippedKeyId Id, SecretBytes Key)>();
        SecretBytes? chain = null;
        SecretBytes? newRk = null;
        SecretBytes? newCks = null;
        SecretBytes? newDhs = null;
        var committed = false;
        try
        {
            var step = _dhr is null || !headerKey.SequenceEqual(_dhr);
            uint nr;
            if (step)
            {
                if (_ckr is not null && _dhr is not null)
                {
                    // SkipMessageKeys(state, header.pn) on the chain being closed.
                    using var oldChain = _ckr.Clone();
                    var oldNr = _nr;
                    SkipKeys(oldChain, ref oldNr, header.PreviousChainLength, _dhr, pending);
                }

                // DHRatchet(state, header).
                using (var dhIn = RatchetKdf.Dh(_dhsPrivate, headerKey))
                {
                    var (rk1, ckr) = RatchetKdf.Root(_rk, dhIn);
                    chain = ckr;
                    try
                    {
                        newDhs = X25519.GeneratePrivateKey();
                        using var dhOut = RatchetKdf.Dh(newDhs, headerKey);
                        (newRk, newCks) = RatchetKdf.Root(rk1, dhOut);
                    }
                    finally
                    {
                        rk1.Dispose();
                    }
                }

                nr = 0;
            }
            else
            {
                chain = _ckr!.Clone();
                nr = _nr;
            }

            if (header.MessageNumber < nr)
            {
                throw new RatchetException("The message was already received (replay) or its key has expired.");
            }

            SkipKeys(chain, ref nr, header.MessageNumber, headerKey, pending);
            byte[]? plaintext;
            using (var mk = SecretBytes.Allocate(MessageAead.KeyLength))
            {
                RatchetKdf.Chain(chain, mk.Span);
                nr++;
                plaintext = Open(mk, ciphertext, ad);
            }

            if (plaintext is null)
            {
                throw new RatchetException("The message does not authenticate.");
            }

            // Commit.
            if (step)
            {
                _pn = _ns;
                _ns = 0;
                _dhr = headerKey.ToArray();
                _dhsPrivate.Dispose();
                _dhsPrivate = newDhs!;
                _dhsPublic = X25519.PublicKey(newDhs!);
                _rk.Dispose();
                _rk = newRk!;
                _cks?.Dispose();
                _cks = newCks!;
            }

            _ckr?.Dispose();
            _ckr = chain;
            _nr = nr;
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (pendingId, key) in pending)
            {
                _skipped[pendingId] = new SkippedKey(key, now);
            }

            EnforceSkippedLimit();
            PendingPrekey = null; // the peer has answered, so it has the session
            committed = true;
            return plaintext;
        }
        finally
        {
            if (!committed)
            {
                chain?.Dispose();
                newRk?.Dispose();
                newCks?.Dispose();
                newDhs?.Dispose();
                foreach (var (_, key) in pending)
                {
                    key.Dispose();
                }
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _dhsPrivate.Dispose();
        _rk.Dispose();
        _cks?.Dispose();
        _ckr?.Dispose();
        foreach (var skipped in _skipped.Values)
        {
            skipped.Dispose();
        }

        _skipped.Clear();
    }

    public override string ToString() => $"RatchetSession({SessionId[..Math.Min(16, SessionId.Length)]}…, sent {_ns}, received {_nr})";

    private void SkipKeys(SecretBytes chain, ref uint nr, uint until, ReadOnlySpan<byte> ratchetKey, List<(SkippedKeyId, SecretBytes)> pending)
    {
        if (until <= nr)
        {
            return;
        }

        if (until - nr > (uint)_options.MaxSkip)
        {
            throw new RatchetException($"The message would skip {until - nr} message keys, more than MAX_SKIP = {_options.MaxSkip}.");
        }

        while (nr < until)
        {
            var mk = SecretBytes.Allocate(MessageAead.KeyLength);
            RatchetKdf.Chain(chain, mk.Span);
            pending.Add((SkippedKeyId.Of(ratchetKey, nr), mk));
            nr++;
        }
    }

    private void PurgeExpiredSkippedKeys()
    {
        if (_skipped.Count == 0)
        {
            return;
        }

        var cutoff = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.SkippedKeyLifetime.TotalMilliseconds;
        foreach (var (id, key) in _skipped.Where(kv => kv.Value.StoredAtUnixMs < cutoff).ToList())
        {
            key.Dispose();
            _skipped.Remove(id);
        }
    }

    private void EnforceSkippedLimit()
    {
        var excess = _skipped.Count - _options.MaxSkippedKeys;
        if (excess <= 0)
        {
            return;
        }

        foreach (var (id, key) in _skipped.OrderBy(kv => kv.Value.StoredAtUnixMs).ThenBy(kv => kv.Key.Number).Take(excess).ToList())
        {
            key.Dispose();
            _skipped.Remove(id);
        }
    }

    private void BuildAd(ReadOnlySpan<byte> headerBytes, Span<byte> destination)
    {
        AssociatedData.CopyTo(destination);
        headerBytes.CopyTo(destination[AssociatedData.Length..]);
    }

    private static byte[]? Open(SecretBytes key, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> ad)
    {
        var output = new byte[ciphertext.Length - MessageAead.TagLength];
        return MessageAead.TryOpen(key.ReadOnlySpan, ciphertext, ad, output) ? output : null;
    }
}
