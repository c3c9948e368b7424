// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Identity;

/// <summary>The <c>KeyType</c> enum of the libp2p peer-ids spec (<c>keys.proto</c>).</summary>
public enum KeyType
{
    Rsa = 0,
    Ed25519 = 1,
    Secp256k1 = 2,
    Ecdsa = 3,
}
