// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;

namespace Chhaya.Interop.Tests.Crypto;

/// <summary>Runs a script of tests/Chhaya.Interop.Tests/js/crypto with Node.js, bounded in time.</summary>
internal static class NodeRunner
{
    public static string ScriptDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        Assert.True(dir is not null, "Could not find Chhaya.sln above " + AppContext.BaseDirectory);
        var folder = Path.Combine(dir!.FullName, "tests", "Chhaya.Interop.Tests", "js", "crypto");
        Assert.True(
            Directory.Exists(Path.Combine(folder, "node_modules", "@noble")),
            $"node_modules is missing in {folder}: run `npm ci` in that folder before the interop tests.");
        return folder;
    }

    /// <summary>Runs <c>node script args</c> with <paramref name="stdin"/> and returns stdout; fails on a non-zero exit or timeout.</summary>
    public static string Run(string script, string stdin, TimeSpan timeout, params string[] args)
    {
        var folder = ScriptDirectory();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"node {script} did not finish within {timeout}.");
        }

        var stdout = stdoutTask.GetAwaiter().GetResult();
        var stderr = stderrTask.GetAwaiter().GetResult();
        Assert.True(process.ExitCode == 0, $"node {script} exited with {process.ExitCode}: {stderr}");
        return stdout;
    }
}
