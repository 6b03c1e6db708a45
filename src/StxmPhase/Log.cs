using Microsoft.Extensions.Logging;

namespace StxmPhase;

/// <summary>Source-generated log messages of the workflow.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Stack}: {Valid} valid, {Ambiguous} ambiguous, {Masked} masked, {Invalid} invalid pixels")]
    public static partial void Correlated(ILogger logger, string stack, int valid, int ambiguous, int masked, int invalid);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Only {Count} valid pixel(s): the latent stages are skipped and the PCC maps are final.")]
    public static partial void TooFewValid(ILogger logger, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "No confidently labelled pixel: ambiguous pixels keep their PCC label.")]
    public static partial void NoConfident(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "The assignment {Type} does not provide phase costs: the ambiguous-pair restriction and the spatial prior are not applied.")]
    public static partial void NoCosts(ILogger logger, string type);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "The encoder returned non-finite coordinates for a reference spectrum; encoded references are not used.")]
    public static partial void ReferenceNotFinite(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information,
        Message = "{Stack}: optical density from {Quantity} with I0 in [{Min}, {Max}]; {Undefined} pixel(s) with undefined OD excluded")]
    public static partial void OpticalDensityDone(ILogger logger, string? stack, string quantity, double min, double max, int undefined);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information,
        Message = "{Stack}: particle mask by Otsu threshold {Threshold} on integrated OD: {Count} of {Total} pixels")]
    public static partial void ParticleMaskDone(ILogger logger, string? stack, double threshold, int count, int total);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information,
        Message = "Latent space: {Confident} confidently labelled points fitted with {Assigner}; {Resolved} pixels resolved, "
            + "{FalsePositives} latent-space false positives")]
    public static partial void Assigned(ILogger logger, int confident, string assigner, int resolved, int falsePositives);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning,
        Message = "The given encoder's spectral blocks ({Encoder}) differ from the input's ({Input}); it encodes with its own normalisation")]
    public static partial void EncoderBlocksDiffer(ILogger logger, string encoder, string input);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "{Stack}: {Message}")]
    public static partial void PriorUnsupported(ILogger logger, string stack, string message);
}
