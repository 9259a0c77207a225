using ResolutionGateway.Core.Policies;

namespace ResolutionGateway.Core.UseCases;

/// <summary>A policy as an operator sends it: raw numbers, validated here. A null rule means "not set".</summary>
public sealed record RegionPolicyInput(
    string RegionPrefix, DeadlineRule? FirstResponse, DeadlineRule? Negotiation,
    int NegotiationLimitDays, int PurchaseWindowDays, int WarningLeadHours, string CalendarId,
    DeadlineRule? CaseAcceptance = null, DeadlineRule? Mediation = null, DeadlineRule? SettlementExecution = null, int ReopenWindowDays = 0);
