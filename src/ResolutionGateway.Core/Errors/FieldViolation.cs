namespace ResolutionGateway.Core.Errors;

/// <summary>One invalid field, named by its proto path (e.g. "consumer.mobile").</summary>
public sealed record FieldViolation(string Field, string Description);
