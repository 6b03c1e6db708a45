using System.Globalization;

namespace StxmPhase.Cli;

/// <summary>
/// Reports workflow progress on standard error as a single updating line with a bar, only when standard error is a
/// terminal (quiet when redirected). Reports synchronously (no thread-pool posting) so lines never interleave.
/// </summary>
internal sealed class ConsoleProgress : IProgress<WorkflowProgress>
{
    private readonly TextWriter _writer;
    private readonly bool _enabled;
    private WorkflowStage? _stage;
    private DateTime _last = DateTime.MinValue;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="writer">Where to write (standard error).</param>
    /// <param name="enabled">Whether to write at all (typically: standard error is a terminal and not --quiet).</param>
    public ConsoleProgress(TextWriter writer, bool enabled)
    {
        _writer = writer;
        _enabled = enabled;
    }

    /// <inheritdoc/>
    public void Report(WorkflowProgress value)
    {
        if (!_enabled)
        {
            return;
        }

        DateTime now = DateTime.UtcNow;
        bool stageChanged = _stage != value.Stage;
        if (!stageChanged && value.Fraction < 1 && (now - _last).TotalMilliseconds < 100)
        {
            return;
        }

        if (stageChanged && _stage is not null)
        {
            _writer.WriteLine();
        }

        _stage = value.Stage;
        _last = now;
        const int width = 28;
        int filled = (int)Math.Round(Math.Clamp(value.Fraction, 0, 1) * width);
        string bar = new string('#', filled) + new string('.', width - filled);
        string line = string.Create(CultureInfo.InvariantCulture, $"\r{value.Stage,-13} [{bar}] {value.Fraction * 100,5:F1}%  {value.Message}");
        _writer.Write(line.Length > 118 ? line[..118] : line.PadRight(118));
        _writer.Flush();
    }

    /// <summary>Ends the progress line.</summary>
    public void Complete()
    {
        if (_enabled && _stage is not null)
        {
            _writer.WriteLine();
            _stage = null;
        }
    }
}
