using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Audit;
using ResolutionGateway.Infrastructure.Repositories;

namespace ResolutionGateway.Infrastructure.Retention;

/// <summary>The audit log and the retention job (issue 18), registered by AddInfrastructure.</summary>
public static class PrivacyServices
{
    /// <summary>Registers the audit log writer and store, and the retention job of the "Retention" section.</summary>
    public static IServiceCollection AddAuditAndRetention(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<IAuditStore, AuditRepository>();
        services.AddSingleton<AuditLog>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        var options = new RetentionOptions();
        config.GetSection(RetentionOptions.SectionName).Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<RetentionRepository>();
        services.AddSingleton<RetentionSweeper>();
        services.AddHostedService<RetentionWorker>();
        return services;
    }
}
