namespace StxmPhase.Correlation;

/// <summary>
/// A reference count known to the JIT: the kernel is instantiated once per struct below, and
/// <see cref="Value"/> folds to a constant in each instantiation, so only the live accumulators are emitted.
/// </summary>
internal interface IPhaseCount
{
    /// <summary>Gets the number of references (1 … <see cref="PreparedReferences.GroupSize"/>), or 0 for "more, in groups".</summary>
    static abstract int Value { get; }
}

/// <summary>One reference.</summary>
internal readonly struct PhaseCount1 : IPhaseCount
{
    public static int Value => 1;
}

/// <summary>Two references.</summary>
internal readonly struct PhaseCount2 : IPhaseCount
{
    public static int Value => 2;
}

/// <summary>Three references.</summary>
internal readonly struct PhaseCount3 : IPhaseCount
{
    public static int Value => 3;
}

/// <summary>Four references.</summary>
internal readonly struct PhaseCount4 : IPhaseCount
{
    public static int Value => 4;
}

/// <summary>Five references (the paper's phases).</summary>
internal readonly struct PhaseCount5 : IPhaseCount
{
    public static int Value => 5;
}

/// <summary>Six references.</summary>
internal readonly struct PhaseCount6 : IPhaseCount
{
    public static int Value => 6;
}

/// <summary>Seven references.</summary>
internal readonly struct PhaseCount7 : IPhaseCount
{
    public static int Value => 7;
}

/// <summary>Eight references (one full register group).</summary>
internal readonly struct PhaseCount8 : IPhaseCount
{
    public static int Value => 8;
}

/// <summary>More than eight references: processed in groups of eight, one pass over the energies per group.</summary>
internal readonly struct PhaseCountMany : IPhaseCount
{
    public static int Value => 0;
}
