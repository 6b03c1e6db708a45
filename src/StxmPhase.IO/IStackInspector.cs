using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>An <see cref="IStackReader"/> that can also describe a file without reading all of its pixel data.</summary>
public interface IStackInspector : IStackReader
{
    /// <summary>Gets the human-readable format name used in messages and <see cref="StackFileInfo.Format"/>.</summary>
    string FormatName { get; }

    /// <summary>Describes the stack that <see cref="IStackReader.Read"/> would return for the same options.</summary>
    /// <param name="stream">A readable stream positioned at the start of the file.</param>
    /// <param name="options">Which entry, channel and region to describe; <see cref="StackReadOptions.FileName"/> locates companion files.</param>
    /// <returns>The description.</returns>
    /// <exception cref="StackFormatException">The file is not valid in this format.</exception>
    StackFileInfo Inspect(Stream stream, StackReadOptions options);
}
