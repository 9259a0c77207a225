using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>The current KEK, which wraps every new data key, and former ones still able to unwrap (rotation).</summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, IKeyEncryptionKey> _byId;

    /// <summary>A ring of <paramref name="current"/> and the former <paramref name="previous"/>.</summary>
    public KeyRing(IKeyEncryptionKey current, IEnumerable<IKeyEncryptionKey>? previous = null)
    {
        Current = current;
        _byId = new Dictionary<string, IKeyEncryptionKey>(StringComparer.Ordinal) { [current.Id] = current };
        foreach (var p in previous ?? [])
        {
            _byId.TryAdd(p.Id, p);
        }
    }

    /// <summary>The KEK that wraps new keys.</summary>
    public IKeyEncryptionKey Current { get; }

    /// <summary>Ids of every KEK of the ring.</summary>
    public IReadOnlyCollection<string> Ids => _byId.Keys;

    /// <summary>The KEK named <paramref name="kekId"/>, or null when the configuration does not hold it.</summary>
    public IKeyEncryptionKey? Find(string kekId) => _byId.GetValueOrDefault(kekId);

    /// <summary>
    /// Loads the KEKs of <paramref name="options"/>; with none configured, creates a random one in
    /// <paramref name="dataDirectory"/> (mode 600) on first start and says so once.
    /// </summary>
    public static KeyRing Load(PersonalDataOptions options, string dataDirectory, ILogger logger)
    {
        AeadCipher.KeySize(options.Algorithm); // an unknown algorithm stops the start here
        var previous = options.PreviousKekFiles.Select(f => LocalKeyEncryptionKey.FromBase64(File.ReadAllText(f), f)).ToArray();
        if (options.Kek is { Length: > 0 } inline)
        {
            return new KeyRing(LocalKeyEncryptionKey.FromBase64(inline, "PersonalData:Kek"), previous);
        }
        var path = options.KekFile is { Length: > 0 } configured ? configured : Path.Combine(dataDirectory, "kek");
        if (!File.Exists(path))
        {
            if (options.KekFile is { Length: > 0 })
            {
                throw new InvalidOperationException($"PersonalData:KekFile {path} does not exist");
            }
            DataFolder.Create(dataDirectory, tightenExisting: true);
            // CreateNew with the mode set at creation: the key is never readable by others, not even briefly.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var w = new StreamWriter(path, create))
            {
                w.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            logger.LogWarning("Created a key-encryption key for personal data at {KekPath} (mode 600). Back it up apart from the database: without it the stored names and mobile numbers cannot be read", path);
        }
        return new KeyRing(LocalKeyEncryptionKey.FromBase64(File.ReadAllText(path), path), previous);
    }
}
