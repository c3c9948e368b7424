// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Running;

namespace Chhaya.Benchmarks;

/// <summary>Runs the benchmarks named on the command line, e.g. <c>--filter '*Aead*'</c>, the audit peak-memory probe (<c>audit-memory …</c>), or the gossipsub propagation probe (<c>gossipsub-propagation …</c>).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["audit-memory", .. var rest])
        {
            return Vkd.AuditMemoryProbe.Run(rest);
        }

        if (args is ["gossipsub-propagation", .. var gossipArgs])
        {
            return Pubsub.GossipsubPropagationProbe.Run(gossipArgs);
        }

        if (args is ["witness-throughput", .. var witnessArgs])
        {
            return Witness.WitnessThroughputProbe.Run(witnessArgs);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
