// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;

namespace Chhaya.Quorum.Tests;

/// <summary>Deterministic witness keys for the tests (KeyGen over fixed IKM), made once.</summary>
internal static class Witnesses
{
    public static readonly BlsSecretKey[] Keys = Enumerable.Range(0, 6)
        .Select(i => BlsSecretKey.KeyGen(Enumerable.Repeat((byte)(i + 1), 32).ToArray()))
        .ToArray();

    public static readonly WitnessMember[] Members = Keys
        .Select(k => new WitnessMember(k.PublicKey, k.ProvePossession()))
        .ToArray();

    /// <summary>The first five witnesses with threshold 3.</summary>
    public static readonly WitnessSet FiveOfThree = WitnessSet.Create(Members.Take(5), 3);

    public static readonly byte[] Head = "directory 7f, epoch 42, root 9c1e..."u8.ToArray();
}
