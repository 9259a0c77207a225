using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>
/// webhooks create|update|delete|list|rotate and deliveries list|redeliver: the webhook RPCs of
/// AdminService, with an admin key (any owner) or a merchant key (its own endpoints). The
/// endpoint's address is --endpoint-url: --url is the gateway's, as for every command.
/// </summary>
internal static class WebhookCommands
{
    public static async Task<int> Create(string[] argv)
    {
        var args = ArgReader.Parse("webhooks create", argv, "endpoint-url= owner= owner-id= description= json");
        args.AllowPositionals(0);
        var request = new CreateWebhookEndpointRequest
        {
            OwnerKind = args.GetEnum<WebhookOwnerKind>("owner") ?? WebhookOwnerKind.Unspecified,
            OwnerId = args.Get("owner-id") ?? string.Empty,
            Url = args.Require("endpoint-url"),
            Description = args.Get("description") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Admin().CreateWebhookEndpointAsync(request);
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        var e = response.Endpoint;
        Console.WriteLine($"created webhook endpoint {e.EndpointId} ({Format.Enum(e.OwnerKind)} {e.OwnerId}, {e.Url})");
        PrintSecret(response.Secret);
        return 0;
    }

    public static async Task<int> Update(string[] argv)
    {
        var args = ArgReader.Parse("webhooks update", argv, "endpoint-url= description= enable disable json");
        args.AllowPositionals(1);
        var request = new UpdateWebhookEndpointRequest { EndpointId = args.Positional(0, "ENDPOINT_ID"), Url = args.Get("endpoint-url") ?? string.Empty };
        if (args.Get("description") is { } description)
        {
            request.Description = description;
        }
        if (args.Has("enable") && args.Has("disable"))
        {
            throw new UsageException("give --enable or --disable, not both", args.Command);
        }
        if (args.Has("enable") || args.Has("disable"))
        {
            request.Enabled = args.Has("enable");
        }
        using var connection = Connection.Open(args);
        var response = await connection.Admin().UpdateWebhookEndpointAsync(request);
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        Console.WriteLine($"updated webhook endpoint {response.Endpoint.EndpointId}");
        PrintEndpoints([response.Endpoint]);
        return 0;
    }

    public static async Task<int> Delete(string[] argv)
    {
        var args = ArgReader.Parse("webhooks delete", argv, "json");
        args.AllowPositionals(1);
        var endpointId = args.Positional(0, "ENDPOINT_ID");
        using var connection = Connection.Open(args);
        var response = await connection.Admin().DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest { EndpointId = endpointId });
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        Console.WriteLine($"deleted webhook endpoint {endpointId}; {response.DeadLettered} queued deliveries dropped");
        return 0;
    }

    public static async Task<int> List(string[] argv)
    {
        var args = ArgReader.Parse("webhooks list", argv, "owner= owner-id= json");
        args.AllowPositionals(0);
        var request = new ListWebhookEndpointsRequest
        {
            OwnerKind = args.GetEnum<WebhookOwnerKind>("owner") ?? WebhookOwnerKind.Unspecified,
            OwnerId = args.Get("owner-id") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Admin().ListWebhookEndpointsAsync(request);
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        if (response.Endpoints.Count == 0)
        {
            Console.WriteLine("(no webhook endpoints)");
            return 0;
        }
        PrintEndpoints(response.Endpoints);
        return 0;
    }

    public static async Task<int> Rotate(string[] argv)
    {
        var args = ArgReader.Parse("webhooks rotate", argv, "previous-ttl= json");
        args.AllowPositionals(1);
        var request = new RotateWebhookSecretRequest
        {
            EndpointId = args.Positional(0, "ENDPOINT_ID"),
            PreviousSecretTtlSeconds = args.GetInt32("previous-ttl") ?? 0,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Admin().RotateWebhookSecretAsync(request);
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        Console.WriteLine($"rotated the secret of {response.Endpoint.EndpointId}; the previous one is also signed with until {Format.Time(response.Endpoint.PreviousSecretExpireTime)}");
        PrintSecret(response.Secret);
        return 0;
    }

    public static async Task<int> ListDeliveries(string[] argv)
    {
        var args = ArgReader.Parse("deliveries list", argv, "dead status= dispute= limit= page-token= json");
        args.AllowPositionals(1);
        var endpointId = args.Positional(0, "ENDPOINT_ID");
        var status = (args.Has("dead"), args.GetEnum<WebhookDeliveryStatus>("status")) switch
        {
            (true, null) => WebhookDeliveryStatus.DeadLettered,
            (true, _) => throw new UsageException("give --dead or --status, not both", args.Command),
            (false, var s) => s ?? WebhookDeliveryStatus.Unspecified,
        };
        using var connection = Connection.Open(args);
        var admin = connection.Admin();
        var (deliveries, next) = await Paging.CollectAsync<WebhookDelivery>(Paging.Limit(args), args.Get("page-token") ?? string.Empty, 500, async (token, size) =>
        {
            var response = await admin.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest
            {
                EndpointId = endpointId, Status = status, DisputeId = args.Get("dispute") ?? string.Empty, PageSize = size, PageToken = token,
            });
            return (response.Deliveries, response.NextPageToken);
        });
        if (args.Has("json"))
        {
            Printer.PrintJsonArray(deliveries);
        }
        else if (deliveries.Count == 0)
        {
            Console.WriteLine("(no deliveries)");
        }
        else
        {
            Console.WriteLine($"{"EVENT",-44}  {"TYPE",-26}  {"STATUS",-13}  {"ATTEMPTS",8}  {"HTTP",4}  WHY");
            foreach (var d in deliveries)
            {
                var why = d.DeadLetterReason.Length > 0 ? d.DeadLetterReason : d.LastError;
                Console.WriteLine($"{d.EventId,-44}  {d.EventType,-26}  {Format.Enum(d.Status),-13}  {d.Attempts,8}  {(d.LastHttpStatus == 0 ? "-" : d.LastHttpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)),4}  {Format.OneLine(why, 60)}");
            }
        }
        Paging.PrintMore(args, next);
        return 0;
    }

    public static async Task<int> Redeliver(string[] argv)
    {
        var args = ArgReader.Parse("deliveries redeliver", argv, "dispute= seq= json");
        args.AllowPositionals(1);
        var request = new RedeliverWebhookDeliveriesRequest
        {
            EndpointId = args.Positional(0, "ENDPOINT_ID"),
            DisputeId = args.Get("dispute") ?? string.Empty,
            Seq = args.GetInt64("seq") ?? 0,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Admin().RedeliverWebhookDeliveriesAsync(request);
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        Console.WriteLine($"requeued {response.Requeued} dead-lettered deliveries of {request.EndpointId}");
        return 0;
    }

    private static void PrintSecret(string secret)
    {
        Console.WriteLine("signing secret (shown only this once; store it safely):");
        Console.WriteLine($"  {secret}");
    }

    private static void PrintEndpoints(IEnumerable<WebhookEndpoint> endpoints)
    {
        Console.WriteLine($"{"ENDPOINT",-30}  {"OWNER",-24}  {"ENABLED",-7}  {"CREATED",-25}  URL");
        foreach (var e in endpoints)
        {
            var enabled = e.Enabled ? "yes" : "no";
            var reason = e.Enabled || e.DisabledReason.Length == 0 ? string.Empty : $"  ({e.DisabledReason})";
            Console.WriteLine($"{e.EndpointId,-30}  {Format.Enum(e.OwnerKind) + ":" + e.OwnerId,-24}  {enabled,-7}  {Format.Time(e.CreateTime),-25}  {e.Url}{reason}");
        }
    }
}
