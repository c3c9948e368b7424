// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Node.Cli;

namespace Chhaya.Node;

/// <summary>The <c>chhaya</c> executable.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => ChhayaCli.Build().Parse(args).InvokeAsync();
}
