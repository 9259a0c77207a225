using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;
using static ResolutionGateway.Tools.Rgctl.Commands.ActionCommands;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>The regulator's case handling: one thin command per RPC (AcceptCase, RefuseCase, AssignCase, TransferCase, AddCaseNote, ListCaseNotes).</summary>
internal static class CaseCommands
{
    public static async Task<int> Accept(string[] argv)
    {
        var args = Parse("case accept", argv, "note=");
        var request = new AcceptCaseRequest { RequestId = args.RequestId(), DisputeId = args.DisputeId(), Note = args.Get("note") ?? string.Empty };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().AcceptCaseAsync(request);
        return Emit(args, response, $"case accepted; mediation due {response.Dispute.MediationDueTime}", response.Dispute);
    }

    public static async Task<int> Refuse(string[] argv)
    {
        var args = Parse("case refuse", argv, "reason= note=");
        var request = new RefuseCaseRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Reason = args.RequireEnum<RefusalReason>("reason"),
            Note = args.Require("note"),
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().RefuseCaseAsync(request);
        return Emit(args, response, "case refused; the dispute is closed as unresolved", response.Dispute);
    }

    public static async Task<int> Assign(string[] argv)
    {
        var args = Parse("case assign", argv, "officer= note=");
        var request = new AssignCaseRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Officer = args.Require("officer"),
            Note = args.Get("note") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().AssignCaseAsync(request);
        return Emit(args, response, $"case assigned to {request.Officer}", response.Dispute);
    }

    public static async Task<int> Transfer(string[] argv)
    {
        var args = Parse("case transfer", argv, "region= note=");
        var request = new TransferCaseRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            RegionPrefix = args.Require("region"),
            Note = args.Get("note") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().TransferCaseAsync(request);
        return Emit(args, response, $"case transferred to the regulator of {request.RegionPrefix}", response.Dispute);
    }

    public static async Task<int> Note(string[] argv)
    {
        var args = Parse("case note", argv, "text=");
        var request = new AddCaseNoteRequest { RequestId = args.RequestId(), DisputeId = args.DisputeId(), Text = args.Require("text") };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().AddCaseNoteAsync(request);
        return Emit(args, response, $"note {response.Note.NoteId} added to the case (internal: never shown to the parties)", null);
    }

    public static async Task<int> Notes(string[] argv)
    {
        var args = Parse("case notes", argv, string.Empty);
        var request = new ListCaseNotesRequest { DisputeId = args.DisputeId() };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().ListCaseNotesAsync(request);
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        if (response.Notes.Count == 0)
        {
            Console.WriteLine("(no notes)");
        }
        foreach (var note in response.Notes)
        {
            Console.WriteLine($"{Format.Time(note.CreateTime)}  {note.AuthorRegionPrefix,-6}  {note.Text.ReplaceLineEndings(" ")}");
        }
        return 0;
    }
}
