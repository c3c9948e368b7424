// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Integrations;
using Chhaya.LogStore.Storage;
using Chhaya.Node.Witnessing;
using Chhaya.P2p.Hosting;
using Chhaya.Vkd.Epochs;
using Chhaya.Witness.Protocol;

namespace Chhaya.Node.Messaging;

/// <summary>
/// Asks a directory's configured sources, in order, for a lookup over <c>/chhaya/vkd/lookup/1.0.0</c>. When the
/// answer carries no quorum certificate (the directory's newest epoch is usually a moment ahead of its quorum), the
/// certificate this node itself gathered for that epoch as a follower of the directory is attached, waiting a few
/// seconds for it to form. Everything stays untrusted: the handshake resolver verifies head, certificate and proof.
/// </summary>
public sealed class DirectoryLookupSource(Libp2pHost host, ConfiguredDirectory directory, LogStoreContextFactory contexts, TimeProvider time) : ILookupSource
{
    private static readonly TimeSpan PerSource = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CertificateWait = TimeSpan.FromSeconds(5);

    public async Task<LookupAnswer?> FetchAsync(ReadOnlyMemory<byte> label, CancellationToken cancellationToken)
    {
        if (directory.Sources.Count == 0)
        {
            throw new LookupUnavailableException($"Directory {directory.Name} has no configured sources (Witness:Directories:N:Sources) to ask for lookups.");
        }

        var failures = new List<string>();
        foreach (var address in directory.Sources)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(PerSource);
                var connection = await host.DialAsync(address, timeout.Token).ConfigureAwait(false);
                var answer = await new Libp2pLookupSource(host, connection, directory.Directory.DirectoryId, PerSource).FetchAsync(label, timeout.Token).ConfigureAwait(false);
                return answer is null || answer.QuorumCertificate is { Length: > 0 } ? answer : await WithLocalCertificateAsync(answer, cancellationToken).ConfigureAwait(false);
            }
            catch (LookupUnavailableException e)
            {
                failures.Add($"{address}: {e.Message}");
            }
            catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException or DialBackoffException or InvalidOperationException or Chhaya.Safety.MalformedInputException
                or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{address}: {e.Message}");
            }
        }

        throw new LookupUnavailableException($"No source of directory {directory.Name} answered the lookup: {string.Join("; ", failures)}");
    }

    private async Task<LookupAnswer> WithLocalCertificateAsync(LookupAnswer answer, CancellationToken cancellationToken)
    {
        ulong epoch;
        try
        {
            epoch = SignedEpochHead.Decode(answer.SignedHead.Span).Head.Epoch;
        }
        catch (Chhaya.Safety.MalformedInputException)
        {
            return answer; // The resolver reports the malformed head.
        }

        if (epoch > long.MaxValue)
        {
            return answer;
        }

        var key = directory.Directory.Key;
        var deadline = time.GetUtcNow() + CertificateWait;
        while (true)
        {
            using (var db = contexts.Create())
            {
                var certificate = await db.FirstCertificateAsync(key, epoch, cancellationToken).ConfigureAwait(false);
                if (certificate is not null)
                {
                    return answer with { QuorumCertificate = certificate };
                }
            }

            if (time.GetUtcNow() >= deadline)
            {
                return answer;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
