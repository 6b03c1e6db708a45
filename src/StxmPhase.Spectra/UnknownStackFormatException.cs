namespace StxmPhase.Spectra;

/// <summary>Thrown when no registered reader recognises a file.</summary>
public sealed class UnknownStackFormatException : StackFormatException
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">A full sentence naming the file and the formats that were tried.</param>
    public UnknownStackFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">A full sentence naming the file and the formats that were tried.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public UnknownStackFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance with a default message.</summary>
    public UnknownStackFormatException()
        : base("No reader recognises the file.")
    {
    }
}
