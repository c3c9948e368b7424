// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using Chhaya.Node.Messaging;

namespace Chhaya.Node.Cli;

/// <summary>
/// <c>chhaya devnet --chat</c>: user-1 sends user-2 a message each round and the time until it is in user-2's inbox
/// is measured (both nodes in this process, one clock). The first message also pays for the directory lookup, its
/// verification and the PQXDH handshake, so it is reported on its own.
/// </summary>
internal sealed class DevnetChat(NodeMessenger sender, NodeMessenger recipient)
{
    private const string Recipient = "user-2";
    private readonly List<double> _latencies = [];
    private double? _first;
    private long _seen;
    private int _round;

    /// <summary>One message; returns the text to append to the progress line.</summary>
    public async Task<string> RoundAsync(CancellationToken cancellationToken)
    {
        var text = $"devnet message {++_round}";
        var clock = Stopwatch.StartNew();
        var sent = await sender.SendTextAsync(Recipient, text, cancellationToken);
        if (!sent.Ok)
        {
            return $"; message not sent yet ({sent.Status}: {sent.Detail})";
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var inbox = await recipient.InboxAsync(_seen, timeout.Token);
                if (inbox.FirstOrDefault(m => m.Text == text) is { } arrived)
                {
                    _seen = arrived.Id;
                    break;
                }

                await Task.Delay(2, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"; message {_round} not in {Recipient}'s inbox after 30 s ({sent.Status})";
        }

        var ms = clock.Elapsed.TotalMilliseconds;
        if (_first is null)
        {
            _first = ms;
        }
        else
        {
            _latencies.Add(ms);
        }

        if (_latencies.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"; first message (lookup, proof and certificate checks, PQXDH) {ms:0} ms");
        }

        var sorted = _latencies.Order().ToList();
        var median = sorted[sorted.Count / 2];
        var p99 = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.99) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"; message user-1 -> user-2 median {median:0.0} ms, p99 {p99:0.0} ms ({sorted.Count} messages; first {_first:0} ms)");
    }
}
