using Workbench.Formal.Adapters;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests.Generation;

/// <summary>Greedy and beam decoding on models whose every step is known by hand.</summary>
public sealed class DecodingTests
{
    /// <summary>Counts next-symbol queries, to check that beam search stops as soon as nothing can beat its k-th string.</summary>
    private sealed class CountingModel<TState>(IAutoregressiveLanguageModel<TState> inner) : IAutoregressiveLanguageModel<TState>
    {
        public int Queries { get; private set; }
        public Alphabet Alphabet => inner.Alphabet;
        public TState InitialState => inner.InitialState;
        public void NextLogProbabilities(TState state, Span<double> logProbabilities)
        {
            Queries++;
            inner.NextLogProbabilities(state, logProbabilities);
        }
        public TState Advance(TState state, int symbol) => inner.Advance(state, symbol);
        public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);
    }

    [Fact]
    public void Greedy_adds_the_final_eos_conditional()
    {
        // p(EOS | aᵗ) = 0.6 beats p(a) = 0.4 at once: greedy returns ε with probability 0.6.
        var decoded = Decoding.Greedy(new UnaryLanguageModel(EosSchedule.Constant(0.6)), 10);
        Assert.Empty(decoded.Symbols);
        Assert.Equal(Math.Log(0.6), decoded.LogProbability, 14);
        Assert.False(decoded.Truncated);
    }

    [Fact]
    public void Lengths_and_widths_are_checked()
    {
        var model = ExampleTables.P();
        Assert.Throws<ArgumentOutOfRangeException>(() => Decoding.Greedy(model, -1));
        Assert.Equal("beamWidth", Assert.Throws<ArgumentOutOfRangeException>(() => Decoding.Beam(model, 0, 5)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Decoding.Beam(model, 2, -1));
    }

    [Fact]
    public void Beam_search_stops_when_no_prefix_can_beat_the_kth_finished_string()
    {
        // Uniform over {a, b}: after ε (1/3) and a (1/9) finish, every open prefix has 1/9 — not better, so it stops
        // after three queries however long the cap is.
        var model = new CountingModel<int>(new UniformLanguageModel(Alphabet.FromCharacters("ab")));
        var beam = Decoding.Beam(model, 2, int.MaxValue);
        Assert.Equal(3, model.Queries);
        Assert.Equal(["ε", "a"], beam.Select(b => model.Alphabet.Format(b.Symbols)));
        Assert.Equal([-Math.Log(3), -2 * Math.Log(3)], beam.Select(b => b.LogProbability));
        Assert.All(beam, b => Assert.False(b.Truncated));
    }

    [Fact]
    public void Beam_search_returns_truncated_prefixes_when_nothing_finishes()
    {
        // Top-1 of p(a) = 0.7, p(EOS) = 0.3 never stops; the best open prefix is a⁵ with probability 1.
        var model = new UnaryLanguageModel(EosSchedule.Constant(0.3)).WithAdapter(new TopKAdapter(1));
        var beam = Decoding.Beam(model, 2, 5);
        var only = Assert.Single(beam);
        Assert.True(only.Truncated);
        Assert.Equal(5, only.Symbols.Length);
        Assert.Equal(0.0, only.LogProbability);
    }

    [Fact]
    public void Beam_search_at_cap_zero_scores_only_the_empty_string()
    {
        var beam = Decoding.Beam(ExampleTables.P(), 3, 0);
        var only = Assert.Single(beam);
        Assert.Empty(only.Symbols);
        Assert.Equal(Math.Log(0.1), only.LogProbability, 14);
    }
}
