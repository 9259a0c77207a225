using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Validation;
using ResolutionGateway.Core.Webhooks;

namespace ResolutionGateway.Core.UseCases;

/// <summary>
/// Use cases for webhook endpoints and their delivery queues. Admins manage every endpoint; a
/// merchant key manages its own merchant's endpoints only, and another owner's endpoint is
/// NOT_FOUND to it (so endpoint ids do not leak). Other roles are refused.
/// </summary>
public sealed class WebhookCommands(IWebhookStore store, IDirectoryStore directory, WebhookPolicy policy, TimeProvider time)
{
    /// <summary>A page of deliveries and the token of the next one ("" when none).</summary>
    public sealed record DeliveryPage(IReadOnlyList<WebhookDelivery> Deliveries, string NextPageToken);

    /// <summary>Registers an endpoint; returns it with its secret (shown once).</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(
        Principal p, WebhookOwnerKind kind, string ownerId, string url, string description, CancellationToken ct)
    {
        RequireManager(p);
        if (p.Role == CredentialRole.Merchant)
        {
            // A merchant registers for itself: an empty kind or id is filled in, anything else is refused.
            kind = kind == WebhookOwnerKind.Unspecified ? WebhookOwnerKind.Merchant : kind;
            ownerId = ownerId.Length == 0 ? p.Scope : ownerId;
            if (kind != WebhookOwnerKind.Merchant || ownerId != p.Scope)
            {
                throw new PermissionDeniedException("a merchant key registers endpoints for its own merchant only");
            }
        }
        var v = new Violations();
        Owner(v, kind, ownerId);
        Url(v, url, "url", required: true);
        v.OptionalText(description, "description", 200);
        v.ThrowIfAny();
        if (kind == WebhookOwnerKind.Merchant && await directory.GetMerchantAsync(ownerId, ct) is null)
        {
            throw new PreconditionFailedException("MERCHANT_NOT_ENROLLED", $"merchants/{ownerId}", $"merchant {ownerId} is not enrolled");
        }
        if (kind == WebhookOwnerKind.Channel && await directory.GetChannelAsync(ownerId, ct) is null)
        {
            throw new PreconditionFailedException("CHANNEL_NOT_REGISTERED", $"channels/{ownerId}", $"channel {ownerId} is not registered");
        }
        var now = Clock.Now(time);
        var endpoint = new WebhookEndpoint
        {
            EndpointId = Ids.New("whe", now),
            OwnerKind = kind,
            OwnerId = ownerId,
            Url = url,
            Description = description,
            Secret = WebhookSignature.NewSecret(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.InsertEndpointAsync(endpoint, ct);
        return (endpoint, endpoint.Secret);
    }

    /// <summary>Changes URL, description or enabled flag (null keeps).</summary>
    public async Task<WebhookEndpoint> UpdateAsync(Principal p, string endpointId, string url, string? description, bool? enabled, CancellationToken ct)
    {
        RequireManager(p);
        var v = new Violations();
        EndpointId(v, endpointId);
        Url(v, url, "url", required: false);
        v.OptionalText(description, "description", 200);
        v.ThrowIfAny();
        var current = await GetAsync(p, endpointId, ct);
        var isEnabled = enabled ?? current.Enabled;
        var updated = current with
        {
            Url = url.Length > 0 ? url : current.Url,
            Description = description ?? current.Description,
            Enabled = isEnabled,
            DisabledReason = isEnabled ? "" : current.Enabled ? DisabledBy(p) : current.DisabledReason,
            UpdatedAt = Clock.Now(time),
        };
        await store.UpdateEndpointAsync(updated, ct);
        return updated;
    }

    /// <summary>Deletes an endpoint; returns how many queued deliveries were dead-lettered.</summary>
    public async Task<long> DeleteAsync(Principal p, string endpointId, CancellationToken ct)
    {
        RequireManager(p);
        var v = new Violations();
        EndpointId(v, endpointId);
        v.ThrowIfAny();
        if (p.Role != CredentialRole.Admin)
        {
            await GetAsync(p, endpointId, ct);
        }
        return await store.DeleteEndpointAsync(endpointId, Clock.Now(time), ct) ?? throw new NotFoundException("webhook endpoint", endpointId);
    }

    /// <summary>Lists endpoints (a merchant's own only, for a merchant key).</summary>
    public Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Principal p, WebhookOwnerKind kind, string ownerId, CancellationToken ct)
    {
        RequireManager(p);
        if (p.Role == CredentialRole.Merchant)
        {
            // As for reports, a filter outside the caller's scope is refused, never silently narrowed.
            if (kind is not (WebhookOwnerKind.Unspecified or WebhookOwnerKind.Merchant) || (ownerId.Length > 0 && ownerId != p.Scope))
            {
                throw new PermissionDeniedException("a merchant key lists its own merchant's endpoints only");
            }
            return store.ListEndpointsAsync(WebhookOwnerKind.Merchant, p.Scope, ct);
        }
        if (ownerId.Length > 0 && kind == WebhookOwnerKind.Unspecified)
        {
            throw new ValidationException("owner_kind", "required when owner_id is set");
        }
        return store.ListEndpointsAsync(kind == WebhookOwnerKind.Unspecified ? null : kind, ownerId.Length == 0 ? null : ownerId, ct);
    }

    /// <summary>Issues a new secret; the current one stays valid for <paramref name="previousTtlSeconds"/> (0 = a day).</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> RotateSecretAsync(Principal p, string endpointId, int previousTtlSeconds, CancellationToken ct)
    {
        RequireManager(p);
        var v = new Violations();
        EndpointId(v, endpointId);
        if (previousTtlSeconds is < 0 or > 604_800)
        {
            v.Add("previous_secret_ttl_seconds", "must be between 0 and 604800 (7 days)");
        }
        v.ThrowIfAny();
        var current = await GetAsync(p, endpointId, ct);
        var now = Clock.Now(time);
        var ttl = TimeSpan.FromSeconds(previousTtlSeconds == 0 ? 86_400 : previousTtlSeconds);
        var rotated = current with
        {
            Secret = WebhookSignature.NewSecret(),
            PreviousSecret = current.Secret,
            PreviousSecretExpiresAt = now + ttl,
            UpdatedAt = now,
        };
        await store.UpdateEndpointAsync(rotated, ct);
        return (rotated, rotated.Secret);
    }

    /// <summary>A page of an endpoint's deliveries.</summary>
    public async Task<DeliveryPage> ListDeliveriesAsync(
        Principal p, string endpointId, WebhookDeliveryStatus status, string disputeId, int pageSize, string pageToken, CancellationToken ct)
    {
        RequireManager(p);
        var v = new Violations();
        EndpointId(v, endpointId);
        if (disputeId.Length > 0 && !Ids.IsValid(disputeId, "dsp"))
        {
            v.Add("dispute_id", "a dispute id (dsp_ followed by 26 characters)");
        }
        if (pageSize is < 0 or > 500)
        {
            v.Add("page_size", "must be between 0 and 500");
        }
        var after = ParseToken(v, pageToken);
        v.ThrowIfAny();
        await GetAsync(p, endpointId, ct);
        var limit = pageSize == 0 ? 100 : pageSize;
        var page = await store.ListDeliveriesAsync(endpointId, status == WebhookDeliveryStatus.Unspecified ? null : status,
            disputeId.Length == 0 ? null : disputeId, after, limit + 1, ct);
        var more = page.Count > limit;
        var items = more ? page.Take(limit).ToArray() : page;
        return new DeliveryPage(items, more ? $"{items[^1].DisputeId}:{items[^1].Seq}" : "");
    }

    /// <summary>Queues dead letters again; returns how many.</summary>
    public async Task<long> RedeliverAsync(Principal p, string endpointId, string disputeId, long seq, CancellationToken ct)
    {
        RequireManager(p);
        var v = new Violations();
        EndpointId(v, endpointId);
        if (disputeId.Length > 0 && !Ids.IsValid(disputeId, "dsp"))
        {
            v.Add("dispute_id", "a dispute id (dsp_ followed by 26 characters)");
        }
        if (seq < 0 || (seq > 0 && disputeId.Length == 0))
        {
            v.Add("seq", "0, or a positive seq together with dispute_id");
        }
        v.ThrowIfAny();
        var endpoint = await GetAsync(p, endpointId, ct);
        if (!endpoint.Enabled)
        {
            throw new PreconditionFailedException("ENDPOINT_DISABLED", $"webhook-endpoints/{endpointId}",
                "the endpoint is disabled; enable it with UpdateWebhookEndpoint first");
        }
        return await store.RedeliverAsync(endpointId, disputeId.Length == 0 ? null : disputeId, seq == 0 ? null : seq, Clock.Now(time), ct);
    }

    // Another owner's endpoint answers as a missing one would: its id tells a merchant nothing.
    private async Task<WebhookEndpoint> GetAsync(Principal p, string endpointId, CancellationToken ct) =>
        await store.GetEndpointAsync(endpointId, ct) is { } endpoint && Owns(p, endpoint)
            ? endpoint
            : throw new NotFoundException("webhook endpoint", endpointId);

    private static bool Owns(Principal p, WebhookEndpoint endpoint) =>
        p.Role == CredentialRole.Admin
        || (p.Role == CredentialRole.Merchant && endpoint.OwnerKind == WebhookOwnerKind.Merchant && endpoint.OwnerId == p.Scope);

    private static void RequireManager(Principal p)
    {
        if (p.Role is not (CredentialRole.Admin or CredentialRole.Merchant))
        {
            throw new PermissionDeniedException("only admin keys, and merchant keys for their own endpoints, manage webhook endpoints");
        }
    }

    private static string DisabledBy(Principal p) => p.Role == CredentialRole.Admin ? "disabled by an operator" : "disabled by the merchant";

    private static void EndpointId(Violations v, string endpointId)
    {
        if (!Ids.IsValid(endpointId, "whe"))
        {
            v.Add("endpoint_id", "required: an endpoint id (whe_ followed by 26 characters)");
        }
    }

    private static void Owner(Violations v, WebhookOwnerKind kind, string ownerId)
    {
        switch (kind)
        {
            case WebhookOwnerKind.Merchant or WebhookOwnerKind.Channel:
                v.Identifier(ownerId, "owner_id");
                break;
            case WebhookOwnerKind.Regulator when !Violations.IsRegionPrefix(ownerId):
                v.Add("owner_id", "a region code prefix of 2, 4 or 6 digits, e.g. 33 or 3301");
                break;
            case WebhookOwnerKind.Regulator:
                break;
            default:
                v.Add("owner_kind", "required: MERCHANT, CHANNEL or REGULATOR");
                break;
        }
    }

    private void Url(Violations v, string url, string field, bool required)
    {
        if (url.Length == 0)
        {
            if (required)
            {
                v.Add(field, "required: an absolute https URL");
            }
            return;
        }
        if (url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            v.Add(field, "an absolute URL of at most 2,000 characters");
            return;
        }
        if (uri.Scheme != Uri.UriSchemeHttps && !(policy.AllowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            v.Add(field, policy.AllowHttp ? "must be http or https" : "must be https (plain http is disabled: Webhooks:AllowHttp)");
        }
        if (uri.UserInfo.Length > 0)
        {
            v.Add(field, "must not carry credentials; the signature authenticates the sender");
        }
        if (uri.Fragment.Length > 0)
        {
            v.Add(field, "must not have a fragment");
        }
    }

    private static (string, long)? ParseToken(Violations v, string token)
    {
        if (token.Length == 0)
        {
            return null;
        }
        var colon = token.LastIndexOf(':');
        if (colon > 0 && Ids.IsValid(token[..colon], "dsp") && long.TryParse(token[(colon + 1)..], out var seq) && seq > 0)
        {
            return (token[..colon], seq);
        }
        v.Add("page_token", "not a token from a previous page");
        return null;
    }
}
