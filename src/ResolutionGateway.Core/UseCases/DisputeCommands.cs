using System.Security.Cryptography;
using System.Text.Json;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Core.UseCases;

/// <summary>
/// The mutating use cases. Each one: checks the role, validates, answers a retried request id from
/// the log, otherwise decides under the dispute's lock and stores state, events and the request
/// record in one transaction, then announces the events.
/// </summary>
public sealed partial class DisputeCommands(
    IDisputeStore store, IDirectoryStore directory, IRegionPolicyProvider policies, IEventHub hub, TimeProvider time)
{
    /// <summary>Opens a dispute (channels only).</summary>
    public async Task<DisputeChange> OpenAsync(Principal p, OpenDisputeCommand c, CancellationToken ct)
    {
        Require(p, "open disputes", CredentialRole.Channel);
        var now = Now();
        c = CommandValidation.Validate(c, now);
        var request = Request(p, "OpenDispute", c, now);
        // No lookup of the request id first (it cost every open a round trip): a retry collides on
        // the request record's key (or its order's active-dispute key) inside the store's
        // transaction, which answers DuplicateRequest, and the first answer is replayed below.
        var merchant = await directory.GetMerchantAsync(c.Order.MerchantId, ct);
        var storeRecord = merchant is null || c.Order.StoreId.Length == 0
            ? null
            : await directory.GetStoreAsync(c.Order.MerchantId, c.Order.StoreId, ct);
        DisputeChange change;
        try
        {
            change = DisputeRules.Open(c, p.Scope, merchant, storeRecord, policies, now);
        }
        catch (DomainException)
        {
            // A retry of an open that succeeded gets its first answer even where the rules would
            // refuse it now (the purchase window has passed since, say).
            if (await FindRetryAsync(request, ct) is { } retry)
            {
                return retry;
            }
            throw;
        }
        var result = await store.CreateAsync(change, request with { DisputeId = change.State.DisputeId, Seq = change.State.LastSeq }, ct);
        switch (result.Outcome)
        {
            case CreateOutcome.Created:
                hub.Publish(result.Feed);
                return change;
            case CreateOutcome.DuplicateRequest:
                return await FindRetryAsync(request, ct)
                    ?? throw new InvalidOperationException("request record vanished after a duplicate-key conflict");
            default:
                throw new AlreadyExistsException("ACTIVE_DISPUTE_EXISTS",
                    $"order {c.Order.ChannelOrderId} of channel {p.Scope} already has an active dispute: {result.ExistingDisputeId}",
                    new Dictionary<string, string> { ["dispute_id"] = result.ExistingDisputeId ?? "" });
        }
    }

    /// <summary>Posts a message (consumer via channel, merchant, or regulator).</summary>
    public Task<DisputeChange> PostMessageAsync(Principal p, PostMessageCommand c, CancellationToken ct)
    {
        Require(p, "post messages", CredentialRole.Channel, CredentialRole.Merchant, CredentialRole.Regulator);
        CommandValidation.Validate(c);
        return MutateAsync(p, "PostMessage", c, c.DisputeId, (d, actor, now) => DisputeRules.PostMessage(d, actor, c, now), ct);
    }

    /// <summary>Makes an offer (merchants).</summary>
    public Task<DisputeChange> MakeOfferAsync(Principal p, MakeOfferCommand c, CancellationToken ct)
    {
        Require(p, "make offers", CredentialRole.Merchant);
        CommandValidation.Validate(c);
        return MutateAsync(p, "MakeOffer", c, c.DisputeId, (d, actor, now) => DisputeRules.MakeOffer(d, actor, c, now), ct);
    }

    /// <summary>Answers the pending offer (consumer via channel).</summary>
    public Task<DisputeChange> RespondToOfferAsync(Principal p, RespondToOfferCommand c, CancellationToken ct)
    {
        Require(p, "answer offers", CredentialRole.Channel);
        CommandValidation.Validate(c);
        return MutateAsync(p, "RespondToOffer", c, c.DisputeId, (d, actor, now) => DisputeRules.RespondToOffer(d, actor, c, now, policies.For(d.RegionCode)), ct);
    }

    /// <summary>Accepts the demand (merchants).</summary>
    public Task<DisputeChange> AcceptDemandAsync(Principal p, AcceptDemandCommand c, CancellationToken ct)
    {
        Require(p, "accept demands", CredentialRole.Merchant);
        CommandValidation.Validate(c.RequestId, c.DisputeId, c.Note);
        return MutateAsync(p, "AcceptDemand", c, c.DisputeId, (d, actor, now) => DisputeRules.AcceptDemand(d, actor, c, now, policies.For(d.RegionCode)), ct);
    }

    /// <summary>Escalates to the regulator (consumer via channel).</summary>
    public Task<DisputeChange> EscalateAsync(Principal p, EscalateDisputeCommand c, CancellationToken ct)
    {
        Require(p, "escalate disputes", CredentialRole.Channel);
        CommandValidation.Validate(c.RequestId, c.DisputeId, c.Note);
        return MutateAsync(p, "EscalateDispute", c, c.DisputeId, (d, actor, now) => DisputeRules.Escalate(d, actor, c, now, policies.For(d.RegionCode)), ct);
    }

    /// <summary>Withdraws (consumer via channel).</summary>
    public Task<DisputeChange> WithdrawAsync(Principal p, WithdrawDisputeCommand c, CancellationToken ct)
    {
        Require(p, "withdraw disputes", CredentialRole.Channel);
        CommandValidation.Validate(c.RequestId, c.DisputeId, c.Note);
        return MutateAsync(p, "WithdrawDispute", c, c.DisputeId, (d, actor, now) => DisputeRules.Withdraw(d, actor, c, now), ct);
    }

    /// <summary>Records a mediation outcome (regulators).</summary>
    public Task<DisputeChange> RecordMediationOutcomeAsync(Principal p, RecordMediationOutcomeCommand c, CancellationToken ct)
    {
        Require(p, "record mediation outcomes", CredentialRole.Regulator);
        CommandValidation.Validate(c);
        return MutateAsync(p, "RecordMediationOutcome", c, c.DisputeId, (d, actor, now) => DisputeRules.RecordMediationOutcome(d, actor, c, now, policies.For(d.RegionCode)), ct);
    }

    /// <summary>Rates a closed dispute (consumer via channel).</summary>
    public Task<DisputeChange> RateAsync(Principal p, RateResolutionCommand c, CancellationToken ct)
    {
        Require(p, "rate resolutions", CredentialRole.Channel);
        CommandValidation.Validate(c);
        return MutateAsync(p, "RateResolution", c, c.DisputeId, (d, actor, now) => DisputeRules.Rate(d, actor, c, now), ct);
    }

    private async Task<DisputeChange> MutateAsync<T>(
        Principal p, string method, T command, string disputeId, Func<Dispute, Actor, DateTimeOffset, DisputeChange> decide, CancellationToken ct)
        where T : IDisputeCommand
    {
        // The store checks the request id under the dispute's lock, which also catches concurrent
        // retries; a separate lookup first would cost every mutation a round trip.
        var request = Request(p, method, command, Now());
        var result = await store.MutateAsync(disputeId, request, d =>
        {
            if (!p.CanSee(d))
            {
                throw new NotFoundException("dispute", disputeId);
            }
            // Time is read under the lock so the log's timestamps never go backwards.
            return decide(d, p.ActorFor(d), Now());
        }, ct) ?? throw new NotFoundException("dispute", disputeId);
        if (result.Duplicate is { } first)
        {
            return await ReplayAsync(request, first, ct);
        }
        hub.Publish(result.Feed);
        return result.Applied!;
    }

    private async Task<DisputeChange?> FindRetryAsync(IdempotencyRecord request, CancellationToken ct)
    {
        var first = await store.FindRequestAsync(request.PartyKey, request.RequestId, ct);
        return first is null ? null : await ReplayAsync(request, first, ct);
    }

    // A retry gets the first call's result: the dispute as it was right after that call, rebuilt from the log.
    private async Task<DisputeChange> ReplayAsync(IdempotencyRecord request, IdempotencyRecord first, CancellationToken ct)
    {
        if (first.Method != request.Method || first.RequestHash != request.RequestHash)
        {
            throw new ValidationException("request_id",
                $"already used by this caller for a different {first.Method} request; use a new request_id for a new request");
        }
        var events = await store.ReadEventsUpToAsync(first.DisputeId, first.Seq, ct);
        var state = DisputeEvolution.Replay(events);
        var own = first.Method == "OpenDispute" ? events : [events[^1]];
        return new DisputeChange(state, own);
    }

    private static IdempotencyRecord Request<T>(Principal p, string method, T command, DateTimeOffset now)
        where T : IDisputeCommand
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(command)));
        return new IdempotencyRecord(p.PartyKey, command.RequestId, method, hash, "", 0, now);
    }

    private static void Require(Principal p, string action, params CredentialRole[] roles)
    {
        if (Array.IndexOf(roles, p.Role) < 0)
        {
            throw new PermissionDeniedException($"a {p.Role.ToString().ToLowerInvariant()} credential may not {action}");
        }
    }

    private DateTimeOffset Now() => Clock.Now(time);
}
