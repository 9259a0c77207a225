using ResolutionGateway.Hosting;

var app = GatewayApp.Build(args);
await app.RunGatewayAsync();

/// <summary>Entry point; public so tests can reference the assembly's app.</summary>
public partial class Program;
