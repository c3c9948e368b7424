// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Node.Messaging;
using Chhaya.Node.Producer;

namespace Chhaya.Node.Admin;

/// <summary>A message to send, as <c>chhaya msg send</c> posts it.</summary>
public sealed record SendRequest(string Handle, string Text);

/// <summary>A directory update for a producer node: a label (UTF-8) and its new value (hex).</summary>
public sealed record DirectoryUpdateRequest(string Label, string Value);

/// <summary>Admin routes for the local messaging user and, on a producer node, directory updates. Private data: admin channel only.</summary>
internal static class MessagingAdminEndpoints
{
    private const string NoUser = "This node has no messaging user: set Messaging:Handle (and the directory it is bound in) and restart it.";

    public static void Map(RouteGroupBuilder admin, IServiceProvider node)
    {
        var messenger = node.GetRequiredService<NodeMessenger>();
        admin.MapGet("/msg/whoami", () => messenger.WhoAmI() is { } me ? Results.Ok(me) : Results.Problem(NoUser, statusCode: 409));
        admin.MapPost("/msg/send", async (SendRequest request, CancellationToken cancellationToken) =>
        {
            var outcome = await messenger.SendTextAsync(request.Handle ?? "", request.Text ?? "", cancellationToken);
            return outcome.Ok ? Results.Ok(outcome) : Results.UnprocessableEntity(outcome);
        });
        admin.MapGet("/msg/inbox", async (long? after, CancellationToken cancellationToken) =>
            messenger.Handle is null ? Results.Problem(NoUser, statusCode: 409) : Results.Ok(await messenger.InboxAsync(after ?? 0, cancellationToken)));
        admin.MapGet("/msg/sent", async (CancellationToken cancellationToken) =>
            messenger.Handle is null ? Results.Problem(NoUser, statusCode: 409) : Results.Ok(await messenger.SentAsync(cancellationToken)));
        admin.MapGet("/contacts", async (CancellationToken cancellationToken) =>
            messenger.Handle is null ? Results.Problem(NoUser, statusCode: 409) : Results.Ok(await messenger.ContactsAsync(cancellationToken)));
        admin.MapPost("/contacts/{handle}/accept", async (string handle, CancellationToken cancellationToken) =>
            await messenger.AcceptKeyChangeAsync(handle, cancellationToken)
                ? Results.Ok(new { handle, accepted = true })
                : Results.Problem($"No key change of {handle} waits for acceptance.", statusCode: 409));
        admin.MapGet("/safety-number/{handle}", async (string handle, bool? pending, CancellationToken cancellationToken) =>
            await messenger.SafetyNumberAsync(handle, pending ?? false, cancellationToken) is { } number
                ? Results.Ok(new { handle, safetyNumber = number })
                : Results.Problem($"No {(pending == true ? "pending " : "")}key of {handle} is known: the directory has no binding for it, or it could not be asked.", statusCode: 404));

        admin.MapPost("/directory/updates", (DirectoryUpdateRequest request) =>
        {
            var producer = node.GetRequiredService<ProducerService>();
            if (!producer.Enabled)
            {
                return Results.Problem("This node does not run a directory (Producer:Enabled=false).", statusCode: 409);
            }

            byte[] value;
            try
            {
                value = Convert.FromHexString(request.Value ?? "");
            }
            catch (FormatException)
            {
                return Results.Problem("The value must be hex.", statusCode: 400);
            }

            var label = Encoding.UTF8.GetBytes(request.Label ?? "");
            if (label.Length is 0 or > Chhaya.Witness.Protocol.LookupProtocol.MaxLabelLength || value.Length is 0 or > 4096)
            {
                return Results.Problem($"A label is 1 to {Chhaya.Witness.Protocol.LookupProtocol.MaxLabelLength} UTF-8 bytes and a value 1 to 4096 bytes.", statusCode: 400);
            }

            return producer.Enqueue(label, value)
                ? Results.Accepted(value: new { queued = true, label = request.Label })
                : Results.Problem("The update queue is full; try again after the next epoch.", statusCode: 503);
        });
    }
}
