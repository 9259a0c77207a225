namespace ResolutionGateway.Core.Disputes;

// Numeric values match resolution.v1 so the host maps by cast; keep them in step with the proto.

/// <summary>Complaint category (12315 taxonomy, abridged).</summary>
public enum Category
{
    Unspecified = 0,
    AfterSales = 1,
    Quality = 2,
    FoodSafety = 3,
    Price = 4,
    Contract = 5,
    FalseAdvertising = 6,
    Delivery = 7,
    Safety = 8,
    PersonalRights = 9,
    Other = 10,
}

/// <summary>A remedy demanded, offered or agreed.</summary>
public enum Remedy
{
    Unspecified = 0,
    FullRefund = 1,
    PartialRefund = 2,
    ReturnAndRefund = 3,
    Exchange = 4,
    Repair = 5,
    Compensation = 6,
    Apology = 7,
    Other = 8,
}

/// <summary>Where a dispute stands.</summary>
public enum DisputeStatus
{
    Unspecified = 0,
    AwaitingMerchant = 1,
    Negotiating = 2,
    Escalated = 3,
    Resolved = 4,
    Unresolved = 5,
    Withdrawn = 6,
}

/// <summary>How a closed dispute ended.</summary>
public enum Outcome
{
    Unspecified = 0,
    ResolvedByNegotiation = 1,
    ResolvedByMediation = 2,
    Unresolved = 3,
    Withdrawn = 4,
}

/// <summary>Who acted on a dispute.</summary>
public enum ActorRole
{
    Unspecified = 0,
    Consumer = 1,
    Merchant = 2,
    Regulator = 3,
    System = 4,
}

/// <summary>Why a dispute went to the regulator.</summary>
public enum EscalationReason
{
    Unspecified = 0,
    ConsumerRequest = 1,
    MerchantNotEnrolled = 2,
    FirstResponseOverdue = 3,
    NegotiationExpired = 4,
    /// <summary>The consumer reopened a resolved dispute whose settlement was not executed as agreed (<see cref="DisputeReopened"/>).</summary>
    SettlementNotExecuted = 5,
}

/// <summary>Which deadline of a dispute.</summary>
public enum DeadlineKind
{
    Unspecified = 0,
    FirstResponse = 1,
    Negotiation = 2,
    CaseAcceptance = 3,
    Mediation = 4,
    /// <summary>The merchant's execution of an agreed settlement (refund or payment).</summary>
    SettlementExecution = 5,
}

/// <summary>State of a merchant's offer.</summary>
public enum OfferStatus
{
    Unspecified = 0,
    Pending = 1,
    Accepted = 2,
    Rejected = 3,
    Superseded = 4,
}
