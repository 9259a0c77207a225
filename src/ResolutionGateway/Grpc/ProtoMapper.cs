using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Core.Validation;
using D = ResolutionGateway.Core.Disputes;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc;

/// <summary>Maps resolution.v1 messages to domain inputs and domain state back to messages.</summary>
public static class ProtoMapper
{
    // ---- requests -> commands ----

    public static OpenDisputeCommand ToCommand(V1.OpenDisputeRequest r) => new(
        r.RequestId,
        ToOrder(r.Order ?? new V1.OrderContext()),
        new D.ConsumerInfo(r.Consumer?.ConsumerRef ?? "", r.Consumer?.Name ?? "", r.Consumer?.Mobile ?? ""),
        (D.Category)r.Category,
        new D.Demand((D.Remedy)(r.Demand?.Remedy ?? V1.Remedy.Unspecified), ToMoney(r.Demand?.Amount)),
        r.Description,
        ToEvidence(r.Evidence));

    public static PostMessageCommand ToCommand(V1.PostMessageRequest r) => new(r.RequestId, r.DisputeId, r.Text, ToEvidence(r.Evidence));

    public static MakeOfferCommand ToCommand(V1.MakeOfferRequest r) => new(r.RequestId, r.DisputeId, (D.Remedy)r.Remedy, ToMoney(r.Amount), r.Note);

    public static RespondToOfferCommand ToCommand(V1.RespondToOfferRequest r) =>
        new(r.RequestId, r.DisputeId, r.OfferId, (OfferDecision)r.Decision, r.Note);

    public static AcceptDemandCommand ToCommand(V1.AcceptDemandRequest r) => new(r.RequestId, r.DisputeId, r.Note);

    public static EscalateDisputeCommand ToCommand(V1.EscalateDisputeRequest r) => new(r.RequestId, r.DisputeId, r.Note);

    public static WithdrawDisputeCommand ToCommand(V1.WithdrawDisputeRequest r) => new(r.RequestId, r.DisputeId, r.Note);

    public static RecordMediationOutcomeCommand ToCommand(V1.RecordMediationOutcomeRequest r) => new(
        r.RequestId, r.DisputeId, (D.Outcome)r.Outcome,
        r.Settlement is null ? null : new D.Settlement((D.Remedy)r.Settlement.Remedy, ToMoney(r.Settlement.Amount)), r.Note);

    public static RateResolutionCommand ToCommand(V1.RateResolutionRequest r) => new(r.RequestId, r.DisputeId, r.Rating, r.Comment);

    private static D.OrderContext ToOrder(V1.OrderContext o) => new(
        o.ChannelOrderId, o.MerchantId, o.StoreId, ToMoney(o.Amount), ToTime(o.PayTime, "order.pay_time"),
        o.LineItems.Select(li => new D.LineItem(li.Sku, li.Name, li.Quantity, ToMoney(li.UnitPrice))).ToArray(),
        o.PaymentMethod, o.MerchantName, o.StoreName, o.RegionCode, o.StoreAddress);

    private static D.Money? ToMoney(V1.Money? m) => m is null ? null : new D.Money(m.CurrencyCode, m.MinorUnits);

    private static D.EvidenceRef[] ToEvidence(IEnumerable<V1.EvidenceRef> evidence) =>
        evidence.Select(e => new D.EvidenceRef(e.Uri, e.Sha256, e.ContentType, e.SizeBytes)).ToArray();

    private static DateTimeOffset? ToTime(Timestamp? t, string field)
    {
        if (t is null)
        {
            return null;
        }
        // Timestamp.ToDateTimeOffset throws on out-of-range values; report them as a field error.
        if (t.Nanos is < 0 or > 999_999_999 || t.Seconds is < -62135596800 or > 253402300799)
        {
            throw new ValidationException(field, "not a valid timestamp");
        }
        return t.ToDateTimeOffset();
    }

    // ---- domain -> messages ----

    /// <summary>The dispute as <paramref name="viewer"/> may see it (merchants and admins get the mobile masked).</summary>
    public static V1.Dispute ToProto(D.Dispute d, Principal viewer)
    {
        var p = new V1.Dispute
        {
            DisputeId = d.DisputeId,
            Status = (V1.DisputeStatus)d.Status,
            ChannelId = d.ChannelId,
            Consumer = new V1.Consumer
            {
                ConsumerRef = d.Consumer.ConsumerRef,
                Name = d.Consumer.Name,
                Mobile = viewer.SeesFullMobile ? d.Consumer.Mobile : Mobile.Mask(d.Consumer.Mobile),
            },
            Order = ToProto(d.Order),
            MerchantId = d.MerchantId,
            MerchantName = d.MerchantName,
            StoreId = d.StoreId,
            StoreName = d.StoreName,
            RegionCode = d.RegionCode,
            MerchantEnrolled = d.MerchantEnrolled,
            Category = (V1.Category)d.Category,
            Demand = new V1.Demand { Remedy = (V1.Remedy)d.Demand.Remedy, Amount = ToProto(d.Demand.Amount) },
            Description = d.Description,
            CurrentOffer = ToProto(d.CurrentOffer),
            FirstResponseDueTime = Timestamp.FromDateTimeOffset(d.FirstResponseDueAt),
            NegotiationDueTime = Timestamp.FromDateTimeOffset(d.NegotiationDueAt),
            CreateTime = Timestamp.FromDateTimeOffset(d.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(d.UpdatedAt),
            FirstResponseTime = ToProto(d.FirstResponseAt),
            CloseTime = ToProto(d.ClosedAt),
            Outcome = (V1.Outcome)d.Outcome,
            Settlement = d.Settlement is null ? null : new V1.Settlement { Remedy = (V1.Remedy)d.Settlement.Remedy, Amount = ToProto(d.Settlement.Amount) },
            SatisfactionRating = d.SatisfactionRating,
            LastSeq = d.LastSeq,
            EscalationReason = (V1.EscalationReason)d.EscalationReason,
            EscalateTime = ToProto(d.EscalatedAt),
            FirstResponseWarningTime = ToProto(d.FirstResponseWarnAt),
            NegotiationWarningTime = ToProto(d.NegotiationWarnAt),
            PolicyRegionPrefix = d.PolicyRegionPrefix,
        };
        p.Evidence.AddRange(d.Evidence.Select(ToProto));
        return p;
    }

    public static V1.DisputeEvent ToProto(D.DisputeEvent e, Principal viewer)
    {
        var p = new V1.DisputeEvent
        {
            DisputeId = e.DisputeId,
            Seq = e.Seq,
            OccurTime = Timestamp.FromDateTimeOffset(e.OccurredAt),
            Actor = new V1.Actor { Role = (V1.ActorRole)e.Actor.Role, Id = e.Actor.Id },
            StatusAfter = (V1.DisputeStatus)e.StatusAfter,
        };
        switch (e.Detail)
        {
            case D.DisputeOpened o:
                p.Opened = new V1.DisputeOpened { Dispute = ToProto(o.Initial with { LastSeq = e.Seq }, viewer) };
                break;
            case D.MessagePosted m:
                p.MessagePosted = new V1.MessagePosted { Text = m.Text };
                p.MessagePosted.Evidence.AddRange(m.Evidence.Select(ToProto));
                break;
            case D.OfferMade m:
                p.OfferMade = new V1.OfferMade { Offer = ToProto(m.Offer), SupersededOfferId = m.SupersededOfferId };
                break;
            case D.OfferAnswered a:
                p.OfferAnswered = new V1.OfferAnswered { OfferId = a.OfferId, Accepted = a.Accepted, Note = a.Note };
                break;
            case D.DemandAccepted a:
                p.DemandAccepted = new V1.DemandAccepted
                {
                    Settlement = new V1.Settlement { Remedy = (V1.Remedy)a.Settlement.Remedy, Amount = ToProto(a.Settlement.Amount) },
                    Note = a.Note,
                };
                break;
            case D.DisputeEscalated x:
                p.Escalated = new V1.DisputeEscalated { Reason = (V1.EscalationReason)x.Reason, Note = x.Note };
                break;
            case D.DisputeWithdrawn w:
                p.Withdrawn = new V1.DisputeWithdrawn { Note = w.Note };
                break;
            case D.MediationOutcomeRecorded r:
                p.MediationOutcomeRecorded = new V1.MediationOutcomeRecorded
                {
                    Outcome = (V1.Outcome)r.Outcome,
                    Settlement = r.Settlement is null ? null : new V1.Settlement { Remedy = (V1.Remedy)r.Settlement.Remedy, Amount = ToProto(r.Settlement.Amount) },
                    Note = r.Note,
                };
                break;
            case D.ResolutionRated r:
                p.ResolutionRated = new V1.ResolutionRated { Rating = r.Rating, Comment = r.Comment };
                break;
            case D.DeadlineWarning w:
                p.DeadlineWarning = new V1.DeadlineWarning { Deadline = (V1.DeadlineKind)w.Deadline, DueTime = Timestamp.FromDateTimeOffset(w.DueAt) };
                break;
        }
        return p;
    }

    public static V1.Offer? ToProto(D.Offer? o) => o is null ? null : new V1.Offer
    {
        OfferId = o.OfferId,
        Remedy = (V1.Remedy)o.Remedy,
        Amount = ToProto(o.Amount),
        Note = o.Note,
        Status = (V1.OfferStatus)o.Status,
        CreateTime = Timestamp.FromDateTimeOffset(o.CreatedAt),
    };

    private static V1.OrderContext ToProto(D.OrderContext o)
    {
        var p = new V1.OrderContext
        {
            ChannelOrderId = o.ChannelOrderId,
            MerchantId = o.MerchantId,
            StoreId = o.StoreId,
            Amount = ToProto(o.Amount),
            PayTime = ToProto(o.PaidAt),
            PaymentMethod = o.PaymentMethod,
            MerchantName = o.MerchantName,
            StoreName = o.StoreName,
            RegionCode = o.RegionCode,
            StoreAddress = o.StoreAddress,
        };
        p.LineItems.AddRange(o.LineItems.Select(li => new V1.LineItem { Sku = li.Sku, Name = li.Name, Quantity = li.Quantity, UnitPrice = ToProto(li.UnitPrice) }));
        return p;
    }

    private static V1.EvidenceRef ToProto(D.EvidenceRef e) => new() { Uri = e.Uri, Sha256 = e.Sha256, ContentType = e.ContentType, SizeBytes = e.SizeBytes };

    public static V1.Money? ToProto(D.Money? m) => m is null ? null : new V1.Money { CurrencyCode = m.Currency, MinorUnits = m.MinorUnits };

    /// <summary>A timestamp, or absent.</summary>
    public static Timestamp? ToProto(DateTimeOffset? t) => t is null ? null : Timestamp.FromDateTimeOffset(t.Value);

    // ---- directory ----

    public static V1.Channel ToProto(ChannelRecord c) => new() { ChannelId = c.ChannelId, DisplayName = c.DisplayName, CreateTime = Timestamp.FromDateTimeOffset(c.CreatedAt) };

    public static V1.Merchant ToProto(MerchantRecord m) => new() { MerchantId = m.MerchantId, DisplayName = m.DisplayName, CreateTime = Timestamp.FromDateTimeOffset(m.CreatedAt) };

    public static V1.Store ToProto(StoreRecord s) => new()
    {
        MerchantId = s.MerchantId,
        StoreId = s.StoreId,
        DisplayName = s.DisplayName,
        Address = s.Address,
        RegionCode = s.RegionCode,
    };

    public static StoreRecord ToRecord(V1.Store? s) => s is null
        ? new StoreRecord("", "", "", "", "")
        : new StoreRecord(s.MerchantId, s.StoreId, s.DisplayName, s.Address, s.RegionCode);

    public static V1.ApiKey ToProto(ApiKeyRecord k) => new()
    {
        KeyId = k.KeyId,
        Role = (V1.CredentialRole)k.Role,
        Scope = k.Scope,
        Description = k.Description,
        CreateTime = Timestamp.FromDateTimeOffset(k.CreatedAt),
        RevokeTime = ToProto(k.RevokedAt),
    };
}
