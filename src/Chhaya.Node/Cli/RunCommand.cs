// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;
using Chhaya.Node.Hosting;
using Chhaya.Node.Identity;
using Chhaya.LogStore.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Chhaya.Node.Cli;

/// <summary><c>chhaya run</c>: the long-running node.</summary>
internal static partial class RunCommand
{
    public static Command Create()
    {
        var dataDir = ChhayaCli.DataDirOption();
        var urls = new Option<string?>("--urls")
        {
            Description = $"Where the read-only HTTP dashboard and API listen (default {NodeHost.DefaultUrls}).",
        };
        var p2pListen = new Option<string?>("--p2p-listen")
        {
            Description = "The multiaddr libp2p listens on (default /ip4/0.0.0.0/tcp/4001).",
        };
        var command = new Command("run", "Run the node: witness, auditor and read-only dashboard. Extra --Section:Key=value arguments override configuration.")
        {
            dataDir,
            urls,
            p2pListen,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var arguments = new NodeRunArguments(parse.GetValue(dataDir), parse.GetValue(urls), parse.UnmatchedTokens, parse.GetValue(p2pListen));
            return await RunAsync(arguments, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(NodeRunArguments arguments, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = NodeHost.Build(arguments);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync($"chhaya: cannot start: {e.Message}");
            return 1;
        }

        await using (app)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Chhaya.Node");
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStartFailed(logger, e.Message);
                await Console.Error.WriteLineAsync($"chhaya: cannot start: {e.Message}");
                return 1;
            }

            var identity = app.Services.GetRequiredService<NodeIdentity>();
            var dataDirectory = app.Services.GetRequiredService<DataDirectory>();
            var storage = app.Services.GetRequiredService<LogStoreContextFactory>().Describe();
            var addresses = string.Join(", ", app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
            LogStarted(logger, identity.PublicKeyHex, identity.Created ? "new" : "existing", dataDirectory.Path, storage, addresses);

            try
            {
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: a normal stop.
            }

            await app.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Chhaya node started. Identity {PublicKey} ({Which}); data directory {DataDirectory}; history in {Storage}; dashboard and API at {Addresses}")]
    private static partial void LogStarted(ILogger logger, string publicKey, string which, string dataDirectory, string storage, string addresses);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Critical, Message = "The node could not start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason);
}
