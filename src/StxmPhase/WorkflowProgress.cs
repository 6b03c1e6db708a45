namespace StxmPhase;

/// <summary>A progress report of <see cref="PhaseMappingWorkflow"/>.</summary>
/// <param name="Stage">The stage being worked on.</param>
/// <param name="Fraction">Completed fraction of that stage, in [0, 1].</param>
/// <param name="Message">A short human-readable description (e.g. "epoch 12/60, loss 1.2e-3").</param>
public readonly record struct WorkflowProgress(WorkflowStage Stage, double Fraction, string Message);
