using System.Text;

namespace StxmPhase.Cli.Beamtime;

/// <summary>
/// The standard error of one stack mapped beside others (<c>batch --jobs N</c>): each complete line (a warning, a note) goes
/// to the shared writer as one line prefixed with the stack's name, under a lock shared by every stack, so parallel stacks'
/// warnings reach the console whole and say which stack they are about.
/// </summary>
internal sealed class StackLineWriter : TextWriter
{
    private readonly TextWriter _target;
    private readonly string _prefix;
    private readonly object _gate;
    private readonly StringBuilder _line = new();

    /// <summary>Initializes the writer.</summary>
    /// <param name="target">The shared writer (the command's standard error).</param>
    /// <param name="stackName">The stack's name, written before each line in brackets.</param>
    /// <param name="gate">The lock every writer of <paramref name="target"/> takes.</param>
    public StackLineWriter(TextWriter target, string stackName, object gate)
        : base(System.Globalization.CultureInfo.InvariantCulture)
    {
        _target = target;
        _prefix = "[" + stackName + "] ";
        _gate = gate;
    }

    /// <inheritdoc/>
    public override Encoding Encoding => _target.Encoding;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (value == '\n')
        {
            Emit();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        foreach (char c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _line.Length > 0)
        {
            Emit();
        }

        base.Dispose(disposing);
    }

    private void Emit()
    {
        string line = _prefix + _line;
        _line.Clear();
        lock (_gate)
        {
            _target.WriteLine(line);
        }
    }
}
