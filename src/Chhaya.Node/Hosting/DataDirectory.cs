// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Hosting;

/// <summary>
/// The node's private directory: identity key, SQLite file, admin socket. Created with mode 0700 so that
/// only the node's user can read keys or reach the admin socket.
/// </summary>
public sealed class DataDirectory
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private DataDirectory(string path) => Path = path;

    /// <summary>Absolute path of the directory.</summary>
    public string Path { get; }

    /// <summary>The identity key file.</summary>
    public string IdentityKeyFile => System.IO.Path.Combine(Path, "identity.key");

    /// <summary>The BLS witness key file.</summary>
    public string WitnessKeyFile => System.IO.Path.Combine(Path, "witness.key");

    /// <summary>The default SQLite database file.</summary>
    public string SqliteFile => System.IO.Path.Combine(Path, "chhaya.db");

    /// <summary>The admin channel's Unix domain socket.</summary>
    public string AdminSocket => System.IO.Path.Combine(Path, "admin.sock");

    /// <summary>The platform default: <c>$XDG_DATA_HOME/chhaya</c>, else <c>~/.local/share/chhaya</c>.</summary>
    public static string DefaultPath()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return System.IO.Path.Combine(root, "chhaya");
    }

    /// <summary>Resolves <paramref name="configured"/> (or the default), creates it if needed and tightens its mode.</summary>
    /// <exception cref="IOException">The directory cannot be created.</exception>
    public static DataDirectory Open(string? configured)
    {
        var path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? DefaultPath() : configured);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            if (!System.IO.Directory.Exists(path))
            {
                System.IO.Directory.CreateDirectory(path, PrivateDirectory);
            }

            File.SetUnixFileMode(path, PrivateDirectory);
        }

        return new DataDirectory(path);
    }
}
