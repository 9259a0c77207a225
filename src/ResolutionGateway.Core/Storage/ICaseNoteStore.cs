namespace ResolutionGateway.Core.Storage;

/// <summary>A regulator's internal note on a case: never part of the dispute's log, never shown to the parties.</summary>
public sealed record CaseNote(string DisputeId, string NoteId, string Author, string Text, DateTimeOffset CreatedAt);

/// <summary>Storage of case notes (one table, <c>case_notes</c>).</summary>
public interface ICaseNoteStore
{
    /// <summary>
    /// Stores <paramref name="note"/> under the caller's request id, or returns the note first stored
    /// under it with that request's hash (the caller compares the hashes).
    /// </summary>
    Task<(CaseNote Note, string RequestHash, bool Duplicate)> AddAsync(CaseNote note, string partyKey, string requestId, string requestHash, CancellationToken ct);

    /// <summary>The dispute's notes, oldest first.</summary>
    Task<IReadOnlyList<CaseNote>> ListAsync(string disputeId, CancellationToken ct);
}
