using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>Operator use cases: channels, merchants, stores, keys. Admins only.</summary>
public sealed class AdminCommands(IDirectoryStore directory, Authenticator authenticator, TimeProvider time)
{
    /// <summary>Registers or renames a channel.</summary>
    public Task<ChannelRecord> RegisterChannelAsync(Principal p, string channelId, string displayName, CancellationToken ct)
    {
        RequireAdmin(p);
        var v = new Violations();
        v.Identifier(channelId, "channel_id");
        v.RequiredText(displayName, "display_name", 200);
        v.ThrowIfAny();
        return directory.UpsertChannelAsync(channelId, displayName, Clock.Now(time), ct);
    }

    /// <summary>Enrolls or renames a merchant, and enables or disables it (null keeps the flag; new merchants are enabled).</summary>
    public async Task<MerchantRecord> EnrollMerchantAsync(Principal p, string merchantId, string displayName, bool? enabled, CancellationToken ct)
    {
        RequireAdmin(p);
        var v = new Violations();
        v.Identifier(merchantId, "merchant_id");
        v.RequiredText(displayName, "display_name", 200);
        v.ThrowIfAny();
        var now = Clock.Now(time);
        var stored = await directory.UpsertMerchantAsync(merchantId, displayName, now, ct);
        // Two statements, each idempotent: a retry after a failure between them converges.
        return enabled is { } flag && flag != stored.Enabled
            ? await directory.SetMerchantEnabledAsync(merchantId, flag, now, ct) ?? stored
            : stored;
    }

    /// <summary>Creates or updates a store of an enrolled merchant; <paramref name="enabled"/> null keeps its flag (new stores are enabled).</summary>
    public async Task<StoreRecord> UpsertStoreAsync(Principal p, StoreRecord store, bool? enabled, CancellationToken ct)
    {
        RequireAdmin(p);
        var v = new Violations();
        v.Identifier(store.MerchantId, "store.merchant_id");
        v.Identifier(store.StoreId, "store.store_id");
        v.RequiredText(store.DisplayName, "store.display_name", 200);
        v.OptionalText(store.Address, "store.address", 300);
        v.RegionCode(store.RegionCode, "store.region_code");
        v.ThrowIfAny();
        if (await directory.GetMerchantAsync(store.MerchantId, ct) is null)
        {
            throw new PreconditionFailedException("MERCHANT_NOT_ENROLLED", $"merchants/{store.MerchantId}",
                $"merchant {store.MerchantId} is not enrolled; enroll it first");
        }
        if (enabled is not { } flag)
        {
            // The upsert leaves the stored flag as it is.
            return await directory.UpsertStoreAsync(store, Clock.Now(time), ct);
        }
        await directory.WriteStoresAsync([store with { Enabled = flag }], Clock.Now(time), ct);
        return (await directory.GetStoresAsync([new StoreKey(store.MerchantId, store.StoreId)], ct))[0];
    }

    /// <summary>
    /// Creates a key; returns its record and the token (shown once). Regulator keys may name the
    /// officer who holds them (<paramref name="officerName"/>, whom AssignCase may name); other roles may not.
    /// </summary>
    public async Task<(ApiKeyRecord Key, string Token)> CreateApiKeyAsync(
        Principal p, CredentialRole role, string scope, string description, string officerName, CancellationToken ct)
    {
        RequireAdmin(p);
        var v = new Violations();
        v.OptionalText(description, "description", 200);
        if (role == CredentialRole.Regulator)
        {
            v.OptionalText(officerName, "officer_name", 100);
        }
        else if (officerName.Length > 0)
        {
            v.Add("officer_name", "only regulator keys name an officer; leave it empty");
        }
        switch (role)
        {
            case CredentialRole.Admin when scope.Length > 0:
                v.Add("scope", "must be empty for admin keys");
                break;
            case CredentialRole.Channel or CredentialRole.Merchant:
                v.Identifier(scope, "scope");
                break;
            case CredentialRole.Regulator when !Violations.IsRegionPrefix(scope):
                v.Add("scope", "a region code prefix of 2, 4 or 6 digits, e.g. 33 or 3301");
                break;
            case CredentialRole.Analyst when scope.Length > 0 && !Violations.IsRegionPrefix(scope):
                v.Add("scope", "empty (every region) or a region code prefix of 2, 4 or 6 digits");
                break;
            case CredentialRole.Admin or CredentialRole.Regulator or CredentialRole.Analyst:
                break;
            default:
                v.Add("role", "required: ADMIN, CHANNEL, MERCHANT, REGULATOR or ANALYST");
                break;
        }
        v.ThrowIfAny();
        if (role == CredentialRole.Channel && await directory.GetChannelAsync(scope, ct) is null)
        {
            throw new PreconditionFailedException("CHANNEL_NOT_REGISTERED", $"channels/{scope}", $"channel {scope} is not registered");
        }
        if (role == CredentialRole.Merchant && await directory.GetMerchantAsync(scope, ct) is null)
        {
            throw new PreconditionFailedException("MERCHANT_NOT_ENROLLED", $"merchants/{scope}", $"merchant {scope} is not enrolled");
        }
        return await IssueAsync(role, scope, description, ct, officerName.Trim());
    }

    /// <summary>Creates the first admin key when none is active (first start). Null when one exists.</summary>
    public async Task<string?> BootstrapAdminKeyAsync(CancellationToken ct)
    {
        if (await directory.HasActiveAdminKeyAsync(ct))
        {
            return null;
        }
        var (_, token) = await IssueAsync(CredentialRole.Admin, "", "bootstrap admin key (first start)", ct);
        return token;
    }

    /// <summary>Revokes a key.</summary>
    public async Task<ApiKeyRecord> RevokeApiKeyAsync(Principal p, string keyId, CancellationToken ct)
    {
        RequireAdmin(p);
        if (!Disputes.Ids.IsValid(keyId, "key"))
        {
            throw new ValidationException("key_id", "required: a key id (key_ followed by 26 characters)");
        }
        var key = await directory.RevokeApiKeyAsync(keyId, Clock.Now(time), ct) ?? throw new NotFoundException("api key", keyId);
        authenticator.Forget(keyId);
        return key;
    }

    /// <summary>Lists keys.</summary>
    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(Principal p, bool includeRevoked, CancellationToken ct)
    {
        RequireAdmin(p);
        return directory.ListApiKeysAsync(includeRevoked, ct);
    }

    private async Task<(ApiKeyRecord, string)> IssueAsync(CredentialRole role, string scope, string description, CancellationToken ct, string officerName = "")
    {
        var now = Clock.Now(time);
        var (keyId, token, hash) = ApiKeys.Generate(now);
        var record = new ApiKeyRecord(keyId, hash, role, scope, description, now, null, officerName);
        await directory.InsertApiKeyAsync(record, ct);
        return (record, token);
    }

    internal static void RequireAdmin(Principal p)
    {
        if (p.Role != CredentialRole.Admin)
        {
            throw new PermissionDeniedException("only admin credentials may use AdminService");
        }
    }
}
