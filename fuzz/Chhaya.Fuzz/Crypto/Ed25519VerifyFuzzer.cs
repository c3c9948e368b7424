// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;

namespace Chhaya.Fuzz.Crypto;

/// <summary>
/// Strict Ed25519 verification on arbitrary bytes: input = public key (32) ‖ signature (64) ‖ message.
/// Verify must return a bool for anything, never throw. Short inputs are split as far as they go.
/// </summary>
public sealed class Ed25519VerifyFuzzer : IFuzzer
{
    public string Name => "crypto-ed25519-verify";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        var pk = input[..Math.Min(32, input.Length)];
        var rest = input[pk.Length..];
        var sig = rest[..Math.Min(64, rest.Length)];
        _ = Ed25519.Verify(pk, rest[sig.Length..], sig);
    }
}
