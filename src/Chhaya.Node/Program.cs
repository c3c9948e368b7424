// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node;

public static class Program
{
    public static int Main() => 0;
}
