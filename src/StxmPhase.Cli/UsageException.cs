namespace StxmPhase.Cli;

/// <summary>A problem with the command line that the parser cannot see (e.g. an output folder that already holds results).</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">A one-line message.</param>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    public UsageException()
        : base("Invalid arguments.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">A one-line message.</param>
    /// <param name="innerException">The cause.</param>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
