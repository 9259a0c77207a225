using Dapper;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>The regulator's case notes, on either database. A note is one row; no dispute row is touched.</summary>
public sealed class CaseNoteRepository(IDatabase db) : ICaseNoteStore
{
    private const string InsertSql = """
        INSERT INTO case_notes (dispute_id, note_id, party_key, request_id, request_hash, author, text, created_at)
        VALUES (@DisputeId, @NoteId, @PartyKey, @RequestId, @RequestHash, @Author, @Text, @CreatedAt)
        """;

    private const string FindByRequestSql = """
        SELECT dispute_id AS DisputeId, note_id AS NoteId, author AS Author, text AS Text, created_at AS CreatedAt, request_hash AS RequestHash
        FROM case_notes WHERE party_key = @PartyKey AND request_id = @RequestId
        """;

    /// <inheritdoc />
    public async Task<(CaseNote Note, string RequestHash, bool Duplicate)> AddAsync(
        CaseNote note, string partyKey, string requestId, string requestHash, CancellationToken ct)
    {
        try
        {
            await db.ExecuteAsync(InsertSql, new
            {
                note.DisputeId,
                note.NoteId,
                PartyKey = partyKey,
                RequestId = requestId,
                RequestHash = requestHash,
                note.Author,
                note.Text,
                CreatedAt = UnixMs.From(note.CreatedAt),
            }, ct);
            return (note, requestHash, false);
        }
        catch (Exception e) when (db.IsDuplicateKey(e))
        {
            // A retry of the same request id: the unique (party_key, request_id) key refused it.
            var first = await db.ReadAsync(async (c, t) => await c.QuerySingleAsync<NoteRow>(
                new CommandDefinition(FindByRequestSql, new { PartyKey = partyKey, RequestId = requestId }, cancellationToken: t)), ct);
            return (first.ToNote(), first.RequestHash, true);
        }
    }

    private const string ListSql = """
        SELECT dispute_id AS DisputeId, note_id AS NoteId, author AS Author, text AS Text, created_at AS CreatedAt, request_hash AS RequestHash
        FROM case_notes WHERE dispute_id = @DisputeId ORDER BY note_id
        """;

    /// <inheritdoc />
    public Task<IReadOnlyList<CaseNote>> ListAsync(string disputeId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<CaseNote>>(async (c, t) =>
            (await c.QueryAsync<NoteRow>(new CommandDefinition(ListSql, new { DisputeId = disputeId }, cancellationToken: t)))
            .Select(r => r.ToNote()).ToArray(), ct);

    private sealed record NoteRow(string DisputeId, string NoteId, string Author, string Text, long CreatedAt, string RequestHash)
    {
        public CaseNote ToNote() => new(DisputeId, NoteId, Author, Text, UnixMs.To(CreatedAt));
    }
}
