using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace StxmPhase.IO;

/// <summary>
/// LibTiff.NET error handler that keeps messages off the console and remembers the last error of the current
/// thread, so that the TIFF reader can put it in its exception message.
/// </summary>
internal sealed class QuietTiffErrorHandler : TiffErrorHandler
{
#pragma warning disable IDE1006 // t_ marks a thread-static field (the runtime's convention), which the naming rules cannot tell apart
    [ThreadStatic]
    private static string? t_lastError;
#pragma warning restore IDE1006

    private static readonly Lock s_lock = new();
    private static bool s_installed;

    public static string? LastError
    {
        get => t_lastError;
        set => t_lastError = value;
    }

    public static void Install()
    {
        lock (s_lock)
        {
            if (!s_installed)
            {
                Tiff.SetErrorHandler(new QuietTiffErrorHandler());
                s_installed = true;
            }
        }
    }

    public override void ErrorHandler(Tiff tif, string method, string format, params object[] args) =>
        t_lastError = Format(method, format, args);

    public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) =>
        t_lastError = Format(method, format, args);

    public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
    {
    }

    public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
    {
    }

    private static string Format(string method, string format, object[] args)
    {
        try
        {
            return method + ": " + string.Format(CultureInfo.InvariantCulture, format, args);
        }
        catch (FormatException)
        {
            return method + ": " + format;
        }
    }
}
