// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Running;

namespace Chhaya.Benchmarks;

/// <summary>Runs the benchmarks named on the command line, e.g. <c>--filter '*Aead*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
