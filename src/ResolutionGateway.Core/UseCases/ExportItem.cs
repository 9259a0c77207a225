using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Core.UseCases;

/// <summary>One exported record and the cursor that resumes after it.</summary>
public sealed record ExportItem(OutcomeRecord Outcome, string Cursor);
