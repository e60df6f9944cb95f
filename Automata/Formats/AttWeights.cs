namespace Workbench.Automata.Formats;

/// <summary>How the weights in an AT&amp;T text file are written.</summary>
public enum AttWeights
{
    /// <summary>w = −ln p, OpenFst's convention for the log and tropical semirings; a missing weight is 0 (p = 1).</summary>
    NegativeLog,

    /// <summary>w = p, a probability or non-negative real weight; a missing weight is 1.</summary>
    Probability,
}
