// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;

namespace Chhaya.Quorum;

/// <summary>
/// Collects co-signatures on one head from members of one witness set, checking each as it arrives,
/// and aggregates them into a <see cref="QuorumCertificate"/> once the threshold is reached.
/// </summary>
public sealed class QuorumCertificateBuilder
{
    private readonly WitnessSet _witnesses;
    private readonly byte[] _head;
    private readonly byte[] _message;
    private readonly SortedDictionary<int, BlsSignature> _signatures = [];

    /// <exception cref="ArgumentException">The head is empty or too long.</exception>
    public QuorumCertificateBuilder(WitnessSet witnesses, ReadOnlySpan<byte> head)
    {
        ArgumentNullException.ThrowIfNull(witnesses);
        _witnesses = witnesses;
        _message = CoSignedMessage.For(head);
        _head = head.ToArray();
    }

    /// <summary>Distinct valid co-signatures collected so far.</summary>
    public int Count => _signatures.Count;

    public bool HasQuorum => _signatures.Count >= _witnesses.Threshold;

    /// <summary>
    /// Adds a co-signature. Returns <see cref="QuorumValidationError.UnknownSigner"/> for a non-member,
    /// <see cref="QuorumValidationError.DuplicateSigner"/> when that member already co-signed, and
    /// <see cref="QuorumValidationError.BadSignature"/> when the signature does not verify; nothing is
    /// added in those cases.
    /// </summary>
    public QuorumValidationError TryAdd(CoSignature coSignature)
    {
        ArgumentNullException.ThrowIfNull(coSignature);
        var index = _witnesses.IndexOf(coSignature.Signer);
        if (index < 0)
        {
            return QuorumValidationError.UnknownSigner;
        }

        if (_signatures.ContainsKey(index))
        {
            return QuorumValidationError.DuplicateSigner;
        }

        if (!BlsSignatures.Verify(coSignature.Signer, _message, coSignature.Signature))
        {
            return QuorumValidationError.BadSignature;
        }

        _signatures.Add(index, coSignature.Signature);
        return QuorumValidationError.None;
    }

    /// <summary>Aggregates the collected co-signatures.</summary>
    /// <exception cref="QuorumException"><see cref="QuorumValidationError.BelowThreshold"/> when fewer than t were collected.</exception>
    public QuorumCertificate Build()
    {
        if (!HasQuorum)
        {
            throw new QuorumException(
                QuorumValidationError.BelowThreshold,
                $"Only {_signatures.Count} of the {_witnesses.Threshold} co-signatures needed were collected.");
        }

        var bitmap = new byte[(_witnesses.Count + 7) / 8];
        foreach (var index in _signatures.Keys)
        {
            bitmap[index / 8] |= (byte)(1 << (index % 8));
        }

        var aggregate = BlsSignatures.Aggregate(_signatures.Values.ToList());
        return new QuorumCertificate(_head, _witnesses.Count, bitmap, aggregate);
    }
}
