using Workbench.Formal.Adapters;
using Workbench.Formal.Generation;
using Workbench.Formal.Models;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests.Generation;

public sealed class GenerationTests
{
    private static readonly Alphabet Ab = ExampleTables.Ab;


    [Fact]
    public void Ancestral_samples_follow_the_exact_distribution()
    {
        const int n = 40_000;
        var model = ExampleTables.P();
        var counts = AncestralSampler.SampleMany(model, n, seed: 11, maxLength: 10)
            .GroupBy(s => Ab.Format(s.Symbols)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (symbols, p) in model.Entries)
        {
            var observed = counts.GetValueOrDefault(Ab.Format(symbols));
            var sigma = Math.Sqrt(n * p * (1 - p));
            Assert.InRange(observed, n * p - 5 * sigma, n * p + 5 * sigma);
        }
        Assert.Equal(n, counts.Values.Sum());
    }

    [Fact]
    public void Samples_carry_their_exact_log_probability()
    {
        var model = ExampleTables.P();
        foreach (var sample in AncestralSampler.SampleMany(model, 200, seed: 3, maxLength: 10))
            Assert.Equal(model.LogProbability(sample.Symbols), sample.LogProbability, 12);
    }

    [Fact]
    public void Strings_as_long_as_the_cap_complete_and_longer_ones_are_cut_to_it()
    {
        // "aab" (probability 0.2) is the only string longer than 2.
        var capped = AncestralSampler.SampleMany(ExampleTables.P(), 5000, seed: 9, maxLength: 2);
        Assert.All(capped.Where(s => s.Truncated), s => Assert.Equal("aa", Ab.Format(s.Symbols)));
        Assert.InRange(capped.Count(s => s.Truncated), 1000 - 5 * 28, 1000 + 5 * 28);
        Assert.DoesNotContain(AncestralSampler.SampleMany(ExampleTables.P(), 5000, seed: 9, maxLength: 3), s => s.Truncated);
    }

    [Fact]
    public void A_model_that_never_stops_is_truncated_at_the_cap()
    {
        // Top-1 of p(a) = 0.7, p(EOS) = 0.3 never emits EOS: the adapter makes a tight model non-tight (P8.6).
        var greedyModel = new UnaryLanguageModel(EosSchedule.Constant(0.3)).WithAdapter(new TopKAdapter(1));
        var sample = AncestralSampler.Sample(greedyModel, new Random(1), maxLength: 50);
        Assert.True(sample.Truncated);
        Assert.Equal(50, sample.Symbols.Length);
        Assert.True(Decoding.Greedy(greedyModel, 20).Truncated);
    }

    [Fact]
    public void Greedy_takes_the_argmax_at_every_step()
    {
        // ε → a (π(a) = 0.7); a → b (π(ab) = 0.3 beats p(a) = 0.2 and π(aa) = 0.2); ab → EOS.
        var decoded = Decoding.Greedy(ExampleTables.P(), 10);
        Assert.Equal("ab", Ab.Format(decoded.Symbols));
        Assert.False(decoded.Truncated);
        Assert.Equal(Math.Log(0.3), decoded.LogProbability, 12);
    }

    [Fact]
    public void A_wide_beam_finds_the_mode_and_ranks_finished_strings()
    {
        var model = ExampleTables.P();
        var beam = Decoding.Beam(model, beamWidth: 10, maxLength: 10);
        var mode = model.Entries.MaxBy(e => e.Probability);
        Assert.Equal(Ab.Format(mode.String), Ab.Format(beam[0].Symbols));
        Assert.Equal(Math.Log(mode.Probability), beam[0].LogProbability, 12);
        Assert.True(beam.Zip(beam.Skip(1)).All(pair => pair.First.LogProbability >= pair.Second.LogProbability));
    }

    [Fact]
    public void Beam_search_misses_the_mode_when_it_hides_behind_an_unlikely_prefix()
    {
        // p(b) = 0.45 is the mode, but the prefix a has 0.55: greedy and a width-1 beam commit to a and end with aa (0.2).
        var alphabet = Alphabet.FromCharacters("ab");
        var model = new TableLanguageModel(alphabet, [([0, 0], 0.2), ([0, 1], 0.2), ([0], 0.15), ([1], 0.45)]);
        Assert.Equal("aa", alphabet.Format(Decoding.Beam(model, 1, 5)[0].Symbols));
        Assert.Equal("aa", alphabet.Format(Decoding.Greedy(model, 5).Symbols));
        Assert.Equal("b", alphabet.Format(Decoding.Beam(model, 2, 5)[0].Symbols));
    }
}
