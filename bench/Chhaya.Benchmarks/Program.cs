// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Running;

namespace Chhaya.Benchmarks;

/// <summary>Runs the benchmarks named on the command line, e.g. <c>--filter '*Aead*'</c>, or the audit peak-memory probe (<c>audit-memory …</c>).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["audit-memory", .. var rest])
        {
            return Vkd.AuditMemoryProbe.Run(rest);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
