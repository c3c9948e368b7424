// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chhaya.Interop.Tests.Bls;

/// <summary>
/// Runs js/bls/bls-oracle.mjs (noble-curves and native blst) with one JSON request and returns its answer.
/// </summary>
internal static class BlsOracle
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static JsonNode Run(JsonObject request)
    {
        var folder = ScriptFolder();
        var modules = Path.Combine(folder, "node_modules");
        Assert.True(
            Directory.Exists(Path.Combine(modules, "@noble", "curves")) && Directory.Exists(Path.Combine(modules, "@chainsafe", "blst")),
            $"The BLS interop test needs its npm packages: run `npm ci` in {folder}.");

        var start = new ProcessStartInfo("node", "bls-oracle.mjs")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("bls-oracle.mjs did not finish in time.");
        }

        Assert.True(process.ExitCode == 0, $"bls-oracle.mjs failed ({process.ExitCode}): {stderr.Result}");
        return JsonNode.Parse(stdout.Result) ?? throw new JsonException("empty answer from bls-oracle.mjs");
    }

    private static string ScriptFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        Assert.True(dir is not null, "Could not find Chhaya.sln above the test assembly.");
        return Path.Combine(dir!.FullName, "tests", "Chhaya.Interop.Tests", "js", "bls");
    }
}
