// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Witness;
using Chhaya.Witness.Protocol;

namespace Chhaya.Node.Witnessing;

/// <summary>
/// Asks a directory's configured sources, in order, over <c>/chhaya/vkd/audit/1.0.0</c>, reusing open
/// connections and dialing when there is none. Answers are untrusted: the witness checks everything.
/// </summary>
public sealed class PeerDirectorySource(Libp2pHost host, Digest directoryId, IReadOnlyList<Multiaddr> sources) : IDirectorySource
{
    public async Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var source in sources)
        {
            try
            {
                var connection = await ConnectAsync(source, cancellationToken).ConfigureAwait(false);
                var head = await new Libp2pDirectorySource(host, connection, directoryId, timeout: TimeSpan.FromSeconds(10)).GetHeadAsync(epoch, cancellationToken).ConfigureAwait(false);
                if (head is not null)
                {
                    return head;
                }
            }
            catch (Exception e) when (IsPeerFailure(e))
            {
                failures.Add($"{source}: {e.Message}");
            }
        }

        return failures.Count == sources.Count && failures.Count > 0
            ? throw new IOException($"No source of directory {directoryId.ToHex()} answered: {string.Join("; ", failures)}")
            : null;
    }

    public async Task<byte[]> GetAppendOnlyProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var source in sources)
        {
            try
            {
                var connection = await ConnectAsync(source, cancellationToken).ConfigureAwait(false);
                return await new Libp2pDirectorySource(host, connection, directoryId).GetAppendOnlyProofAsync(fromEpoch, toEpoch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsPeerFailure(e))
            {
                failures.Add($"{source}: {e.Message}");
            }
        }

        throw new IOException(sources.Count == 0
            ? $"Directory {directoryId.ToHex()} has no configured sources (Witness:Directories:N:Sources)."
            : $"No source of directory {directoryId.ToHex()} served the proof: {string.Join("; ", failures)}");
    }

    private async Task<Libp2pConnection> ConnectAsync(Multiaddr source, CancellationToken cancellationToken)
    {
        var peer = source.PeerId;
        var open = host.Connections.FirstOrDefault(c => !c.IsClosed && c.RemotePeer.Equals(peer));
        return open ?? await host.DialAsync(source, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsPeerFailure(Exception e) =>
        e is IOException or TimeoutException or MalformedInputException or InvalidOperationException or System.Net.Sockets.SocketException or DialBackoffException;
}
