namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>The "PersonalData" section: how consumers' names and mobile numbers are sealed at rest.</summary>
public sealed class PersonalDataOptions
{
    /// <summary>The section name.</summary>
    public const string SectionName = "PersonalData";

    /// <summary>The cipher of new data keys: AES-256-GCM (default) or SM4-GCM. Existing keys keep theirs.</summary>
    public string Algorithm { get; set; } = AeadCipher.Aes256Gcm;

    /// <summary>
    /// The key-encryption key as base64 (32 bytes: AES-256-GCM wrapping, 16: SM4-GCM), e.g. from
    /// the environment variable PersonalData__Kek. Wins over <see cref="KekFile"/>.
    /// </summary>
    public string? Kek { get; set; }

    /// <summary>
    /// A file holding the KEK as base64. When neither this nor <see cref="Kek"/> is set, "kek" in the
    /// data folder, created (mode 600) on first start.
    /// </summary>
    public string? KekFile { get; set; }

    /// <summary>
    /// Files of former KEKs (base64). At start, data keys still wrapped by one of them are re-wrapped
    /// by the current KEK (rotation); the disputes are not touched. Remove them once that is logged.
    /// </summary>
    public List<string> PreviousKekFiles { get; set; } = [];

    /// <summary>
    /// Benchmarks only, never in service: true stores the names and mobile numbers of new disputes in
    /// plain text (no data key, no sealing) and stops the background sealing of plain rows, so that
    /// tools/observability/overhead.sh can measure what encryption costs against the same build. A
    /// warning is logged at start while it is on.
    /// </summary>
    public bool BenchmarkWithoutEncryption { get; set; }
}
