using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Tools.Rgctl.Cli;

/// <summary>
/// The server address and the caller's API key, resolved by the documented conventions, and one
/// gRPC channel shared by clients that may use different keys (the demo acts as several parties).
/// </summary>
internal sealed class Connection : IDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:50051";

    private readonly GrpcChannel _channel;
    private readonly string? _explicitKey;
    private (string Key, string Source)? _resolvedKey;

    private Connection(string url, GrpcChannel channel, string? explicitKey)
    {
        Url = url;
        _channel = channel;
        _explicitKey = explicitKey;
    }

    public string Url { get; }

    /// <summary>Where the default key came from ("--key", "$RG_API_KEY", or the file path).</summary>
    public string KeySource => ResolveKey().Source;

    public static Connection Open(ArgReader args)
    {
        var url = NonEmpty(args.Get("url")) ?? NonEmpty(Environment.GetEnvironmentVariable("RG_URL")) ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"server address must be an http:// or https:// URL, got '{url}'");
        }

        var channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        return new Connection(url, channel, NonEmpty(args.Get("key")));
    }

    /// <summary>The admin key file the server writes on first start.</summary>
    public static string AdminKeyPath()
    {
        var dataDir = NonEmpty(Environment.GetEnvironmentVariable("RG_DATA_DIR"));
        if (dataDir is not null)
        {
            return Path.Combine(dataDir, "admin-key");
        }

        var xdg = NonEmpty(Environment.GetEnvironmentVariable("XDG_DATA_HOME"));
        if (xdg is not null)
        {
            return Path.Combine(xdg, "resolution-gateway", "admin-key");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "resolution-gateway", "admin-key");
    }

    /// <summary>DisputeService client; with the default key unless another is given.</summary>
    public DisputeService.DisputeServiceClient Disputes(string? key = null) => new(Invoker(key));

    /// <summary>AdminService client; with the default key unless another is given.</summary>
    public AdminService.AdminServiceClient Admin(string? key = null) => new(Invoker(key));

    /// <summary>ReportingService client; with the default key unless another is given.</summary>
    public ReportingService.ReportingServiceClient Reporting(string? key = null) => new(Invoker(key));

    /// <summary>ReportingService client without a key (a published ranking, Rankings:Public).</summary>
    public ReportingService.ReportingServiceClient AnonymousReporting() => new(_channel);

    /// <summary>The standard gRPC health service (no API key: the gateway lets probes through).</summary>
    public Grpc.Health.V1.Health.HealthClient Health() => new(_channel);

    public void Dispose() => _channel.Dispose();

    private CallInvoker Invoker(string? key)
    {
        var bearer = $"Bearer {key ?? ResolveKey().Key}";
        return _channel.Intercept(metadata =>
        {
            metadata.Add("authorization", bearer);
            return metadata;
        });
    }

    private (string Key, string Source) ResolveKey()
    {
        if (_resolvedKey is { } resolved)
        {
            return resolved;
        }

        if (_explicitKey is not null)
        {
            _resolvedKey = (_explicitKey, "--key");
        }
        else if (NonEmpty(Environment.GetEnvironmentVariable("RG_API_KEY")) is { } envKey)
        {
            _resolvedKey = (envKey, "$RG_API_KEY");
        }
        else
        {
            var path = AdminKeyPath();
            string? fileKey = null;
            try
            {
                fileKey = NonEmpty(File.ReadAllText(path).Trim());
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new UsageException($"cannot read the admin key file {path}: {ex.Message}");
            }

            _resolvedKey = fileKey is null
                ? throw new UsageException(
                    $"no API key: pass --key, set RG_API_KEY, or start the server once so that it writes {path}")
                : (fileKey, path);
        }

        return _resolvedKey.Value;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
