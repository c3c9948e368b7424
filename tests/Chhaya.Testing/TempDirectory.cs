// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Testing;

/// <summary>A private temporary directory removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("chhaya-test-").FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a stopping server; the OS temp cleaner gets it.
        }
    }
}
