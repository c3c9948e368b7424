// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Kad;

/// <summary>
/// Validator of the <c>/chhaya/</c> namespace (<see cref="SignedRecord"/>): valid when the owner's signature verifies;
/// the best record has the highest sequence number, ties broken by the larger value bytes so that every node picks
/// the same one.
/// </summary>
public sealed class SignedRecordValidator : IRecordValidator
{
    public void Validate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => SignedRecord.Verify(key, value);

    public int Select(ReadOnlySpan<byte> key, IReadOnlyList<byte[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var best = -1;
        ulong bestSeq = 0;
        for (var i = 0; i < values.Count; i++)
        {
            ulong seq;
            try
            {
                seq = SignedRecord.Verify(key, values[i]).Sequence;
            }
            catch (InvalidRecordException)
            {
                continue;
            }

            if (best < 0 || seq > bestSeq || (seq == bestSeq && values[i].AsSpan().SequenceCompareTo(values[best]) > 0))
            {
                best = i;
                bestSeq = seq;
            }
        }

        return best >= 0 ? best : throw new InvalidRecordException("no valid record to select from");
    }
}
