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
/// Asks a directory's configured sources, in order, over <c>/chhaya/vkd/audit/1.0.0</c>; the host reuses
/// an open connection to a source and dials when there is none. Answers are untrusted: the witness checks
/// everything.
/// </summary>
public sealed class PeerDirectorySource(Libp2pHost host, Digest directoryId, IReadOnlyList<Multiaddr> sources) : IDirectorySource
{
    /// <summary>The first source's head; null when every source that answered has none.</summary>
    /// <exception cref="IOException">No source answered at all.</exception>
    public async Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken)
    {
        var (found, head, failures) = await AskAsync(
            async source => await source.GetHeadAsync(epoch, cancellationToken).ConfigureAwait(false) is { } h ? (true, h) : (false, null),
            TimeSpan.FromSeconds(10),
            cancellationToken).ConfigureAwait(false);
        var noneAnswered = !found && failures.Count > 0 && failures.Count == sources.Count;
        return noneAnswered
            ? throw new IOException($"No source of directory {directoryId.ToHex()} answered: {string.Join("; ", failures)}")
            : head;
    }

    /// <exception cref="IOException">No source served the proof.</exception>
    public async Task<byte[]> GetAppendOnlyProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken)
    {
        var (found, proof, failures) = await AskAsync(
            async source => (true, await source.GetAppendOnlyProofAsync(fromEpoch, toEpoch, cancellationToken).ConfigureAwait(false)),
            timeout: null,
            cancellationToken).ConfigureAwait(false);
        return found
            ? proof!
            : throw new IOException(sources.Count == 0
                ? $"Directory {directoryId.ToHex()} has no configured sources (Witness:Directories:N:Sources)."
                : $"No source of directory {directoryId.ToHex()} served the proof: {string.Join("; ", failures)}");
    }

    /// <summary>Tries the sources in order until one has what is asked; collects why the others failed.</summary>
    private async Task<(bool Found, T? Value, List<string> Failures)> AskAsync<T>(Func<Libp2pDirectorySource, Task<(bool Found, T? Value)>> ask, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var address in sources)
        {
            try
            {
                var connection = await host.DialAsync(address, cancellationToken).ConfigureAwait(false);
                var (found, value) = await ask(new Libp2pDirectorySource(host, connection, directoryId, timeout: timeout)).ConfigureAwait(false);
                if (found)
                {
                    return (true, value, failures);
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or MalformedInputException or InvalidOperationException or System.Net.Sockets.SocketException or DialBackoffException)
            {
                failures.Add($"{address}: {e.Message}");
            }
        }

        return (false, default, failures);
    }
}
