// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;

namespace Chhaya.Witness;

/// <summary>The directory configurations a witness knows by name, as they appear in configuration and evidence.</summary>
public static class DirectoryConfigurations
{
    /// <summary>
    /// <c>whatsapp_v1</c>, or <c>experimental</c> with AKD's example domain label. A deployment of the
    /// experimental configuration with its own label passes a resolver of its own.
    /// </summary>
    public static VkdConfiguration? Find(string name) => name switch
    {
        "whatsapp_v1" => WhatsAppV1Configuration.Instance,
        "experimental" => ExperimentalConfiguration.Example,
        _ => null,
    };
}
