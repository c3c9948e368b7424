// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Node.Hosting;

namespace Chhaya.Node.Cli;

/// <summary>
/// The configuration stack for commands that do not start the whole node: appsettings.json beside the
/// executable, then <c>CHHAYA__</c> environment variables, then <c>--Section:Key=value</c> arguments.
/// </summary>
internal static class NodeConfiguration
{
    public static IConfiguration Load(string? dataDirectory, IReadOnlyList<string> arguments)
    {
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configuration.AddEnvironmentVariables("CHHAYA__");
        configuration.AddCommandLine([.. arguments]);
        if (dataDirectory is not null)
        {
            configuration[$"{NodeOptions.SectionName}:{nameof(NodeOptions.DataDirectory)}"] = dataDirectory;
        }

        return configuration;
    }

    public static DataDirectory OpenDataDirectory(IConfiguration configuration) =>
        DataDirectory.Open(configuration[$"{NodeOptions.SectionName}:{nameof(NodeOptions.DataDirectory)}"]);
}
