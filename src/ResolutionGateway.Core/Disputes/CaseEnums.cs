namespace ResolutionGateway.Core.Disputes;

// Numeric values match resolution.v1 so the host maps by cast; keep them in step with the proto.

/// <summary>Where an escalated dispute stands in the regulator's queue.</summary>
public enum CaseStatus
{
    /// <summary>Never escalated.</summary>
    None = 0,
    /// <summary>Escalated; the regulator has not decided whether to accept it (受理).</summary>
    Pending = 1,
    /// <summary>Accepted: the regulator mediates.</summary>
    Accepted = 2,
    /// <summary>Refused (不予受理): the dispute closed as unresolved with the refusal reason.</summary>
    Refused = 3,
}

/// <summary>
/// Why a regulator refuses a case: the grounds of art. 15 of the national complaint rules
/// (《市场监督管理投诉举报处理暂行办法》), one value per item of that article.
/// </summary>
public enum RefusalReason
{
    Unspecified = 0,
    /// <summary>Art. 15 (1): not a market-regulation matter, or outside this regulator's remit.</summary>
    OutsideRemit = 1,
    /// <summary>Art. 15 (2): a court, arbitration body, regulator or mediation body has taken or handled the same dispute.</summary>
    AlreadyHandled = 2,
    /// <summary>Art. 15 (3): not a purchase for personal consumption, or no dispute with the merchant can be shown.</summary>
    NotConsumerDispute = 3,
    /// <summary>Art. 15 (4): more than three years since the consumer knew of the harm.</summary>
    TimeBarred = 4,
    /// <summary>Art. 15 (5): the materials the rules require were not provided.</summary>
    MissingMaterials = 5,
    /// <summary>Art. 15 (6): another law, regulation or rule excludes it.</summary>
    OtherLegalGround = 6,
}
