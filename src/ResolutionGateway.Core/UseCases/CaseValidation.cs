using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>Checks the regulator's case commands before anything is read.</summary>
public static class CaseValidation
{
    /// <summary>Longest officer name accepted.</summary>
    public const int MaxOfficer = 100;

    /// <summary>Validates AcceptCase.</summary>
    public static void Validate(AcceptCaseCommand c) => CommandValidation.Validate(c.RequestId, c.DisputeId, c.Note);

    /// <summary>Validates RefuseCase: a reason of art. 15 and a note (the consumer is told why).</summary>
    public static void Validate(RefuseCaseCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        if (c.Reason == RefusalReason.Unspecified || !Enum.IsDefined(c.Reason))
        {
            v.Add("reason", "required: one of the RefusalReason values (the grounds of art. 15)");
        }
        v.RequiredText(c.Note, "note", Violations.MaxText);
        v.ThrowIfAny();
    }

    /// <summary>Validates AssignCase.</summary>
    public static void Validate(AssignCaseCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        v.RequiredText(c.Officer, "officer", MaxOfficer);
        v.OptionalText(c.Note, "note", Violations.MaxText);
        v.ThrowIfAny();
    }

    /// <summary>Validates TransferCase.</summary>
    public static void Validate(TransferCaseCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        if (!Violations.IsRegionPrefix(c.RegionPrefix))
        {
            v.Add("region_prefix", "required: a GB/T 2260 region prefix of 2, 4 or 6 digits, e.g. 330106");
        }
        v.OptionalText(c.Note, "note", Violations.MaxText);
        v.ThrowIfAny();
    }

    /// <summary>Validates AddCaseNote.</summary>
    public static void Validate(AddCaseNoteCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        v.RequiredText(c.Text, "text", Violations.MaxText);
        v.ThrowIfAny();
    }

    private static Violations Start(string requestId, string disputeId)
    {
        var v = new Violations();
        v.RequestId(requestId);
        if (!Ids.IsValid(disputeId, "dsp"))
        {
            v.Add("dispute_id", "required: a dispute id (dsp_ followed by 26 characters)");
        }
        return v;
    }
}
