// SPDX-License-Identifier: AGPL-3.0-or-later
// The node tests check Unix file modes and Unix domain sockets.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
