// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Vkd.Verification;

/// <summary>A proof was well-formed but failed the check named by <see cref="Check"/>.</summary>
public sealed class VkdVerificationException : Exception
{
    public VkdVerificationException()
    {
    }

    public VkdVerificationException(string message)
        : base(message)
    {
    }

    public VkdVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VkdVerificationException(VkdCheck check, string message)
        : base($"{check}: {message}")
    {
        Check = check;
    }

    /// <summary>The check that failed.</summary>
    public VkdCheck Check { get; }

    internal static void Fail(VkdCheck check, string message) => throw new VkdVerificationException(check, message);
}
