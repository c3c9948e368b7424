// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Addressing;

/// <summary>One (protocol, value) pair of a multiaddr; the value is in its binary form.</summary>
public readonly record struct MultiaddrComponent(MultiaddrProtocol Protocol, ReadOnlyMemory<byte> Value);
