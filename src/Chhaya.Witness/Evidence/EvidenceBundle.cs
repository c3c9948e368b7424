// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;
using Chhaya.Bls;
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;

namespace Chhaya.Witness.Evidence;

/// <summary>
/// Self-contained evidence of misbehaviour that anyone can check offline with no state but the bundle.
/// </summary>
/// <remarks>
/// Layout (all integers big-endian):
/// <c>"chhaya/v1/evidence\0" ‖ u8 kind ‖ u8 key_length ‖ key ‖ u8 item_count ‖ (u32 length ‖ item)*</c>.
/// The key is the directory's Ed25519 head key (directory kinds) or the witness's BLS public key
/// (<see cref="EvidenceKind.WitnessEquivocation"/>). Items by kind:
/// conflicting-heads and non-extending-head: two 176-byte signed heads;
/// append-only-proof-failed: two signed heads, the configuration name (UTF-8) and the AKD-encoded proof;
/// witness-equivocation: two 112-byte heads, each followed by the witness's co-signature encoding.
/// </remarks>
public sealed class EvidenceBundle
{
    /// <summary>Largest bundle accepted (the proof of a failed audit dominates).</summary>
    public const int MaxLength = 64 << 20;

    private const int MaxItems = 8;

    private static ReadOnlySpan<byte> Magic => "chhaya/v1/evidence\0"u8;

    private EvidenceBundle(EvidenceKind kind, byte[] key, IReadOnlyList<byte[]> items)
    {
        Kind = kind;
        Key = key;
        Items = items;
    }

    public EvidenceKind Kind { get; }

    /// <summary>The accused party's public key.</summary>
    public byte[] Key { get; }

    public IReadOnlyList<byte[]> Items { get; }

    public static EvidenceBundle ConflictingHeads(ReadOnlySpan<byte> directoryKey, SignedEpochHead first, SignedEpochHead second) =>
        new(EvidenceKind.ConflictingHeads, directoryKey.ToArray(), [first.Encode(), second.Encode()]);

    public static EvidenceBundle NonExtendingHead(ReadOnlySpan<byte> directoryKey, SignedEpochHead earlier, SignedEpochHead later) =>
        new(EvidenceKind.NonExtendingHead, directoryKey.ToArray(), [earlier.Encode(), later.Encode()]);

    public static EvidenceBundle AppendOnlyProofFailed(ReadOnlySpan<byte> directoryKey, SignedEpochHead earlier, SignedEpochHead later, string configuration, byte[] proof) =>
        new(EvidenceKind.AppendOnlyProofFailed, directoryKey.ToArray(), [earlier.Encode(), later.Encode(), Encoding.UTF8.GetBytes(configuration), proof]);

    public static EvidenceBundle WitnessEquivocation(BlsPublicKey witness, EpochHead first, CoSignature firstSignature, EpochHead second, CoSignature secondSignature) =>
        new(EvidenceKind.WitnessEquivocation, witness.Bytes.ToArray(), [first.Encode(), firstSignature.Encode(), second.Encode(), secondSignature.Encode()]);

    public byte[] Encode()
    {
        var length = Magic.Length + 2 + Key.Length + 1 + Items.Sum(i => 4 + i.Length);
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        var offset = Magic.Length;
        span[offset++] = (byte)Kind;
        span[offset++] = (byte)Key.Length;
        Key.CopyTo(span[offset..]);
        offset += Key.Length;
        span[offset++] = (byte)Items.Count;
        foreach (var item in Items)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[offset..], (uint)item.Length);
            offset += 4;
            item.CopyTo(span[offset..]);
            offset += item.Length;
        }

        return bytes;
    }

    /// <exception cref="MalformedInputException">The bytes are not an evidence bundle.</exception>
    public static EvidenceBundle Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxLength)
        {
            throw new MalformedInputException($"An evidence bundle is at most {MaxLength} bytes; this one is {data.Length}.");
        }

        if (data.Length < Magic.Length + 3 || !data[..Magic.Length].SequenceEqual(Magic))
        {
            throw new MalformedInputException("Not a Chhaya evidence bundle (missing the 'chhaya/v1/evidence' header).");
        }

        var offset = Magic.Length;
        var kind = (EvidenceKind)data[offset++];
        if (!Enum.IsDefined(kind))
        {
            throw new MalformedInputException($"Unknown evidence kind {(byte)kind}.");
        }

        int keyLength = data[offset++];
        if (data.Length < offset + keyLength + 1)
        {
            throw new MalformedInputException("The evidence bundle ends inside its key.");
        }

        var key = data.Slice(offset, keyLength).ToArray();
        offset += keyLength;
        int count = data[offset++];
        if (count > MaxItems)
        {
            throw new MalformedInputException($"An evidence bundle has at most {MaxItems} items, not {count}.");
        }

        var items = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            if (data.Length - offset < 4)
            {
                throw new MalformedInputException($"The evidence bundle ends before item {i}.");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
            offset += 4;
            if (length > (uint)(data.Length - offset))
            {
                throw new MalformedInputException($"Item {i} of the evidence bundle claims {length} bytes but only {data.Length - offset} remain.");
            }

            items.Add(data.Slice(offset, (int)length).ToArray());
            offset += (int)length;
        }

        if (offset != data.Length)
        {
            throw new MalformedInputException($"{data.Length - offset} stray bytes follow the evidence bundle.");
        }

        return new EvidenceBundle(kind, key, items);
    }

    /// <summary>
    /// Checks the evidence: every signature verifies under <see cref="Key"/> and the signed statements
    /// contradict each other as <see cref="Kind"/> says. Returns null when the evidence holds, else why not.
    /// </summary>
    /// <param name="configurations">Resolves configuration names for append-only proofs (e.g. <c>experimental</c>).</param>
    public string? Verify(Func<string, VkdConfiguration?>? configurations = null)
    {
        try
        {
            return Kind switch
            {
                EvidenceKind.ConflictingHeads => VerifyConflictingHeads(),
                EvidenceKind.NonExtendingHead => VerifyNonExtending(),
                EvidenceKind.AppendOnlyProofFailed => VerifyFailedProof(configurations),
                EvidenceKind.WitnessEquivocation => VerifyWitnessEquivocation(),
                _ => "unknown evidence kind",
            };
        }
        catch (MalformedInputException e)
        {
            return "malformed item: " + e.Message;
        }
    }

    private string? VerifyConflictingHeads()
    {
        if (Items.Count != 2 || TwoSignedHeads() is not var (a, b))
        {
            return "conflicting-heads evidence needs exactly two signed heads with valid directory signatures";
        }

        if (a.Head.DirectoryId != b.Head.DirectoryId || a.Head.Epoch != b.Head.Epoch)
        {
            return "the two heads are not for the same directory and epoch";
        }

        return a.Head.Root == b.Head.Root ? "the two heads have the same root" : null;
    }

    private string? VerifyNonExtending()
    {
        if (Items.Count != 2 || TwoSignedHeads() is not var (a, b))
        {
            return "non-extending-head evidence needs exactly two signed heads with valid directory signatures";
        }

        if (a.Head.DirectoryId != b.Head.DirectoryId || a.Head.Epoch == ulong.MaxValue || a.Head.Epoch + 1 != b.Head.Epoch)
        {
            return "the two heads are not consecutive epochs of one directory";
        }

        return a.Head.Root == b.Head.PreviousRoot ? "the later head does extend the earlier one" : null;
    }

    private string? VerifyFailedProof(Func<string, VkdConfiguration?>? configurations)
    {
        if (Items.Count != 4 || TwoSignedHeads() is not var (a, b))
        {
            return "append-only-proof-failed evidence needs two signed heads, a configuration and a proof";
        }

        if (a.Head.DirectoryId != b.Head.DirectoryId || a.Head.Epoch == ulong.MaxValue || a.Head.Epoch + 1 != b.Head.Epoch)
        {
            return "the two heads are not consecutive epochs of one directory";
        }

        var name = Encoding.UTF8.GetString(Items[2]);
        var configuration = configurations?.Invoke(name) ?? DirectoryConfigurations.Find(name);
        if (configuration is null)
        {
            return $"unknown directory configuration '{name}'";
        }

        try
        {
            var proof = AkdProofCodec.DecodeAppendOnlyProof(Items[3]);
            if (proof.Proofs.Count != 1 || proof.Epochs.Count != 1 || proof.Epochs[0] != a.Head.Epoch)
            {
                return null; // a proof that does not even cover these two epochs fails for them
            }

            AppendOnlyVerifier.Verify(configuration, [a.Head.Root, b.Head.Root], proof, a.Head.Epoch);
            return "the append-only proof verifies";
        }
        catch (MalformedInputException)
        {
            return null;
        }
        catch (VkdVerificationException)
        {
            return null;
        }
    }

    private string? VerifyWitnessEquivocation()
    {
        if (Items.Count != 4)
        {
            return "witness-equivocation evidence needs two heads and two co-signatures";
        }

        var witness = BlsPublicKey.Decode(Key);
        var first = EpochHead.Decode(Items[0]);
        var second = EpochHead.Decode(Items[2]);
        var firstSignature = CoSignature.Decode(Items[1]);
        var secondSignature = CoSignature.Decode(Items[3]);
        if (!firstSignature.Signer.Equals(witness) || !secondSignature.Signer.Equals(witness))
        {
            return "a co-signature is not by the accused witness";
        }

        if (!firstSignature.Verify(Items[0]) || !secondSignature.Verify(Items[2]))
        {
            return "a co-signature does not verify";
        }

        if (first.DirectoryId != second.DirectoryId || first.Epoch != second.Epoch)
        {
            return "the two co-signed heads are not for the same directory and epoch";
        }

        return first.Root == second.Root ? "the two co-signed heads have the same root" : null;
    }

    private (SignedEpochHead A, SignedEpochHead B)? TwoSignedHeads()
    {
        var a = SignedEpochHead.Decode(Items[0]);
        var b = SignedEpochHead.Decode(Items[1]);
        return a.VerifySignature(Key) && b.VerifySignature(Key) ? (a, b) : null;
    }
}
