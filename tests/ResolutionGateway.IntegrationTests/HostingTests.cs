using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.Options;
using ResolutionGateway.Hosting;

namespace ResolutionGateway.IntegrationTests;

[Collection(GatewayCollection.Name)]
public sealed class HostingTests(GatewayFixture gw)
{
    [Fact]
    public async Task ServerReflection_ListServices_ContractServicesAdvertised()
    {
        var client = new ServerReflection.ServerReflectionClient(gw.Invoker(null));
        using var call = client.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("resolution.v1.DisputeService", services);
        Assert.Contains("resolution.v1.AdminService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task Kestrel_CertificateConfigured_ServesGrpcOverTls()
    {
        var pfx = Path.Combine(Path.GetTempPath(), $"rg-tls-{Guid.NewGuid():N}.pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(pfx, cert.Export(X509ContentType.Pfx, "pw"));
        }
        var tls = new GatewayFixture(null,
            "--Kestrel:Endpoints:Grpc:Url=https://127.0.0.1:0",
            $"--Kestrel:Endpoints:Grpc:Certificate:Path={pfx}",
            "--Kestrel:Endpoints:Grpc:Certificate:Password=pw");
        try
        {
            await tls.InitializeAsync();
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c?.Subject == "CN=127.0.0.1" };
            using var channel = GrpcChannel.ForAddress(tls.Address, new GrpcChannelOptions { HttpHandler = handler });

            var r = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

            Assert.StartsWith("https://", tls.Address);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, r.Status);
        }
        finally
        {
            await tls.DisposeAsync();
            File.Delete(pfx);
        }
    }

    [Fact]
    public void Build_RegionPolicyOutOfRange_ThrowsNamingSectionAndViolation()
    {
        var e = Assert.Throws<OptionsValidationException>(() => GatewayApp.Build(["--Policies:Regions:42:WarningLeadHours=999"]));

        Assert.Contains("configuration Policies:Regions:42 is invalid: policy.warning_lead_hours: must be between 0 and 168", e.Message);
    }

    [Fact]
    public void Build_CalendarDateMalformed_ThrowsNamingSectionAndViolation()
    {
        var e = Assert.Throws<OptionsValidationException>(() => GatewayApp.Build(["--Calendars:XX:Holidays:0=2026-13-01"]));

        Assert.Contains("configuration Calendars:XX is invalid: calendar.holidays[0]: a date as YYYY-MM-DD", e.Message);
    }
}
