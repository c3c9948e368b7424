// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Dashboard;

/// <summary>
/// The dashboard's tab icon, served from /favicon.svg. Without one every browser asks for /favicon.ico,
/// gets a 404 and logs it as an error on each reload; an inline data: icon would break the CSP's img-src 'self'.
/// </summary>
internal static class DashboardIcon
{
    public const string Path = "/favicon.svg";

    public const string Svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1b1f24"/><path d="M3.5 8.5l3 3 6-7" fill="none" stroke="#4caf50" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>""";
}
