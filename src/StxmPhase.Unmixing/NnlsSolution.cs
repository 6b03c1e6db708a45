namespace StxmPhase.Unmixing;

/// <summary>The outcome of one <see cref="Nnls.Solve"/> call.</summary>
/// <param name="ResidualNorm">‖A x − b‖₂ at the returned x.</param>
/// <param name="Converged">
/// <see langword="false"/> when the outer loop hit its cap of 3·columns additions (x is then the last feasible iterate).
/// </param>
public readonly record struct NnlsSolution(double ResidualNorm, bool Converged);
