namespace ResolutionGateway.Core.UseCases;

/// <summary>Webhook rules that are configuration, not data.</summary>
/// <param name="AllowHttp">Accept plain http:// endpoint URLs (tests, private networks); otherwise https only.</param>
public sealed record WebhookPolicy(bool AllowHttp);
