namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>
/// The embedded data folder (database, admin key, KEK) is private to the service's user: the folder
/// mode 700, its files 600. Created so; an existing folder is tightened only when it is the
/// service's own data folder (an older version left it 755), never a folder the operator chose for
/// the database file, which may be shared.
/// </summary>
public static class DataFolder
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) with mode 700; sets 700 on an existing
    /// folder when <paramref name="tightenExisting"/>.
    /// </summary>
    public static void Create(string path, bool tightenExisting)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        var existed = Directory.Exists(path);
        Directory.CreateDirectory(path, Folder);
        if (!existed || tightenExisting)
        {
            System.IO.File.SetUnixFileMode(path, Folder);
        }
    }

    /// <summary>Sets mode 600 on <paramref name="file"/> and its SQLite companions (-wal, -shm, -journal) that exist.</summary>
    public static void Restrict(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        foreach (var f in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
        {
            if (System.IO.File.Exists(f))
            {
                System.IO.File.SetUnixFileMode(f, File);
            }
        }
    }
}
