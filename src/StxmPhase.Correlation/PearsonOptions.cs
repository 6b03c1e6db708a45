using System.Globalization;
using StxmPhase.Shared;

namespace StxmPhase.Correlation;

/// <summary>
/// Settings of <see cref="PearsonPhaseCorrelator"/>. The defaults are the values of the paper (arXiv 2603.07666):
/// a pixel is ambiguous when its best and second-best Pearson coefficients differ by less than δ = 0.005.
/// </summary>
/// <example>
/// <code>
/// var correlator = new PearsonPhaseCorrelator(new PearsonOptions { AmbiguityThreshold = 0.01, MaxDegreeOfParallelism = 2 });
/// CorrelationResult result = correlator.Correlate(stack, references.ResampleTo(stack.Energies));
/// </code>
/// </example>
public sealed class PearsonOptions
{
    private readonly double _ambiguityThreshold = DefaultAmbiguityThreshold;
    private readonly int _maxDegreeOfParallelism = -1;
    private readonly int _vectorBits;

    /// <summary>The paper's ambiguity threshold δ on Q1 − Q2 (0.005, i.e. reliability R &lt; 0.5).</summary>
    public const double DefaultAmbiguityThreshold = 0.005;

    /// <summary>Gets an instance holding the defaults.</summary>
    public static PearsonOptions Default { get; } = new();

    /// <summary>
    /// Gets the threshold δ on Q1 − Q2 below which a valid pixel is ambiguous. Default 0.005 (the paper's value).
    /// </summary>
    /// <remarks>
    /// A pixel is ambiguous iff <c>Q1 − Q2 &lt; δ</c>: equality is not ambiguous and an exact tie (Q1 = Q2) is.
    /// The difference is taken between the float32 coefficients as stored in the result (exact whenever Q1 ≥ 2δ, by
    /// Sterbenz's lemma) and compared with δ as a real number. With 0, no pixel is ambiguous (Q1 − Q2 ≥ 0 always).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN, infinite or greater than 2.</exception>
    public double AmbiguityThreshold
    {
        get => _ambiguityThreshold;
        init
        {
            if (!(value >= 0 && value <= 2))
            {
                throw new ArgumentOutOfRangeException(nameof(AmbiguityThreshold), value,
                    string.Create(CultureInfo.InvariantCulture, $"AmbiguityThreshold must be in [0, 2] (the range of Q1 − Q2); got {value}."));
            }

            _ambiguityThreshold = value;
        }
    }

    /// <summary>
    /// Gets the largest number of threads used, or −1 (default) for all processors
    /// (<see cref="Environment.ProcessorCount"/>).
    /// </summary>
    /// <remarks>
    /// The stack is cut into fixed bands of contiguous pixels that do not depend on this value, so results are
    /// bit-identical for every degree of parallelism on a given machine.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is 0 or less than −1.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        init
        {
            Parallelism.ThrowIfInvalid(value, nameof(MaxDegreeOfParallelism), "PearsonOptions.MaxDegreeOfParallelism");
            _maxDegreeOfParallelism = value;
        }
    }

    /// <summary>
    /// Gets the vector width in bits the kernel is forced to use (128, 256 or 512), or 0 (default) for the widest
    /// hardware-accelerated width. Internal: lets tests exercise every code path on one machine.
    /// </summary>
    internal int VectorBits
    {
        get => _vectorBits;
        init
        {
            if (value is not (0 or 128 or 256 or 512))
            {
                throw new ArgumentOutOfRangeException(nameof(VectorBits), value, "VectorBits must be 0, 128, 256 or 512.");
            }

            _vectorBits = value;
        }
    }

    /// <summary>Gets the number of threads to use: <see cref="MaxDegreeOfParallelism"/> with −1 resolved.</summary>
    internal int EffectiveDegreeOfParallelism =>
        _maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : _maxDegreeOfParallelism;
}
