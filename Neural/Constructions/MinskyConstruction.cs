using Workbench.Automata.Core;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;

namespace Workbench.Neural.Constructions;

/// <summary>
/// Minsky's construction (notes §5.2, Lemma 5.2.2): a deterministic PFSA becomes a Heaviside Elman RNN LM
/// with one hidden unit per (state, incoming symbol) pair, |Q|·|Σ| units in all. hₜ is the one-hot vector
/// of (qₜ, yₜ): U[n(q′, y′), n(q, y)] = 1 iff q –y′→ q′, V[n(q′, y′), y′] = 1 iff some arc enters q′ on
/// y′, b = −1, so exactly the unit of the next state and symbol sees 1 + 1 − 1 &gt; 0. The output row of
/// ȳ at n(q, ·) holds log w(q –ȳ→) (log ρ(q) for EOS), or the probability itself under sparsemax, which
/// projects a distribution onto itself. h₀ is the unit (q₀, first symbol): the transitions and outputs
/// of a unit depend only on its state. O(|Q|²|Σ|²) weights; float64.
/// </summary>
public static class MinskyConstruction
{
    /// <summary>Stands in for log 0 in the softmax output: finite so that 0·E stays 0, and exp of it is exactly 0.</summary>
    public const double LogZero = -1e30;

    /// <summary>The RNN of a deterministic PFSA.</summary>
    /// <exception cref="InvalidModelException">The machine is not a deterministic PFSA with a single initial state of weight 1.</exception>
    public static ElmanNetwork Compile(Wfsa<Real> pfsa, OutputProjection output = OutputProjection.Softmax)
    {
        int start = RequireDeterministicPfsa(pfsa);
        int states = pfsa.StateCount, symbols = pfsa.Alphabet.Size, units = states * symbols;
        var recurrence = new double[units, units];
        var input = new double[symbols, units];
        var readout = new double[symbols + 1, units];
        var bias = Enumerable.Repeat(-1.0, units).ToArray();
        var initial = new double[units];
        initial[Unit(start, 0, symbols)] = 1;
        double Entry(double probability) => output == OutputProjection.Sparsemax
            ? probability > 0 ? probability : -1
            : probability > 0 ? Math.Log(probability) : LogZero;
        for (int q = 0; q < states; q++)
        {
            for (int y = 0; y < symbols; y++)
                readout[symbols, Unit(q, y, symbols)] = Entry(pfsa.FinalWeights[q].Value);
            var outgoing = new double[symbols];
            for (int arc = pfsa.ArcStart(q); arc < pfsa.ArcEnd(q); arc++)
            {
                int label = pfsa.ArcLabels[arc], target = pfsa.ArcTargets[arc];
                outgoing[label] = pfsa.ArcWeights[arc].Value;
                input[label, Unit(target, label, symbols)] = 1;
                for (int y = 0; y < symbols; y++)
                    recurrence[Unit(target, label, symbols), Unit(q, y, symbols)] = 1;
            }
            for (int label = 0; label < symbols; label++)
                for (int y = 0; y < symbols; y++)
                    readout[label, Unit(q, y, symbols)] = Entry(outgoing[label]);
        }
        var architecture = new NeuralArchitecture { Kind = NetworkKind.Elman, Hidden = units, Activation = Activation.Heaviside, Output = output, Double = true };
        return ElmanNetwork.FromWeights(pfsa.Alphabet, architecture,
            new ElmanWeights(recurrence, input, bias, initial, readout, new double[symbols + 1]));
    }

    /// <summary>The hidden unit of (state, incoming symbol).</summary>
    public static int Unit(int state, int symbol, int alphabetSize) => state * alphabetSize + symbol;

    /// <summary>The single initial state, after checking that the machine is a deterministic PFSA.</summary>
    private static int RequireDeterministicPfsa(Wfsa<Real> pfsa)
    {
        int start = DeterministicAutomata.Start(pfsa, "Minsky's construction");
        PfsaValidation.Validate(pfsa);
        if (Math.Abs(pfsa.InitialWeights[start].Value - 1) > 1e-12)
            throw new InvalidModelException(Invariant($"Minsky's construction needs an initial weight of 1; this machine starts with {pfsa.InitialWeights[start].Value}"));
        return start;
    }
}
