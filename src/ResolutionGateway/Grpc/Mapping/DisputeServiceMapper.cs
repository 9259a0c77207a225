using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;
using D = ResolutionGateway.Core.Disputes;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>Maps the messages of resolution/v1/dispute_service.proto: requests to commands, disputes and events to messages.</summary>
public static class DisputeServiceMapper
{
    // ---- requests -> commands ----

    public static OpenDisputeCommand ToCommand(V1.OpenDisputeRequest r) => new(
        r.RequestId,
        TypesMapper.ToDomain(r.Order ?? new V1.OrderContext()),
        TypesMapper.ToDomain(r.Consumer),
        (D.Category)r.Category,
        TypesMapper.ToDomain(r.Demand),
        r.Description,
        TypesMapper.ToDomain(r.Evidence));

    public static PostMessageCommand ToCommand(V1.PostMessageRequest r) => new(r.RequestId, r.DisputeId, r.Text, TypesMapper.ToDomain(r.Evidence));

    public static MakeOfferCommand ToCommand(V1.MakeOfferRequest r) => new(r.RequestId, r.DisputeId, (D.Remedy)r.Remedy, TypesMapper.ToDomain(r.Amount), r.Note);

    public static RespondToOfferCommand ToCommand(V1.RespondToOfferRequest r) =>
        new(r.RequestId, r.DisputeId, r.OfferId, (OfferDecision)r.Decision, r.Note);

    public static AcceptDemandCommand ToCommand(V1.AcceptDemandRequest r) => new(r.RequestId, r.DisputeId, r.Note);

    public static EscalateDisputeCommand ToCommand(V1.EscalateDisputeRequest r) => new(r.RequestId, r.DisputeId, r.Note);

    public static WithdrawDisputeCommand ToCommand(V1.WithdrawDisputeRequest r) => new(r.RequestId, r.DisputeId, r.Note);

    public static RecordMediationOutcomeCommand ToCommand(V1.RecordMediationOutcomeRequest r) =>
        new(r.RequestId, r.DisputeId, (D.Outcome)r.Outcome, TypesMapper.ToDomain(r.Settlement), r.Note);

    public static RateResolutionCommand ToCommand(V1.RateResolutionRequest r) => new(r.RequestId, r.DisputeId, r.Rating, r.Comment);

    public static DisputeListInput ToInput(V1.ListDisputesRequest r) =>
        new(r.PageSize, r.PageToken, TypesMapper.ToDomain(r.Statuses), r.ConsumerRef, r.MerchantId)
        {
            Opened = ToDomain(r.Opened, "opened"),
            Updated = ToDomain(r.Updated, "updated"),
            Closed = ToDomain(r.Closed, "closed"),
            Category = (int)r.Category,
            RegionPrefix = r.RegionPrefix,
            DeadlineWithinHours = r.HasDeadlineWithinHours ? r.DeadlineWithinHours : null,
            Order = (int)r.OrderBy,
        };

    private static TimeRange ToDomain(V1.TimeRange? r, string field) => r is null ? TimeRange.Any
        : new TimeRange(TypesMapper.ToTime(r.StartTime, field + ".start_time"), TypesMapper.ToTime(r.EndTime, field + ".end_time"));

    // ---- domain -> messages ----

    /// <summary>The dispute as <paramref name="viewer"/> may see it (merchants and admins get the mobile masked).</summary>
    public static V1.Dispute ToProto(D.Dispute d, Principal viewer)
    {
        var p = new V1.Dispute
        {
            DisputeId = d.DisputeId,
            Status = (V1.DisputeStatus)d.Status,
            ChannelId = d.ChannelId,
            Consumer = TypesMapper.ToProto(d.Consumer, viewer),
            Order = TypesMapper.ToProto(d.Order),
            MerchantId = d.MerchantId,
            MerchantName = d.MerchantName,
            StoreId = d.StoreId,
            StoreName = d.StoreName,
            RegionCode = d.RegionCode,
            MerchantEnrolled = d.MerchantEnrolled,
            Category = (V1.Category)d.Category,
            Demand = TypesMapper.ToProto(d.Demand),
            Description = d.Description,
            CurrentOffer = TypesMapper.ToProto(d.CurrentOffer),
            FirstResponseDueTime = Timestamp.FromDateTimeOffset(d.FirstResponseDueAt),
            NegotiationDueTime = Timestamp.FromDateTimeOffset(d.NegotiationDueAt),
            CreateTime = Timestamp.FromDateTimeOffset(d.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(d.UpdatedAt),
            FirstResponseTime = TypesMapper.ToProto(d.FirstResponseAt),
            CloseTime = TypesMapper.ToProto(d.ClosedAt),
            Outcome = (V1.Outcome)d.Outcome,
            Settlement = TypesMapper.ToProto(d.Settlement),
            SatisfactionRating = d.SatisfactionRating,
            LastSeq = d.LastSeq,
            EscalationReason = (V1.EscalationReason)d.EscalationReason,
            EscalateTime = TypesMapper.ToProto(d.EscalatedAt),
            FirstResponseWarningTime = TypesMapper.ToProto(d.FirstResponseWarnAt),
            NegotiationWarningTime = TypesMapper.ToProto(d.NegotiationWarnAt),
            PolicyRegionPrefix = d.PolicyRegionPrefix,
            CaseStatus = (V1.CaseStatus)d.CaseStatus,
            CaseAcceptDueTime = TypesMapper.ToProto(d.CaseAcceptDueAt),
            CaseAcceptTime = TypesMapper.ToProto(d.CaseAcceptedAt),
            MediationDueTime = TypesMapper.ToProto(d.MediationDueAt),
            // Who handles the case is the regulator's business: parties and their webhooks never see it.
            AssignedOfficer = viewer.Role == CredentialRole.Regulator ? d.AssignedOfficer : "",
            CaseRegionPrefix = d.CaseRegionPrefix,
            RefusalReason = (V1.RefusalReason)d.RefusalReason,
        };
        p.Evidence.AddRange(d.Evidence.Select(TypesMapper.ToProto));
        SettlementMapper.SetFields(p, d);
        return p;
    }

    /// <summary>The event as <paramref name="viewer"/> may see it (an opening carries the dispute, masked as in <see cref="ToProto(D.Dispute, Principal)"/>).</summary>
    public static V1.DisputeEvent ToProto(D.DisputeEvent e, Principal viewer)
    {
        var p = new V1.DisputeEvent
        {
            DisputeId = e.DisputeId,
            Seq = e.Seq,
            OccurTime = Timestamp.FromDateTimeOffset(e.OccurredAt),
            Actor = TypesMapper.ToProto(e.Actor),
            StatusAfter = (V1.DisputeStatus)e.StatusAfter,
        };
        switch (e.Detail)
        {
            case D.DisputeOpened o:
                p.Opened = new V1.DisputeOpened { Dispute = ToProto(o.Initial with { LastSeq = e.Seq }, viewer) };
                break;
            case D.MessagePosted m:
                p.MessagePosted = new V1.MessagePosted { Text = m.Text };
                p.MessagePosted.Evidence.AddRange(m.Evidence.Select(TypesMapper.ToProto));
                break;
            case D.OfferMade m:
                p.OfferMade = new V1.OfferMade { Offer = TypesMapper.ToProto(m.Offer), SupersededOfferId = m.SupersededOfferId };
                break;
            case D.OfferAnswered a:
                p.OfferAnswered = new V1.OfferAnswered { OfferId = a.OfferId, Accepted = a.Accepted, Note = a.Note };
                break;
            case D.DemandAccepted a:
                p.DemandAccepted = new V1.DemandAccepted { Settlement = TypesMapper.ToProto(a.Settlement), Note = a.Note };
                break;
            case D.DisputeEscalated x:
                p.Escalated = new V1.DisputeEscalated
                {
                    Reason = (V1.EscalationReason)x.Reason,
                    Note = x.Note,
                    AcceptDueTime = TypesMapper.ToProto(x.AcceptDueAt),
                };
                break;
            case D.DisputeWithdrawn w:
                p.Withdrawn = new V1.DisputeWithdrawn { Note = w.Note };
                break;
            case D.MediationOutcomeRecorded r:
                p.MediationOutcomeRecorded = new V1.MediationOutcomeRecorded
                {
                    Outcome = (V1.Outcome)r.Outcome,
                    Settlement = TypesMapper.ToProto(r.Settlement),
                    Note = r.Note,
                };
                break;
            case D.ResolutionRated r:
                p.ResolutionRated = new V1.ResolutionRated { Rating = r.Rating, Comment = r.Comment };
                break;
            case D.DeadlineWarning w:
                p.DeadlineWarning = new V1.DeadlineWarning { Deadline = (V1.DeadlineKind)w.Deadline, DueTime = Timestamp.FromDateTimeOffset(w.DueAt) };
                break;
            default:
                if (!SettlementMapper.SetDetail(p, e.Detail))
                {
                    CaseMapper.SetDetail(p, e.Detail);
                }
                break;
        }
        if (p.CaseAssigned is { } assigned && viewer.Role != CredentialRole.Regulator)
        {
            // As on the dispute view: the officer's name is the regulator's only.
            assigned.Officer = "";
        }
        return p;
    }

    // ---- results -> responses ----

    public static V1.ListDisputesResponse ToResponse(DisputeListPage page, Principal viewer)
    {
        var response = new V1.ListDisputesResponse { NextPageToken = page.NextPageToken };
        response.Disputes.AddRange(page.Disputes.Select(d => ToProto(d, viewer)));
        return response;
    }

    public static V1.ListDisputeEventsResponse ToResponse(IEnumerable<D.DisputeEvent> events, bool hasMore, Principal viewer)
    {
        var response = new V1.ListDisputeEventsResponse { HasMore = hasMore };
        response.Events.AddRange(events.Select(e => ToProto(e, viewer)));
        return response;
    }

    public static V1.WatchDisputeResponse ToWatchDisputeResponse(WatchItem item, Principal viewer) => new()
    {
        Event = item.Event is null ? null : ToProto(item.Event, viewer),
        CaughtUp = item.CaughtUp,
    };

    public static V1.WatchDisputesResponse ToWatchDisputesResponse(WatchItem item, Principal viewer) => new()
    {
        Event = item.Event is null ? null : ToProto(item.Event, viewer),
        Cursor = item.Cursor,
        CaughtUp = item.CaughtUp,
    };
}
