using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StxmPhase.Cli;

/// <summary>What a command needs from its environment: writers, logging, progress.</summary>
internal sealed class CliContext : IDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Initializes a new context.</summary>
    /// <param name="stdout">Standard output (results, tables).</param>
    /// <param name="stderr">Standard error (progress, errors, logs).</param>
    /// <param name="verbose">Whether to log at Information level and show stack traces.</param>
    /// <param name="quiet">Whether to suppress progress bars.</param>
    public CliContext(TextWriter stdout, TextWriter stderr, bool verbose, bool quiet)
    {
        Out = stdout;
        Error = stderr;
        Verbose = verbose;
        _loggerFactory = verbose
            ? LoggerFactory.Create(b => b
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss ";
                })
                .SetMinimumLevel(LogLevel.Information))
            : NullLoggerFactory.Instance;
        bool terminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        Progress = new ConsoleProgress(stderr, enabled: terminal && !quiet);
    }

    /// <summary>Gets standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Gets standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Gets whether verbose output was requested.</summary>
    public bool Verbose { get; }

    /// <summary>Gets the progress reporter (stderr, terminal only).</summary>
    public ConsoleProgress Progress { get; }

    /// <summary>Creates a logger.</summary>
    /// <param name="category">The category name.</param>
    /// <returns>The logger.</returns>
    public ILogger Logger(string category) => _loggerFactory.CreateLogger(category);

    /// <inheritdoc/>
    public void Dispose() => _loggerFactory.Dispose();
}
