namespace StxmPhase.Unmixing;

/// <summary>Progress of an NMF fit, reported once per iteration.</summary>
/// <param name="Iteration">The iteration just completed (1-based).</param>
/// <param name="MaxIterations">The iteration cap.</param>
/// <param name="Objective">½‖X − WH‖²_F after the iteration (for randomized NMF: measured through the QB approximation).</param>
/// <param name="ViolationRatio">Projected-gradient violation relative to the first iteration.</param>
public readonly record struct NmfProgress(int Iteration, int MaxIterations, double Objective, double ViolationRatio);
