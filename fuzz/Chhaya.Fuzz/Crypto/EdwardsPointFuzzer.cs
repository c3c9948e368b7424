// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;

namespace Chhaya.Fuzz.Crypto;

/// <summary>
/// Strict edwards25519 point decoding (through <see cref="EcVrf.IsValidPublicKey"/>) on every 32-byte window of
/// the input, and the X25519 function on the same bytes as a peer key. Neither may throw; X25519 must refuse
/// exactly when the shared secret would be zero.
/// </summary>
public sealed class EdwardsPointFuzzer : IFuzzer
{
    private static readonly Chhaya.Safety.SecretBytes PrivateKey = Chhaya.Safety.SecretBytes.CopyFrom(
        Convert.FromHexString("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"));

    public string Name => "crypto-point-decode";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        Span<byte> shared = stackalloc byte[32];
        for (var offset = 0; offset + 32 <= input.Length && offset < 32 * 8; offset += 32)
        {
            var window = input.Slice(offset, 32);
            _ = EcVrf.IsValidPublicKey(window);
            var agreed = X25519.TryAgree(PrivateKey, window, shared);
            if (agreed == (shared.IndexOfAnyExcept((byte)0) < 0))
            {
                throw new InvalidOperationException("X25519 must refuse exactly the all-zero shared secret.");
            }
        }

        _ = EcVrf.IsValidPublicKey(input);
    }
}
