namespace StxmPhase.Spectra;

/// <summary>
/// Base type of every domain exception thrown by StxmPhase: problems with input files, their contents,
/// incompatible inputs and model checkpoints. Argument problems use the standard <see cref="ArgumentException"/> family.
/// </summary>
/// <remarks>
/// The optional <see cref="FileName"/>, <see cref="Field"/> and <see cref="Offset"/> say where the problem was found,
/// so that a command-line tool can print a one-line message that names the file and the problem.
/// </remarks>
public class StxmPhaseException : Exception
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">A full sentence that states the rule and the offending value.</param>
    public StxmPhaseException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception that caused it.</summary>
    /// <param name="message">A full sentence that states the rule and the offending value.</param>
    /// <param name="innerException">The low-level exception that caused this one, or <see langword="null"/>.</param>
    public StxmPhaseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance with no message (required by serialization conventions).</summary>
    public StxmPhaseException()
        : base("An StxmPhase operation failed.")
    {
    }

    /// <summary>Gets the file in which the problem was found, when known.</summary>
    public string? FileName { get; init; }

    /// <summary>Gets the field, dataset or header key in which the problem was found, when known.</summary>
    public string? Field { get; init; }

    /// <summary>Gets the byte offset (or line number for text formats) at which the problem was found, when known.</summary>
    public long? Offset { get; init; }
}
