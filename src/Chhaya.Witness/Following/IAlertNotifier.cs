// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Witness.Following;

/// <summary>Something the operator must hear about: evidence of misbehaviour, or a stalled directory.</summary>
/// <param name="Kind">The evidence kind (<c>conflicting-heads</c>, …) or <c>stall</c>.</param>
/// <param name="Severity"><c>critical</c> or <c>warning</c>.</param>
/// <param name="DirectoryId">The directory concerned, in hex.</param>
/// <param name="Epoch">The epoch concerned.</param>
/// <param name="Summary">What happened.</param>
/// <param name="Evidence">The encoded evidence bundle, when there is one.</param>
public sealed record WitnessAlert(string Kind, string Severity, string DirectoryId, ulong Epoch, string Summary, byte[]? Evidence);

/// <summary>Tells the world outside the node (webhooks, pagers) about alerts. Must not block the caller.</summary>
public interface IAlertNotifier
{
    void Notify(WitnessAlert alert);
}

/// <summary>Notifies nobody.</summary>
public sealed class NoAlertNotifier : IAlertNotifier
{
    public static readonly NoAlertNotifier Instance = new();

    public void Notify(WitnessAlert alert)
    {
    }
}
