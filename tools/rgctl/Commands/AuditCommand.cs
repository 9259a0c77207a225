using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>audit list: ListAuditEvents, newest first.</summary>
internal static class AuditCommand
{
    public static async Task<int> List(string[] argv)
    {
        var args = ArgReader.Parse("audit list", argv, "key-id= dispute= from= to= limit= page-token= json");
        args.AllowPositionals(0);
        var from = args.GetTime("from");
        var to = args.GetTime("to");
        using var connection = Connection.Open(args);
        var admin = connection.Admin();
        var (events, next) = await Paging.CollectAsync<AuditEvent>(Paging.Limit(args), args.Get("page-token") ?? string.Empty, 500, async (token, size) =>
        {
            var request = new ListAuditEventsRequest
            {
                KeyId = args.Get("key-id") ?? string.Empty,
                DisputeId = args.Get("dispute") ?? string.Empty,
                StartTime = from is { } f ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(f) : null,
                EndTime = to is { } t ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(t) : null,
                PageSize = size,
                PageToken = token,
            };
            var response = await admin.ListAuditEventsAsync(request);
            return (response.Events, response.NextPageToken);
        });
        if (args.Has("json"))
        {
            Printer.PrintJsonArray(events);
        }
        else if (events.Count == 0)
        {
            Console.WriteLine("(no audit events)");
        }
        else
        {
            Console.WriteLine($"{"TIME",-25}  {"KEY",-30}  {"ROLE",-9}  {"KIND",-18}  {"RPC",-48}  ABOUT");
            foreach (var e in events)
            {
                var about = e.DisputeId.Length > 0 ? e.DisputeId : e.ObjectId;
                Console.WriteLine($"{Format.Time(e.OccurTime),-25}  {e.KeyId,-30}  {Format.Enum(e.Role),-9}  {Format.Enum(e.Kind),-18}  {e.Rpc,-48}  {about}");
            }
        }
        Paging.PrintMore(args, next);
        return 0;
    }
}
