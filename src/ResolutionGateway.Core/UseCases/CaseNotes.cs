using System.Security.Cryptography;
using System.Text.Json;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Core.UseCases;

/// <summary>
/// The regulator's internal case notes. Not events: the dispute's log goes to the parties and their
/// webhooks, and a note never does. Only regulators who see the case write and read them; admins read.
/// </summary>
public sealed class CaseNotes(IDisputeStore disputes, ICaseNoteStore notes, TimeProvider time)
{
    /// <summary>Adds a note to an escalated (or formerly escalated) case; a retry with the same request id returns the first note.</summary>
    public async Task<CaseNote> AddAsync(Principal p, AddCaseNoteCommand c, CancellationToken ct)
    {
        if (p.Role != CredentialRole.Regulator)
        {
            throw new PermissionDeniedException($"a {p.Role.ToString().ToLowerInvariant()} credential may not add case notes");
        }
        CaseValidation.Validate(c);
        var d = await VisibleAsync(p, c.DisputeId, ct);
        if (d.CaseStatus == CaseStatus.None)
        {
            throw new PreconditionFailedException("STATE", $"disputes/{d.DisputeId}", "case notes can be added once the dispute is escalated");
        }
        DisputeRules.RequireCaseHandler(d, p.ActorFor(d));
        var now = Clock.Now(time);
        var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(c)));
        var (note, firstHash, duplicate) = await notes.AddAsync(
            new CaseNote(d.DisputeId, Ids.New("note", now), p.Scope, c.Text, now), p.PartyKey, c.RequestId, hash, ct);
        if (duplicate && firstHash != hash)
        {
            throw new ValidationException("request_id",
                "already used by this caller for a different AddCaseNote request; use a new request_id for a new request");
        }
        return note;
    }

    /// <summary>The case's notes, oldest first (regulators who see the case, admins).</summary>
    public async Task<IReadOnlyList<CaseNote>> ListAsync(Principal p, string disputeId, CancellationToken ct)
    {
        if (p.Role is not (CredentialRole.Regulator or CredentialRole.Admin))
        {
            throw new PermissionDeniedException($"a {p.Role.ToString().ToLowerInvariant()} credential may not read case notes");
        }
        CommandValidation.ValidateDisputeId(disputeId);
        await VisibleAsync(p, disputeId, ct);
        return await notes.ListAsync(disputeId, ct);
    }

    private async Task<Dispute> VisibleAsync(Principal p, string disputeId, CancellationToken ct)
    {
        var d = await disputes.GetAsync(disputeId, ct);
        return d is not null && p.CanSee(d) ? d : throw new NotFoundException("dispute", disputeId);
    }
}
