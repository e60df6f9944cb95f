using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Semirings;
using Workbench.Neural.Constructions;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P6.9 (Turing completeness, Siegelmann &amp; Sontag): a saturated-sigmoid Elman RNN with rational weights,
/// run with unbounded precision, simulates a two-stack PDA, the stacks kept as base-10 fractions with
/// digits {1, 3}.
/// </summary>
public static class P6_9_StackRnnsSimulateTwoStackPdas
{
    /// <summary>Random machines and inputs, in exact rational arithmetic.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P6.9",
        "A saturated-sigmoid RNN with rational weights simulates a two-stack PDA exactly: decode(encode(stack)) = stack, the stacks and state after every symbol equal the PDA's, and acceptance agrees.",
        "§5.2 (Turing completeness of RNNs)",
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from states in Gen.Choose(1, 4)
            from symbols in Gen.Choose(1, 3)
            from length in Gen.Choose(0, 12)
            select (seed, states, symbols, length)),
        Check,
        defaultTrials: 40);

    private static void Check((int Seed, int States, int Symbols, int Length) instance)
    {
        var random = new Random(instance.Seed);
        int[] stack = Enumerable.Range(0, random.Next(20)).Select(_ => random.Next(2)).ToArray();
        Require.That(StackRnnConstruction.DecodeStack(StackRnnConstruction.EncodeStack(stack)).SequenceEqual(stack), $"decode(encode([{string.Join(' ', stack)}]))");

        var pda = TwoStackPda.Random(random, instance.States, instance.Symbols);
        var construction = new StackRnnConstruction(pda);
        int[] input = Enumerable.Range(0, instance.Length).Select(_ => random.Next(instance.Symbols)).ToArray();
        var expected = pda.Run(input);
        var hidden = construction.Run(input);
        for (int i = 0; i < input.Length; i++)
        {
            var (state, first, second) = construction.Decode(hidden[i]);
            if (expected[i] is not { } configuration)
            {
                Require.That(state is null, $"the PDA rejected at symbol {i + 1} but the RNN is in state {state}");
                continue;
            }
            Require.That(state == configuration.State, $"state after symbol {i + 1}: PDA {configuration.State}, RNN {state}");
            Require.That(first.SequenceEqual(configuration.First) && second.SequenceEqual(configuration.Second),
                $"stacks after symbol {i + 1}: PDA [{string.Join(' ', configuration.First)}] / [{string.Join(' ', configuration.Second)}], RNN [{string.Join(' ', first)}] / [{string.Join(' ', second)}]");
            Require.That(hidden[i].All(v => v.CompareTo(Rational.Zero) >= 0 && v.CompareTo(Rational.One) <= 0), "hidden values stay in [0, 1]");
        }
        Require.That(construction.Accepts(input) == pda.Accepts(input), "acceptance differs");
    }
}
