using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;

namespace Workbench.Proofs.Generators;

/// <summary>The context a <see cref="ContextLanguageModel"/> conditions on: the prefix length and its last symbol (−1 for ε).</summary>
public readonly record struct Context(int Length, int Last);

/// <summary>
/// A random locally normalised LM whose conditionals depend on the prefix length t and the last symbol.
/// Its EOS probability is pinned between a floor f(t) = c/(t+1)^α and a ceiling
/// g(t) = f(t) + h·(1 − f(t)), so the bounds of P2.5 apply; the rest of each distribution comes from a
/// seeded hash. Not tight when α &gt; 1 (and h = 0), tight when α ≤ 1.
/// </summary>
public sealed class ContextLanguageModel(int alphabetSize, int seed, double floorScale, double floorExponent, double ceilingShare)
    : IAutoregressiveLanguageModel<Context>
{
    /// <inheritdoc />
    public Alphabet Alphabet { get; } = Alphabet.FromCharacters("abc"[..alphabetSize]);

    /// <summary>The floor f(t) on p(EOS | y) for |y| = t.</summary>
    public double Floor(int t) => floorScale * Math.Pow(t + 1.0, -floorExponent);

    /// <summary>The ceiling g(t) on p(EOS | y) for |y| = t.</summary>
    public double Ceiling(int t) => Floor(t) + ceilingShare * (1 - Floor(t));

    /// <inheritdoc />
    public Context InitialState => new(0, -1);

    /// <inheritdoc />
    public void NextLogProbabilities(Context state, Span<double> logProbabilities)
    {
        var floor = Floor(state.Length);
        var eos = floor + Uniform(state.Length, state.Last, Alphabet.Size) * (Ceiling(state.Length) - floor);
        var total = 0.0;
        for (var a = 0; a < Alphabet.Size; a++)
        {
            logProbabilities[a] = 0.1 + Uniform(state.Length % 5, state.Last, a);
            total += logProbabilities[a];
        }
        for (var a = 0; a < Alphabet.Size; a++) logProbabilities[a] = Math.Log(logProbabilities[a] / total * (1 - eos));
        logProbabilities[Alphabet.Eos] = Math.Log(eos);
    }

    /// <inheritdoc />
    public Context Advance(Context state, int symbol) => new(state.Length + 1, symbol);

    /// <inheritdoc />
    public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"context LM (|Σ| = {Alphabet.Size}, seed {seed}, EOS between {floorScale:G4}/(t+1)^{floorExponent:G4} and that + {ceilingShare:G4}·(1 − that))");

    // SplitMix64 of (seed, t, last, k): a fixed pseudo-random number in [0, 1) per context.
    private double Uniform(int t, int last, int k)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)t * 0xBF58476D1CE4E5B9UL + (ulong)(last + 2) * 0x94D049BB133111EBUL + (ulong)k);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}

/// <summary>Generators of context models.</summary>
public static class ContextModels
{
    /// <summary>Random context models with |Σ| ≤ 3, floor scale c ∈ (0, 0.9], exponent α ∈ [0.25, 3], ceiling share h ∈ [0, 0.5].</summary>
    public static Arbitrary<ContextLanguageModel> Instances() =>
        Arb.From(
            from size in Gen.Choose(1, 3)
            from seed in Gen.Choose(0, 1_000_000)
            from scale in Numbers.Between(0.05, 0.9)
            from exponent in Gen.Choose(1, 12).Select(k => k / 4.0)
            from share in Numbers.Between(0, 0.5)
            select new ContextLanguageModel(size, seed, scale, exponent, share));

    /// <summary>P(|y| ≥ T) exactly, by propagating cylinder masses over the (length, last symbol) contexts. O(T·|Σ|²).</summary>
    public static double ProbabilityOfLengthAtLeast(ContextLanguageModel model, int length)
    {
        var size = model.Alphabet.SizeWithEos;
        var next = new double[size];
        var level = new Dictionary<Context, double> { [model.InitialState] = 1.0 };
        for (var t = 0; t < length; t++)
        {
            var following = new Dictionary<Context, double>();
            foreach (var (context, mass) in level)
            {
                model.NextLogProbabilities(context, next);
                for (var a = 0; a < model.Alphabet.Size; a++)
                {
                    var child = model.Advance(context, a);
                    following[child] = following.GetValueOrDefault(child) + mass * Math.Exp(next[a]);
                }
            }
            level = following;
        }
        return level.Values.Sum();
    }
}
