// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;

namespace Chhaya.Bls;

/// <summary>
/// The ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ of draft-irtf-cfrg-bls-signature-05
/// (section 4.2.3): minimal-pubkey-size (public keys in G1, signatures in G2), proof of possession.
/// </summary>
public static class Ciphersuite
{
    /// <summary>The domain separation tag for signatures (section 4.2.3).</summary>
    public const string SignatureDst = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    /// <summary>The domain separation tag for proofs of possession (section 4.2.3).</summary>
    public const string PopDst = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    internal static readonly byte[] SignatureDstBytes = Encoding.ASCII.GetBytes(SignatureDst);

    internal static readonly byte[] PopDstBytes = Encoding.ASCII.GetBytes(PopDst);
}
