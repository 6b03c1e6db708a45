namespace StxmPhase.Unmixing;

/// <summary>What <see cref="NmfPhaseMapper"/> needs of a fitted-options NMF estimator: <see cref="Nmf"/> or <see cref="RandomizedNmf"/>.</summary>
internal interface INmfSolver
{
    /// <summary>Factorises X (row-major rows × columns).</summary>
    NmfResult Fit(ReadOnlySpan<double> data, int rows, int columns, IProgress<NmfProgress>? progress, CancellationToken cancellationToken);
}
