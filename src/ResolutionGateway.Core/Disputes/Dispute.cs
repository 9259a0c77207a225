using System.Text.Json.Serialization;

namespace ResolutionGateway.Core.Disputes;

/// <summary>
/// A dispute's state. It is a fold of the dispute's event log (<see cref="DisputeEvolution.Apply"/>):
/// the stored row is a cache of that fold, so any past state can be rebuilt from the log.
/// </summary>
public sealed record Dispute
{
    /// <summary>"dsp_" + ULID.</summary>
    public required string DisputeId { get; init; }
    /// <summary>Current status.</summary>
    public required DisputeStatus Status { get; init; }
    /// <summary>Channel the dispute came through.</summary>
    public required string ChannelId { get; init; }
    /// <summary>The consumer (personal data).</summary>
    public required ConsumerInfo Consumer { get; init; }
    /// <summary>The order context as sent.</summary>
    public required OrderContext Order { get; init; }
    /// <summary>Merchant id.</summary>
    public required string MerchantId { get; init; }
    /// <summary>Enrolled or billed merchant name.</summary>
    public required string MerchantName { get; init; }
    /// <summary>Store id; empty when none.</summary>
    public required string StoreId { get; init; }
    /// <summary>Registered or billed store name.</summary>
    public required string StoreName { get; init; }
    /// <summary>GB/T 2260 region code of the store.</summary>
    public required string RegionCode { get; init; }
    /// <summary>Whether the merchant was enrolled at opening.</summary>
    public required bool MerchantEnrolled { get; init; }
    /// <summary>Complaint category.</summary>
    public required Category Category { get; init; }
    /// <summary>What the consumer asks for.</summary>
    public required Demand Demand { get; init; }
    /// <summary>The consumer's description.</summary>
    public required string Description { get; init; }
    /// <summary>Evidence attached at opening.</summary>
    public required IReadOnlyList<EvidenceRef> Evidence { get; init; }
    /// <summary>Latest offer, whatever its status.</summary>
    public Offer? CurrentOffer { get; init; }
    /// <summary>Merchant's first-response deadline.</summary>
    public required DateTimeOffset FirstResponseDueAt { get; init; }
    /// <summary>End of the negotiation window.</summary>
    public required DateTimeOffset NegotiationDueAt { get; init; }
    /// <summary>Opening time.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Time of the last event.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When the merchant first responded.</summary>
    public DateTimeOffset? FirstResponseAt { get; init; }
    /// <summary>When the dispute closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>How it ended.</summary>
    public Outcome Outcome { get; init; }
    /// <summary>What was agreed.</summary>
    public Settlement? Settlement { get; init; }
    /// <summary>1-5, 0 when not rated.</summary>
    public int SatisfactionRating { get; init; }
    /// <summary>Seq of the last event applied.</summary>
    public long LastSeq { get; init; }
    /// <summary>Why it was escalated.</summary>
    public EscalationReason EscalationReason { get; init; }
    /// <summary>When it was escalated.</summary>
    public DateTimeOffset? EscalatedAt { get; init; }
    /// <summary>When to warn that the first-response deadline is close; null for no warning.</summary>
    public DateTimeOffset? FirstResponseWarnAt { get; init; }
    /// <summary>When to warn that the negotiation deadline is close; null for no warning.</summary>
    public DateTimeOffset? NegotiationWarnAt { get; init; }
    /// <summary>The first-response warning has been recorded.</summary>
    public bool FirstResponseWarned { get; init; }
    /// <summary>The negotiation warning has been recorded.</summary>
    public bool NegotiationWarned { get; init; }
    /// <summary>Prefix of the policy that set the deadlines; "" for the national default.</summary>
    public string PolicyRegionPrefix { get; init; } = "";
    /// <summary>Where the case stands in the regulator's queue; None until escalated.</summary>
    public CaseStatus CaseStatus { get; init; }
    /// <summary>The regulator's deadline to accept or refuse; null when none (never escalated, or escalated before deadlines existed).</summary>
    public DateTimeOffset? CaseAcceptDueAt { get; init; }
    /// <summary>When to warn that the acceptance deadline is close; null for no warning.</summary>
    public DateTimeOffset? CaseAcceptWarnAt { get; init; }
    /// <summary>When the case was accepted.</summary>
    public DateTimeOffset? CaseAcceptedAt { get; init; }
    /// <summary>The end of mediation (set on acceptance).</summary>
    public DateTimeOffset? MediationDueAt { get; init; }
    /// <summary>When to warn that the end of mediation is close; null for no warning.</summary>
    public DateTimeOffset? MediationWarnAt { get; init; }
    /// <summary>The acceptance warning has been recorded.</summary>
    public bool CaseAcceptWarned { get; init; }
    /// <summary>The acceptance deadline passed undecided (recorded).</summary>
    public bool CaseAcceptOverdue { get; init; }
    /// <summary>The mediation warning has been recorded.</summary>
    public bool MediationWarned { get; init; }
    /// <summary>Mediation ran past its deadline (recorded).</summary>
    public bool MediationOverdue { get; init; }
    /// <summary>The officer the case is assigned to; "" when none.</summary>
    public string AssignedOfficer { get; init; } = "";
    /// <summary>The region prefix of the regulator the case was transferred to; "" while it is with the region's own regulator.</summary>
    public string CaseRegionPrefix { get; init; } = "";
    /// <summary>Why the case was refused; Unspecified unless refused.</summary>
    public RefusalReason RefusalReason { get; init; }
    /// <summary>The merchant must execute the settlement by then; null when the settlement moves no money (or none was agreed).</summary>
    public DateTimeOffset? ExecutionDueAt { get; init; }
    /// <summary>When to warn that <see cref="ExecutionDueAt"/> is close; null for no warning.</summary>
    public DateTimeOffset? ExecutionWarnAt { get; init; }
    /// <summary>The execution warning has been recorded.</summary>
    public bool ExecutionWarned { get; init; }
    /// <summary>The execution deadline passed with no execution recorded (recorded).</summary>
    public bool ExecutionOverdue { get; init; }
    /// <summary>The merchant's record of the payment; null until recorded.</summary>
    public SettlementExecution? Execution { get; init; }
    /// <summary>What the consumer said about the payment.</summary>
    public SettlementReceipt Receipt { get; init; }
    /// <summary>When the consumer last said it.</summary>
    public DateTimeOffset? ReceiptAt { get; init; }
    /// <summary>The consumer may reopen the dispute until then; null when it cannot be reopened.</summary>
    public DateTimeOffset? ReopenUntil { get; init; }
    /// <summary>How many times the consumer reopened the dispute.</summary>
    public int ReopenCount { get; init; }
    /// <summary>When it was last reopened; null when never.</summary>
    public DateTimeOffset? ReopenedAt { get; init; }
    /// <summary>Why it was last reopened.</summary>
    public ReopenReason ReopenReason { get; init; }

    /// <summary>The region whose regulators handle the case: the transfer's target, else the store's region code.</summary>
    [JsonIgnore]
    public string CaseRegion => CaseRegionPrefix.Length > 0 ? CaseRegionPrefix : RegionCode;

    /// <summary>The pending offer, if there is one.</summary>
    [JsonIgnore]
    public Offer? PendingOffer => CurrentOffer is { Status: OfferStatus.Pending } o ? o : null;

    /// <summary>
    /// When the deadline worker must next look at this dispute (a warning or a deadline), or null
    /// when nothing is pending: deadlines run only while the dispute waits for the merchant or is
    /// being negotiated. Stored beside the state so the worker finds due disputes by index.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? NextTimerAt => Status switch
    {
        DisputeStatus.AwaitingMerchant => Earliest(FirstResponseDueAt, NegotiationDueAt,
            FirstResponseWarned ? null : FirstResponseWarnAt, NegotiationWarned ? null : NegotiationWarnAt),
        DisputeStatus.Negotiating => Earliest(NegotiationDueAt, null, null, NegotiationWarned ? null : NegotiationWarnAt),
        DisputeStatus.Escalated => CaseStatus switch
        {
            CaseStatus.Pending => EarliestOf(CaseAcceptOverdue ? null : CaseAcceptDueAt, CaseAcceptWarned ? null : CaseAcceptWarnAt),
            CaseStatus.Accepted => EarliestOf(MediationOverdue ? null : MediationDueAt, MediationWarned ? null : MediationWarnAt),
            _ => null,
        },
        // A resolved settlement that moves money: the execution deadline, until the merchant
        // records the payment or the consumer confirms it arrived.
        DisputeStatus.Resolved when ExecutionDueAt is { } due && Execution is null && Receipt != SettlementReceipt.Received && !ExecutionOverdue =>
            EarliestOf(due, ExecutionWarned ? null : ExecutionWarnAt),
        _ => null,
    };

    // Recording a deadline as overdue also marks its warning as done (a late warning is pointless),
    // so a passed deadline leaves no timer behind.
    private static DateTimeOffset? EarliestOf(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset? b, DateTimeOffset? c, DateTimeOffset? d)
    {
        var min = a;
        foreach (var t in (ReadOnlySpan<DateTimeOffset?>)[b, c, d])
        {
            if (t is { } v && v < min)
            {
                min = v;
            }
        }
        return min;
    }

    /// <summary>
    /// Identifies (channel, order) while the dispute is active, else null: the database keeps it
    /// unique. The length prefix keeps it unambiguous although ids may contain ':'.
    /// </summary>
    [JsonIgnore]
    public string? ActiveOrderKey => Status.IsClosed() ? null : $"{ChannelId.Length}:{ChannelId}:{Order.ChannelOrderId}";
}
