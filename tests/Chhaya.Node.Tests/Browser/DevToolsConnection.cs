// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Chhaya.Node.Tests.Browser;

/// <summary>One event the browser pushed: its method, parameters and the session (page) it came from.</summary>
internal sealed record DevToolsEvent(string Method, JsonObject Parameters, string? SessionId);

/// <summary>A command the browser answered with an error.</summary>
internal sealed class DevToolsException(string message) : Exception(message);

/// <summary>
/// A Chrome DevTools protocol client over one WebSocket: commands are JSON objects with an id, answered
/// by a message with the same id; everything else is an event, kept in arrival order so a test can
/// look at all of them afterwards. Sessions are "flattened": a page's commands carry its sessionId.
/// </summary>
internal sealed class DevToolsConnection : IAsyncDisposable
{
    /// <summary>Largest message accepted (a full-page screenshot in base64 is a few megabytes).</summary>
    private const int MaxMessageBytes = 64 << 20;

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly List<DevToolsEvent> _events = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;
    private int _nextId;

    private DevToolsConnection(ClientWebSocket socket)
    {
        _socket = socket;
    }

    public static async Task<DevToolsConnection> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new DevToolsConnection(socket);
        connection._reader = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
        return connection;
    }

    /// <summary>Every event received so far, in order.</summary>
    public IReadOnlyList<DevToolsEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Sends a command and waits for its answer; throws <see cref="DevToolsException"/> if the browser reports an error.</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters, string? sessionId, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            if (_reader.IsCompleted)
            {
                throw new DevToolsException($"{method}: the DevTools connection is closed.");
            }

            await _send.WaitAsync(cancellationToken);
            try
            {
                await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _send.Release();
            }

            var result = await answer.Task.WaitAsync(cancellationToken);
            if (result["error"] is JsonObject error)
            {
                throw new DevToolsException($"{method} failed: {error.ToJsonString()}");
            }

            return result["result"] as JsonObject ?? [];
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the events received so far.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<DevToolsEvent>, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (condition(_events))
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                message.SetLength(0);
                WebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    if (message.Length + received.Count > MaxMessageBytes)
                    {
                        throw new InvalidDataException($"A DevTools message exceeded {MaxMessageBytes} bytes.");
                    }

                    message.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage);

                Dispatch(JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length)) as JsonObject);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or InvalidDataException or System.Text.Json.JsonException)
        {
            // The browser went away or sent something unreadable: fail every waiting command.
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new DevToolsException("The DevTools connection closed: " + e.Message));
            }
        }
        finally
        {
            Pulse();
        }
    }

    private void Dispatch(JsonObject? message)
    {
        if (message is null)
        {
            return;
        }

        if (message["id"] is JsonValue idValue && idValue.TryGetValue<int>(out var id))
        {
            if (_pending.TryGetValue(id, out var answer))
            {
                answer.TrySetResult(message);
            }

            return;
        }

        if (message["method"]?.GetValue<string>() is { } method)
        {
            var parameters = message["params"] as JsonObject ?? [];
            message.Remove("params");
            lock (_lock)
            {
                _events.Add(new DevToolsEvent(method, parameters, message["sessionId"]?.GetValue<string>()));
            }

            Pulse();
        }
    }

    private void Pulse()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
        _send.Dispose();
    }
}
