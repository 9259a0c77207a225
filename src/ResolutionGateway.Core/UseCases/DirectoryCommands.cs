using System.Text;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>
/// The directory at scale: paged listings of channels, merchants and stores (admins; regulators
/// within their region; merchants for themselves) and the bulk import of stores (admins).
/// </summary>
public sealed class DirectoryCommands(IDirectoryStore directory, TimeProvider time)
{
    /// <summary>Most stores in one ImportStores message.</summary>
    public const int MaxStoresPerMessage = 1_000;
    /// <summary>Most rows in one import.</summary>
    public const int MaxRows = 1_000_000;
    /// <summary>Most refused rows listed in the answer (all are counted).</summary>
    public const int MaxListedRefusals = 1_000;
    /// <summary>Rows read and written together: one lookup and one multi-row upsert per batch.</summary>
    public const int BatchSize = 1_000;

    /// <summary>A page of channels (admins).</summary>
    public async Task<DirectoryPage<ChannelRecord>> ListChannelsAsync(Principal p, int pageSize, string pageToken, CancellationToken ct)
    {
        AdminCommands.RequireAdmin(p);
        var v = new Violations();
        var limit = PageSize(v, pageSize);
        var after = DecodeToken(v, pageToken, "c1");
        v.ThrowIfAny();
        var rows = await directory.ListChannelsAsync(after ?? "", limit + 1, ct);
        return Page(rows, limit, c => EncodeToken("c1", c.ChannelId));
    }

    /// <summary>A page of merchants the caller may see.</summary>
    public async Task<DirectoryPage<MerchantRecord>> ListMerchantsAsync(
        Principal p, string regionPrefix, bool? enabled, int pageSize, string pageToken, CancellationToken ct)
    {
        var v = new Violations();
        RegionPrefix(v, regionPrefix);
        var limit = PageSize(v, pageSize);
        var after = DecodeToken(v, pageToken, "m1");
        v.ThrowIfAny();
        var filter = new MerchantFilter(ScopedRegion(p, regionPrefix, "merchants"), p.Role == CredentialRole.Merchant ? p.Scope : "", enabled);
        var rows = await directory.ListMerchantsAsync(filter, after ?? "", limit + 1, ct);
        return Page(rows, limit, m => EncodeToken("m1", m.MerchantId));
    }

    /// <summary>A page of stores the caller may see.</summary>
    public async Task<DirectoryPage<StoreRecord>> ListStoresAsync(
        Principal p, string merchantId, string regionPrefix, bool? enabled, int pageSize, string pageToken, CancellationToken ct)
    {
        var v = new Violations();
        v.Identifier(merchantId, "merchant_id", required: false);
        RegionPrefix(v, regionPrefix);
        var limit = PageSize(v, pageSize);
        var after = DecodeToken(v, pageToken, "s1");
        StoreKey? afterKey = null;
        if (after is not null)
        {
            var slash = after.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                afterKey = new StoreKey(after[..slash], after[(slash + 1)..]);
            }
            else
            {
                v.Add("page_token", "not a page token returned by this service");
            }
        }
        v.ThrowIfAny();
        var region = ScopedRegion(p, regionPrefix, "stores");
        if (p.Role == CredentialRole.Merchant)
        {
            if (merchantId.Length > 0 && merchantId != p.Scope)
            {
                throw new PermissionDeniedException("a merchant key lists only its own merchant's stores");
            }
            merchantId = p.Scope;
        }
        var rows = await directory.ListStoresAsync(new StoreFilter(merchantId, region, enabled), afterKey, limit + 1, ct);
        return Page(rows, limit, s => EncodeToken("s1", s.MerchantId + "/" + s.StoreId));
    }

    /// <summary>
    /// Imports stores from a stream of messages (admins). Each message brings the import's request id
    /// (required in the first) and up to <see cref="MaxStoresPerMessage"/> rows, each with its enabled
    /// flag (null keeps the stored one). Rows are validated one by one; valid rows are looked up and
    /// written <see cref="BatchSize"/> at a time, so memory stays bounded whatever the import's size.
    /// </summary>
    public async Task<StoreImportResult> ImportStoresAsync(
        Principal p, IAsyncEnumerable<(string RequestId, IReadOnlyList<(StoreRecord Store, bool? Enabled)> Rows)> messages, CancellationToken ct)
    {
        AdminCommands.RequireAdmin(p);
        var import = new Import(directory, Clock.Now(time));
        string? requestId = null;
        await foreach (var (messageRequestId, rows) in messages.WithCancellation(ct))
        {
            if (requestId is null)
            {
                var v = new Violations();
                v.RequestId(messageRequestId);
                v.ThrowIfAny();
                requestId = messageRequestId;
                if (await directory.GetStoreImportAsync(p.KeyId, requestId, ct) is { } first)
                {
                    // A repeat of a finished import: its first answer, and nothing written.
                    return first with { Replayed = true };
                }
            }
            else if (messageRequestId.Length > 0 && messageRequestId != requestId)
            {
                throw new ValidationException("request_id", "must be empty or the first message's request_id in later messages");
            }
            if (rows.Count > MaxStoresPerMessage)
            {
                throw new ValidationException("stores", $"at most {MaxStoresPerMessage} stores per message");
            }
            foreach (var row in rows)
            {
                if (import.Rows >= MaxRows)
                {
                    throw new ValidationException("stores", $"at most {MaxRows} stores per import");
                }
                if (import.Add(row.Store, row.Enabled))
                {
                    await import.FlushAsync(ct);
                }
            }
        }
        if (requestId is null)
        {
            throw new ValidationException("request_id", "required: the stream carried no message");
        }
        await import.FlushAsync(ct);
        return await directory.SaveStoreImportAsync(p.KeyId, requestId, import.Result(), Clock.Now(time), ct);
    }

    /// <summary>One import's running state: the pending batch, the keys seen, the counts.</summary>
    private sealed class Import(IDirectoryStore directory, DateTimeOffset now)
    {
        private readonly List<(long Row, StoreRecord Store, bool? Enabled, List<FieldViolation>? Refusal)> _batch = [];
        private readonly HashSet<StoreKey> _seen = [];
        private readonly Dictionary<string, bool> _enrolled = new(StringComparer.Ordinal);
        private readonly List<RefusedStoreRow> _refusedRows = [];
        private long _created, _updated, _unchanged, _refused;

        public long Rows { get; private set; }

        /// <summary>Validates and queues one row (a refused one too, so refusals are listed in row order); true when the batch is full.</summary>
        public bool Add(StoreRecord store, bool? enabled)
        {
            var row = ++Rows;
            var v = new List<FieldViolation>();
            Check(v, store);
            if (v.Count == 0 && !_seen.Add(new StoreKey(store.MerchantId, store.StoreId)))
            {
                v.Add(new FieldViolation("store_id", $"store {store.MerchantId}/{store.StoreId} appears earlier in this import"));
            }
            _batch.Add((row, store, enabled, v.Count > 0 ? v : null));
            return _batch.Count >= BatchSize;
        }

        /// <summary>Looks up the batch's merchants and stores, counts each row, writes the new and changed ones.</summary>
        public async Task FlushAsync(CancellationToken ct)
        {
            if (_batch.Count == 0)
            {
                return;
            }
            var valid = _batch.Where(b => b.Refusal is null).ToArray();
            var unknown = valid.Select(b => b.Store.MerchantId).Where(m => !_enrolled.ContainsKey(m)).Distinct(StringComparer.Ordinal).ToArray();
            if (unknown.Length > 0)
            {
                var enrolled = await directory.EnrolledMerchantsAsync(unknown, ct);
                foreach (var m in unknown)
                {
                    _enrolled[m] = enrolled.Contains(m);
                }
            }
            var accepted = valid.Where(b => _enrolled[b.Store.MerchantId]).ToArray();
            var existing = accepted.Length == 0
                ? new Dictionary<StoreKey, StoreRecord>()
                : (await directory.GetStoresAsync(accepted.Select(b => new StoreKey(b.Store.MerchantId, b.Store.StoreId)).ToArray(), ct))
                    .ToDictionary(s => new StoreKey(s.MerchantId, s.StoreId));
            var writes = new List<StoreRecord>(accepted.Length);
            foreach (var (row, store, enabled, refusal) in _batch)
            {
                if (refusal is not null)
                {
                    Refuse(row, store, refusal);
                    continue;
                }
                if (!_enrolled[store.MerchantId])
                {
                    Refuse(row, store, [new FieldViolation("merchant_id", $"merchant {store.MerchantId} is not enrolled; enroll it first")]);
                    continue;
                }
                if (!existing.TryGetValue(new StoreKey(store.MerchantId, store.StoreId), out var current))
                {
                    _created++;
                    writes.Add(store with { Enabled = enabled ?? true });
                    continue;
                }
                var wanted = store with { Enabled = enabled ?? current.Enabled };
                if (wanted == current)
                {
                    _unchanged++;
                }
                else
                {
                    _updated++;
                    writes.Add(wanted);
                }
            }
            _batch.Clear();
            if (writes.Count > 0)
            {
                await directory.WriteStoresAsync(writes, now, ct);
            }
        }

        public StoreImportResult Result() => new(_created, _updated, _unchanged, _refused, _refusedRows.ToArray());

        private void Refuse(long row, StoreRecord store, IReadOnlyList<FieldViolation> violations)
        {
            _refused++;
            if (_refusedRows.Count < MaxListedRefusals)
            {
                _refusedRows.Add(new RefusedStoreRow(row, store.MerchantId, store.StoreId, violations));
            }
        }
    }

    /// <summary>The checks of UpsertStore, with field names relative to the store.</summary>
    private static void Check(List<FieldViolation> into, StoreRecord store)
    {
        var v = new Violations();
        v.Identifier(store.MerchantId, "merchant_id");
        v.Identifier(store.StoreId, "store_id");
        v.RequiredText(store.DisplayName, "display_name", 200);
        v.OptionalText(store.Address, "address", 300);
        v.RegionCode(store.RegionCode, "region_code");
        try
        {
            v.ThrowIfAny();
        }
        catch (ValidationException e)
        {
            into.AddRange(e.Violations);
        }
    }

    /// <summary>The region a listing is limited to: the request's for admins and merchants; for regulators their scope, or a longer prefix within it.</summary>
    private static string ScopedRegion(Principal p, string regionPrefix, string what) => p.Role switch
    {
        CredentialRole.Admin or CredentialRole.Merchant => regionPrefix,
        CredentialRole.Regulator when regionPrefix.Length == 0 => p.Scope,
        CredentialRole.Regulator when regionPrefix.StartsWith(p.Scope, StringComparison.Ordinal) => regionPrefix,
        CredentialRole.Regulator => throw new PermissionDeniedException($"region_prefix {regionPrefix} is outside this regulator's region {p.Scope}"),
        _ => throw new PermissionDeniedException($"only admins, regulators and merchants list {what}"),
    };

    private static void RegionPrefix(Violations v, string regionPrefix)
    {
        if (regionPrefix.Length > 0 && !Violations.IsRegionPrefix(regionPrefix))
        {
            v.Add("region_prefix", "empty or a region code prefix of 2, 4 or 6 digits, e.g. 33 or 3301");
        }
    }

    private static int PageSize(Violations v, int pageSize)
    {
        if (pageSize is < 0 or > 1000)
        {
            v.Add("page_size", "0 to 1000");
        }
        return pageSize <= 0 ? 100 : pageSize;
    }

    private static DirectoryPage<T> Page<T>(IReadOnlyList<T> rows, int limit, Func<T, string> token)
    {
        var page = rows.Take(limit).ToArray();
        return new DirectoryPage<T>(page, rows.Count > limit ? token(page[^1]) : "");
    }

    private static string EncodeToken(string kind, string last) => Convert.ToBase64String(Encoding.UTF8.GetBytes(kind + ":" + last));

    private static string? DecodeToken(Violations v, string token, string kind)
    {
        if (token.Length == 0)
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(kind + ":", StringComparison.Ordinal) && text.Length > kind.Length + 1)
            {
                return text[(kind.Length + 1)..];
            }
        }
        catch (FormatException)
        {
        }
        v.Add("page_token", "not a page token returned by this service");
        return null;
    }
}
