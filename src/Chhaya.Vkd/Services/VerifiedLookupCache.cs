// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;

namespace Chhaya.Vkd.Services;

/// <summary>
/// Remembers lookup results, but only ones it verified itself: the only way in is
/// <see cref="VerifyAndAdd"/>, which decodes and verifies the proof against the given root first.
/// Entries are keyed by (label, root), so a result is never served for a root it was not proven under.
/// Bounded: the oldest entry goes when <see cref="Capacity"/> is reached.
/// </summary>
public sealed class VerifiedLookupCache(VkdConfiguration config, IVrfVerifier vrf, ReadOnlyMemory<byte> vrfPublicKey, int capacity = 10_000)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Label, Digest Root), VerifyResult> _entries = [];
    private readonly Queue<(string Label, Digest Root)> _order = new();

    /// <summary>Most entries kept.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Number of entries.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>A result previously verified for this label under this root.</summary>
    public bool TryGet(ReadOnlySpan<byte> label, Digest root, out VerifyResult? result)
    {
        lock (_gate)
        {
            return _entries.TryGetValue((Convert.ToHexString(label), root), out result);
        }
    }

    /// <summary>Decodes and verifies <paramref name="encodedLookupProof"/>; on success caches and returns the result.</summary>
    /// <exception cref="Chhaya.Safety.MalformedInputException">The proof does not decode.</exception>
    /// <exception cref="VkdVerificationException">The proof does not verify; nothing is cached.</exception>
    public VerifyResult VerifyAndAdd(ReadOnlyMemory<byte> label, Digest root, ulong epoch, ReadOnlySpan<byte> encodedLookupProof)
    {
        var proof = AkdProofCodec.DecodeLookupProof(encodedLookupProof);
        var result = VkdVerifier.VerifyLookup(config, vrf, vrfPublicKey, root, epoch, label, proof);
        var key = (Convert.ToHexString(label.Span), root);
        lock (_gate)
        {
            if (_entries.TryAdd(key, result))
            {
                _order.Enqueue(key);
                while (_entries.Count > Capacity)
                {
                    _entries.Remove(_order.Dequeue());
                }
            }
        }

        return result;
    }
}
