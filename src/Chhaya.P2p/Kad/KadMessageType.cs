// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Kad;

/// <summary>The <c>Message.MessageType</c> enum of the libp2p Kademlia spec (kad-dht/README.md, "RPC messages").</summary>
public enum KadMessageType
{
    PutValue = 0,
    GetValue = 1,
    AddProvider = 2,
    GetProviders = 3,
    FindNode = 4,

    /// <summary>Deprecated by the spec: answered for compatibility, never sent.</summary>
    Ping = 5,
}

/// <summary>The <c>Message.ConnectionType</c> enum: what the sender knows about its connection to a peer.</summary>
public enum KadConnectionType
{
    NotConnected = 0,
    Connected = 1,
    CanConnect = 2,
    CannotConnect = 3,
}
