namespace StxmPhase.Spectra;

/// <summary>
/// Thrown when a native library that StxmPhase needs (for example TorchSharp's <c>libLibTorchSharp.so</c> and the
/// libtorch files it depends on) cannot be loaded, even after the automatic workarounds. The message names the
/// library, the folder searched, the loader's error and what the user can install or reference to fix it.
/// </summary>
public sealed class NativeLibraryLoadException : StxmPhaseException
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">A full sentence naming the library, the loader error and the remedy.</param>
    public NativeLibraryLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">A full sentence naming the library, the loader error and the remedy.</param>
    /// <param name="innerException">The exception raised by the runtime loader.</param>
    public NativeLibraryLoadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance with a default message.</summary>
    public NativeLibraryLoadException()
        : base("A native library could not be loaded.")
    {
    }

    /// <summary>Gets the path of the native library that failed to load, when known.</summary>
    public string? LibraryPath { get; init; }
}
