namespace ResolutionGateway.Core.Directory;

/// <summary>Filters of a merchant listing: null/empty means any.</summary>
/// <param name="RegionPrefix">Only merchants with a store whose region code starts with it; "" for any.</param>
/// <param name="MerchantId">Only this merchant (a merchant key listing itself); "" for any.</param>
/// <param name="Enabled">Only enabled or only disabled merchants; null for both.</param>
public sealed record MerchantFilter(string RegionPrefix, string MerchantId, bool? Enabled);

/// <summary>Filters of a store listing: null/empty means any.</summary>
/// <param name="MerchantId">Only this merchant's stores; "" for any.</param>
/// <param name="RegionPrefix">Only stores whose region code starts with it; "" for any.</param>
/// <param name="Enabled">Only enabled or only disabled stores; null for both.</param>
public sealed record StoreFilter(string MerchantId, string RegionPrefix, bool? Enabled);

/// <summary>The key of a store.</summary>
public readonly record struct StoreKey(string MerchantId, string StoreId);

/// <summary>A page of a directory listing and the token of the next one ("" when none).</summary>
public sealed record DirectoryPage<T>(IReadOnlyList<T> Items, string NextPageToken);

/// <summary>A row ImportStores refused: its number from 1, its ids as sent, and why.</summary>
public sealed record RefusedStoreRow(long RowNumber, string MerchantId, string StoreId, IReadOnlyList<Errors.FieldViolation> Violations);

/// <summary>The answer of an import (also what a repeat with the same request id gets).</summary>
public sealed record StoreImportResult(long Created, long Updated, long Unchanged, long Refused, IReadOnlyList<RefusedStoreRow> RefusedRows, bool Replayed = false);
