// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;

namespace Chhaya.Node.Cli;

/// <summary>One request to a running node's admin channel, with the errors a user can act on.</summary>
internal static class AdminCall
{
    /// <summary>
    /// Sends the request and returns the JSON answer, or null after printing why not (no node running, or the
    /// node's problem detail) to standard error.
    /// </summary>
    public static async Task<JsonElement?> SendAsync(string? dataDir, Func<HttpClient, CancellationToken, Task<HttpResponseMessage>> request, CancellationToken cancellationToken)
    {
        var directory = NodeConfiguration.OpenDataDirectory(NodeConfiguration.Load(dataDir, []));
        using var client = Admin.AdminClient.Create(directory.AdminSocket);
        HttpResponseMessage response;
        try
        {
            response = await request(client, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is System.Net.Sockets.SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            await Console.Error.WriteLineAsync($"chhaya: no node is running with data directory {directory.Path} (nothing answers on {directory.AdminSocket}). Start one with 'chhaya run'.");
            return null;
        }

        using (response)
        {
            var body = response.Content.Headers.ContentLength == 0 ? (JsonElement?)null : await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return body ?? default;
            }

            var detail = body is { ValueKind: JsonValueKind.Object } b
                ? (b.TryGetProperty("detail", out var d) ? d.GetString() : b.TryGetProperty("Detail", out var d2) ? d2.GetString() : null)
                : null;
            await Console.Error.WriteLineAsync($"chhaya: {detail ?? $"the node answered {(int)response.StatusCode} {response.ReasonPhrase}"}");
            return null;
        }
    }
}
