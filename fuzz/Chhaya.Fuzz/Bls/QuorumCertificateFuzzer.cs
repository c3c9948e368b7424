// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Quorum;

namespace Chhaya.Fuzz.Bls;

/// <summary>
/// Quorum certificate and co-signature decoding: only <see cref="QuorumException"/> may escape, and an
/// accepted certificate re-encodes to exactly its input.
/// </summary>
public sealed class QuorumCertificateFuzzer : IFuzzer
{
    public string Name => "quorum-certificate";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        try
        {
            var certificate = QuorumCertificate.Decode(input);
            if (!input.SequenceEqual(certificate.Encode()))
            {
                throw new InvalidOperationException("A quorum certificate did not re-encode to its own bytes.");
            }
        }
        catch (QuorumException)
        {
            // The documented rejection.
        }

        try
        {
            _ = CoSignature.Decode(input);
        }
        catch (QuorumException)
        {
            // The documented rejection.
        }
    }
}
