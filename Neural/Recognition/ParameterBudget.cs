using Workbench.Formal.Errors;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;

namespace Workbench.Neural.Recognition;

/// <summary>
/// Sizes a network to a parameter budget, as FLaRe does (64,000 parameters for every architecture, Butoi et al. 2025 §4):
/// the widest hidden size (a multiple of the transformer's heads) whose recognizer, heads included, has at most the
/// budget's parameters. O(log D) network constructions.
/// </summary>
public static class ParameterBudget
{
    /// <summary>The parameters of a recognizer of the architecture over the alphabet (network, recognition head, next-symbol head).</summary>
    public static long Parameters(NeuralArchitecture architecture, Alphabet alphabet)
    {
        using SequenceModel network = NetworkFactory.Create(alphabet, architecture);
        long heads = architecture.Hidden + 1 + (architecture.Hidden + 1L) * alphabet.SizeWithEos;
        return network.parameters().Sum(p => p.numel()) + heads;
    }

    /// <summary>The architecture with the widest hidden size that fits the budget.</summary>
    /// <exception cref="WorkbenchException">Even the narrowest network is over the budget.</exception>
    public static NeuralArchitecture Fit(NeuralArchitecture architecture, Alphabet alphabet, long budget)
    {
        int step = architecture.Kind == NetworkKind.Transformer ? architecture.Heads : 1;
        NeuralArchitecture Sized(int units) => architecture with { Hidden = units * step };
        if (Parameters(Sized(1), alphabet) > budget)
            throw new WorkbenchException(Invariant($"a budget of {budget} parameters is below the smallest {architecture.Kind} recognizer ({Parameters(Sized(1), alphabet)} parameters at hidden {step})"));
        int low = 1, high = 2;
        while (high * step <= 1 << 16 && Parameters(Sized(high), alphabet) <= budget)
        {
            low = high;
            high *= 2;
        }
        while (high - low > 1)
        {
            int middle = (low + high) / 2;
            if (Parameters(Sized(middle), alphabet) <= budget) low = middle; else high = middle;
        }
        return Sized(low);
    }
}
