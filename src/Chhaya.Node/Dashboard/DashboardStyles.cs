// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Dashboard;

/// <summary>The dashboard's stylesheet, served from /dashboard.css because the CSP allows no inline style.</summary>
internal static class DashboardStyles
{
    public const string Stylesheet = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
        header, main, footer { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem; }
        header h1 { margin: 0.5rem 0 0.25rem; }
        .id code { word-break: break-all; }
        .critical { background: #b71c1c; color: #fff; padding: 1rem 1.5rem; border-bottom: 4px solid #7f0000; }
        .critical h2 { margin: 0 0 0.5rem; font-size: 1.4rem; }
        .critical ul { margin: 0; padding-left: 1.2rem; }
        .critical li { margin: 0.5rem 0; }
        .critical a, .critical code { color: #fff; }
        .alarm { border-left: 4px solid #c62828; padding-left: 1rem; }
        .counts { display: flex; flex-wrap: wrap; gap: 1rem; }
        .counts div { background: #fff; border: 1px solid #d8dde3; border-radius: 6px; padding: 0.75rem 1rem; min-width: 9rem; }
        .counts .n { display: block; font-size: 1.6rem; font-weight: 600; }
        .counts .l { color: #57606a; }
        .directory { background: #fff; border: 1px solid #d8dde3; border-radius: 6px; padding: 0.5rem 1rem 1rem; margin-bottom: 1rem; }
        .directory dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
        .directory dt { color: #57606a; }
        .directory dd { margin: 0; word-break: break-all; }
        .status { font-size: 0.85rem; padding: 0.1rem 0.5rem; border-radius: 1rem; color: #fff; vertical-align: middle; }
        .status.ok { background: #2e7d32; }
        .status.waiting { background: #6e7781; }
        .status.stalled { background: #b26a00; }
        .status.equivocation { background: #c62828; }
        .chart { width: 100%; max-width: 40rem; height: auto; display: block; }
        .chart .axis { fill: none; stroke: #8c959f; stroke-width: 1; }
        .chart .line { fill: none; stroke: #0969da; stroke-width: 1.5; }
        .chart .certified { fill: #2e7d32; }
        .chart .uncertified { fill: #fff; stroke: #b26a00; stroke-width: 1.5; }
        .chart text { font-size: 10px; fill: #57606a; }
        .legend { color: #57606a; font-size: 0.85rem; }
        .dot { display: inline-block; width: 0.7rem; height: 0.7rem; border-radius: 50%; vertical-align: middle; }
        .dot.certified { background: #2e7d32; }
        .dot.uncertified { background: #fff; border: 1.5px solid #b26a00; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #e3e7eb; }
        /* Long ids in messages may break anywhere, so a table never grows past the page; times sit in the
           last column (the evidence table's second to last) and stay on one line. */
        td.msg { overflow-wrap: anywhere; min-width: 12rem; }
        td:last-child, .alarm td:nth-last-child(2) { white-space: nowrap; }
        .empty { background: #fff; border: 1px dashed #b8c0c8; padding: 1rem; border-radius: 6px; }
        footer { color: #57606a; font-size: 0.9rem; }
        """;
}
