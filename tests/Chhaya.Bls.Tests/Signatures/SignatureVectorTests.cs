// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;

namespace Chhaya.Bls.Tests.Signatures;

/// <summary>Every case of the Ethereum bls12-381-tests vectors for the POP ciphersuite.</summary>
public class SignatureVectorTests
{
    public static TheoryData<string> SignCases() => VectorFiles.SigCases("sign");

    public static TheoryData<string> VerifyCases() => VectorFiles.SigCases("verify");

    public static TheoryData<string> AggregateCases() => VectorFiles.SigCases("aggregate");

    public static TheoryData<string> FastAggregateVerifyCases() => VectorFiles.SigCases("fast_aggregate_verify");

    public static TheoryData<string> AggregateVerifyCases() => VectorFiles.SigCases("aggregate_verify");

    public static TheoryData<string> BatchVerifyCases() => VectorFiles.SigCases("batch_verify");

    [Theory]
    [MemberData(nameof(SignCases))]
    public void Sign(string name)
    {
        var v = VectorFiles.LoadSig(name);
        var input = v.GetProperty("input");
        var sk = VectorFiles.Hex(input.GetProperty("privkey").GetString());
        var msg = VectorFiles.Hex(input.GetProperty("message").GetString());
        var output = v.GetProperty("output");
        if (output.ValueKind == JsonValueKind.Null)
        {
            Assert.Throws<Safety.MalformedInputException>(() => BlsSecretKey.FromBytes(sk));
            return;
        }

        using var key = BlsSecretKey.FromBytes(sk);
        var signature = key.Sign(msg);
        Assert.Equal(VectorFiles.Hex(output.GetString()), signature.Bytes.ToArray());
        Assert.True(BlsSignatures.Verify(key.PublicKey, msg, signature));
    }

    [Theory]
    [MemberData(nameof(VerifyCases))]
    public void Verify(string name)
    {
        var v = VectorFiles.LoadSig(name);
        var input = v.GetProperty("input");
        var result = BlsSignatures.Verify(
            VectorFiles.Hex(input.GetProperty("pubkey").GetString()),
            VectorFiles.Hex(input.GetProperty("message").GetString()),
            VectorFiles.Hex(input.GetProperty("signature").GetString()));
        Assert.Equal(v.GetProperty("output").GetBoolean(), result);
    }

    [Theory]
    [MemberData(nameof(AggregateCases))]
    public void Aggregate(string name)
    {
        var v = VectorFiles.LoadSig(name);
        var output = v.GetProperty("output");
        var inputs = v.GetProperty("input").EnumerateArray().Select(e => VectorFiles.Hex(e.GetString())).ToList();
        if (output.ValueKind == JsonValueKind.Null)
        {
            // The only null case is the empty list; an undecodable signature would be null too.
            Assert.Throws<ArgumentException>(() => BlsSignatures.Aggregate(inputs.Select(b => BlsSignature.Decode(b)).ToList()));
            return;
        }

        var aggregate = BlsSignatures.Aggregate(inputs.Select(b => BlsSignature.Decode(b)).ToList());
        Assert.Equal(VectorFiles.Hex(output.GetString()), aggregate.Bytes.ToArray());
    }

    [Theory]
    [MemberData(nameof(FastAggregateVerifyCases))]
    public void Fast_aggregate_verify(string name)
    {
        var v = VectorFiles.LoadSig(name);
        var input = v.GetProperty("input");
        var expected = v.GetProperty("output").GetBoolean();
        var result = TryKeys(input.GetProperty("pubkeys"), out var keys)
            && BlsSignature.TryDecode(VectorFiles.Hex(input.GetProperty("signature").GetString()), out var sig) == PointDecodeStatus.Ok
            && BlsSignatures.FastAggregateVerify(keys, VectorFiles.Hex(input.GetProperty("message").GetString()), sig!);
        Assert.Equal(expected, result);
    }

    [Theory]
    [MemberData(nameof(AggregateVerifyCases))]
    public void Aggregate_verify(string name)
    {
        var v = VectorFiles.LoadSig(name);
        var input = v.GetProperty("input");
        var expected = v.GetProperty("output").GetBoolean();
        var messages = input.GetProperty("messages").EnumerateArray().Select(e => VectorFiles.Hex(e.GetString())).ToList();
        var result = TryKeys(input.GetProperty("pubkeys"), out var keys)
            && BlsSignature.TryDecode(VectorFiles.Hex(input.GetProperty("signature").GetString()), out var sig) == PointDecodeStatus.Ok
            && BlsSignatures.AggregateVerify(keys, messages, sig!);
        Assert.Equal(expected, result);
    }

    [Theory]
    [MemberData(nameof(BatchVerifyCases))]
    public void Batch_verify(string name)
    {
        var v = VectorFiles.LoadSig(name);
        var input = v.GetProperty("input");
        var expected = v.GetProperty("output").GetBoolean();
        var messages = input.GetProperty("messages").EnumerateArray().Select(e => VectorFiles.Hex(e.GetString())).ToList();
        var signatures = new List<BlsSignature>();
        var decoded = TryKeys(input.GetProperty("pubkeys"), out var keys);
        foreach (var s in input.GetProperty("signatures").EnumerateArray())
        {
            decoded &= BlsSignature.TryDecode(VectorFiles.Hex(s.GetString()), out var sig) == PointDecodeStatus.Ok;
            if (sig is not null)
            {
                signatures.Add(sig);
            }
        }

        var result = decoded && BlsSignatures.BatchVerify(keys, messages, signatures);
        Assert.Equal(expected, result);
        if (decoded)
        {
            // Checking each triple alone must agree with the batch.
            var each = keys.Select((k, i) => BlsSignatures.Verify(k, messages[i], signatures[i])).All(ok => ok);
            Assert.Equal(expected, each);
        }
    }

    private static bool TryKeys(JsonElement array, out List<BlsPublicKey> keys)
    {
        keys = [];
        foreach (var e in array.EnumerateArray())
        {
            if (BlsPublicKey.TryDecode(VectorFiles.Hex(e.GetString()), out var key) != PointDecodeStatus.Ok)
            {
                return false;
            }

            keys.Add(key!);
        }

        return true;
    }
}
