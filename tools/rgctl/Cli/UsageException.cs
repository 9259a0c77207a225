namespace ResolutionGateway.Tools.Rgctl.Cli;

/// <summary>A mistake on the command line (or missing configuration): exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message, string? command = null)
        : base(message)
    {
        Command = command;
    }

    public UsageException()
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The command whose usage should be shown, when known.</summary>
    public string? Command { get; }
}
