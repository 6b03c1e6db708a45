namespace StxmPhase.Spectra;

/// <summary>
/// Thrown when a model checkpoint cannot be loaded: a truncated or foreign file, an unsupported format version,
/// or a state dictionary that does not match the architecture described in the checkpoint.
/// </summary>
public sealed class CheckpointFormatException : StxmPhaseException
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">A full sentence naming the file and the problem.</param>
    public CheckpointFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">A full sentence naming the file and the problem.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public CheckpointFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance with a default message.</summary>
    public CheckpointFormatException()
        : base("The checkpoint file is not valid.")
    {
    }
}
