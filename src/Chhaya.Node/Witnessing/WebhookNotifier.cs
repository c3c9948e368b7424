// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Chhaya.Witness.Following;
using Microsoft.Extensions.Options;

namespace Chhaya.Node.Witnessing;

/// <summary>What a webhook receives, as JSON.</summary>
public sealed record WebhookPayload(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("directory")] string Directory,
    [property: JsonPropertyName("epoch")] ulong Epoch,
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("evidence")] string? EvidenceBase64,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("time")] DateTimeOffset Time);

/// <summary>
/// POSTs every alert to the configured webhooks, off the witness's path: alerts queue in a bounded channel
/// (the oldest is dropped, and logged, if a receiver is down for long), each POST has a timeout and a few
/// retries with back-off. Evidence is sent whole, so a receiver can verify it without asking the node.
/// </summary>
public sealed partial class WebhookNotifier : BackgroundService, IAlertNotifier
{
    private const int QueueLength = 256;
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)];

    private readonly Channel<WitnessAlert> _queue;
    private readonly List<Uri> _targets;
    private readonly HttpClient _http;
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookNotifier> _logger;

    public WebhookNotifier(IOptions<WitnessOptions> options, Identity.NodeIdentity identity, TimeProvider time, ILogger<WebhookNotifier> logger, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        _targets = Parse(options.Value.Webhooks);
        _queue = Channel.CreateBounded<WitnessAlert>(
            new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => LogDropped(_logger!, dropped.Kind, dropped.DirectoryId));
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(5);
        _node = identity.PublicKeyHex;
        _time = time;
        _logger = logger;
    }

    /// <summary>The URLs alerts go to.</summary>
    public IReadOnlyList<Uri> Targets => _targets;

    public void Notify(WitnessAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (_targets.Count > 0)
        {
            _queue.Writer.TryWrite(alert);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var alert in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            var payload = new WebhookPayload(alert.Kind, alert.Severity, alert.DirectoryId, alert.Epoch, alert.Summary,
                alert.Evidence is null ? null : Convert.ToBase64String(alert.Evidence), _node, _time.GetUtcNow());
            foreach (var target in _targets)
            {
                await DeliverAsync(target, payload, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(Uri target, WebhookPayload payload, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            string failure;
            try
            {
                using var response = await _http.PostAsJsonAsync(target, payload, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    LogDelivered(_logger, payload.Kind, target);
                    return;
                }

                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failure = e.Message;
            }

            if (attempt >= Backoff.Length)
            {
                LogFailed(_logger, payload.Kind, target, attempt + 1, failure);
                return;
            }

            await Task.Delay(Backoff[attempt], _time, cancellationToken);
        }
    }

    private static List<Uri> Parse(IEnumerable<string> urls)
    {
        var targets = new List<Uri>();
        foreach (var text in urls.Where(u => !string.IsNullOrWhiteSpace(u)))
        {
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new InvalidOperationException($"{WitnessOptions.SectionName}:Webhooks entry '{text}' is not an absolute http(s) URL.");
            }

            targets.Add(uri);
        }

        return targets;
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Alert {Kind} delivered to webhook {Target}")]
    private static partial void LogDelivered(ILogger logger, string kind, Uri target);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Alert {Kind} could not be delivered to webhook {Target} after {Attempts} attempts: {Failure}")]
    private static partial void LogFailed(ILogger logger, string kind, Uri target, int attempts, string failure);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Webhook queue full: alert {Kind} for directory {Directory} was dropped undelivered (it is still in the store)")]
    private static partial void LogDropped(ILogger logger, string kind, string directory);
}
