using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural;

/// <summary>
/// A network as an exact language model: p(y) = p(EOS | y)·∏ₜ p(yₜ | y&lt;ₜ), computed by one forward
/// pass (scoring) or step by step from the network's state (sampling, decoding, estimators). Incremental
/// steps and the full pass compute the same numbers (the RNN keeps its hidden state, the transformer its
/// KV cache). In float64 both agree to rounding. Notes §2.4, §5.
/// </summary>
public sealed class NeuralLanguageModel : IAutoregressiveLanguageModel<NetworkState>, IPrefixProbabilityModel, ITightnessAnalyzable
{
    private NetworkState? initial;

    /// <summary>Wraps a network (it is switched to evaluation mode).</summary>
    public NeuralLanguageModel(SequenceModel network)
    {
        Network = network;
        network.eval();
    }

    /// <summary>The network.</summary>
    public SequenceModel Network { get; }

    /// <summary>
    /// The Monte Carlo estimate that <see cref="AnalyzeTightness"/> reports beside its certificates (and as its mass when
    /// none decides): <see cref="Tightness.TightnessSampling.Default"/> unless the caller injects its own.
    /// </summary>
    public Tightness.TightnessSampling TightnessSampling { get; init; } = Tightness.TightnessSampling.Default;

    /// <inheritdoc />
    public Alphabet Alphabet => Network.Alphabet;

    /// <inheritdoc />
    public NetworkState InitialState
    {
        get
        {
            if (initial is null)
            {
                using var noGrad = no_grad();
                initial = Network.Start();
            }
            return initial;
        }
    }

    /// <inheritdoc />
    public double LogProbability(ReadOnlySpan<int> symbols)
    {
        Alphabet.Validate(symbols);
        return LogProbabilities([symbols.ToArray()])[0];
    }

    /// <summary>log π(y) = Σₜ log p(yₜ | y&lt;ₜ), the chain rule without EOS (P2.2; also for non-tight models). One forward pass.</summary>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix)
    {
        Alphabet.Validate(prefix);
        if (prefix.IsEmpty)
            return 0;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var batch = SymbolBatch.Create([prefix.ToArray()], Alphabet.Eos, Network.Device);
        Tensor perPosition = Network.LogProbabilities(batch.Inputs).gather(-1, batch.Targets.unsqueeze(-1)).squeeze(-1);
        return perPosition[0].narrow(0, 0, prefix.Length).sum().to(ScalarType.Float64).cpu().item<double>();
    }

    /// <summary>log p(y) for many strings, 128 at a time (one padded forward pass per batch).</summary>
    public double[] LogProbabilities(IReadOnlyList<int[]> strings) => LogProbabilities(strings, 128);

    /// <summary>
    /// log p(y) for many strings, batchSize at a time (one padded forward pass per batch). O(Σ|y|·cost
    /// per position); the transformer adds O(T²) attention per batch.
    /// </summary>
    /// <exception cref="Formal.Errors.UnknownSymbolException">A string contains an id outside Σ.</exception>
    public double[] LogProbabilities(IReadOnlyList<int[]> strings, int batchSize)
    {
        var result = new double[strings.Count];
        ForEachBatch(strings, batchSize, (batch, logProbabilities, indices) =>
        {
            Tensor perPosition = logProbabilities.gather(-1, batch.Targets.unsqueeze(-1)).squeeze(-1);
            double[] sums = perPosition.masked_fill(batch.Mask.logical_not(), 0).sum(1).to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (int i = 0; i < indices.Length; i++)
                result[indices[i]] = sums[i];
        });
        return result;
    }

    /// <summary>The next-symbol distributions along each string, 128 strings per padded forward pass.</summary>
    /// <exception cref="Formal.Errors.UnknownSymbolException">A string contains an id outside Σ.</exception>
    public double[][,] NextLogProbabilitiesAlong(IReadOnlyList<int[]> strings)
    {
        var size = Alphabet.SizeWithEos;
        var result = new double[strings.Count][,];
        ForEachBatch(strings, 128, (_, logProbabilities, indices) =>
        {
            // [count, T, |Σ̄|]: row t of string i is log p(· | y<t), for t ≤ |y|.
            Tensor all = logProbabilities.to(ScalarType.Float64).cpu();
            long width = all.shape[1];
            double[] values = all.data<double>().ToArray();
            for (int i = 0; i < indices.Length; i++)
            {
                int rows = strings[indices[i]].Length + 1;
                var matrix = new double[rows, size];
                for (int t = 0; t < rows; t++)
                    for (int a = 0; a < size; a++)
                        matrix[t, a] = values[(i * width + t) * size + a];
                result[indices[i]] = matrix;
            }
        });
        return result;
    }

    // Validates the strings, then runs the network on padded batches of at most batchSize strings of similar lengths (fewer
    // when they are long: SymbolBatch.LengthSortedChunks) without gradients, each in its own dispose scope:
    // body(batch, log-probabilities [count, T, |Σ̄|], the indices of the batch's strings in strings).
    private void ForEachBatch(IReadOnlyList<int[]> strings, int batchSize, Action<SymbolBatch, Tensor, int[]> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        foreach (int[] symbols in strings)
            Alphabet.Validate(symbols);
        using var noGrad = no_grad();
        foreach (var (indices, chunk) in SymbolBatch.LengthSortedChunks(strings, batchSize))
        {
            using var scope = NewDisposeScope();
            var batch = SymbolBatch.Create(chunk, Alphabet.Eos, Network.Device);
            body(batch, Network.LogProbabilities(batch), indices);
        }
    }

    /// <inheritdoc />
    public void NextLogProbabilities(NetworkState state, Span<double> logProbabilities)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Network.NextLogProbabilities(state).to(ScalarType.Float64).cpu().data<double>().CopyTo(logProbabilities);
    }

    /// <inheritdoc />
    public NetworkState Advance(NetworkState state, int symbol)
    {
        Alphabet.Validate([symbol]);
        using var noGrad = no_grad();
        return Network.Step(state, symbol);
    }

    /// <summary>
    /// Ancestral draws first … first + count − 1 of the seed's run (draw i from <see cref="AncestralSampler.DrawRandom"/>(seed, i),
    /// the strings one-at-a-time sampling gives), advanced in lock-step: up to <see cref="SamplingBatch"/> draws share each step of
    /// the network, and the rows of finished draws are dropped. A step on B rows costs about what one row costs while B·D is
    /// small, so n draws of length L take about L·⌈n/B⌉ steps instead of n·L. O(B·state) memory.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative first draw, count or cap.</exception>
    public IReadOnlyList<GeneratedString> SampleMany(int first, int count, int seed, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var result = new GeneratedString[count];
        using var noGrad = no_grad();
        for (int start = 0; start < count; start += SamplingBatch)
            SampleLockStep(result, start, Math.Min(SamplingBatch, count - start), first, seed, maxLength);
        return result;
    }

    /// <summary>How many draws <see cref="SampleMany"/> advances together.</summary>
    public const int SamplingBatch = 256;

    // Draws result[start…start+n−1] (draws first+start… of the run): every live draw takes one symbol per round; the draws
    // that stop leave the batch before the next step, and each batch frees what its successor does not share.
    private void SampleLockStep(GeneratedString[] result, int start, int n, int first, int seed, int maxLength)
    {
        int size = Alphabet.SizeWithEos, eos = Alphabet.Eos;
        var randoms = Enumerable.Range(first + start, n).Select(i => AncestralSampler.DrawRandom(seed, i)).ToArray();
        var symbols = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        var logProbabilities = new double[n];
        int[] live = Enumerable.Range(0, n).ToArray();
        NetworkBatch batch = Network.StartBatch(n);
        while (true)
        {
            double[] rows;
            using (NewDisposeScope())
                rows = Network.NextLogProbabilities(batch).to(ScalarType.Float64).cpu().data<double>().ToArray();
            var kept = new List<long>(live.Length);
            var next = new List<long>(live.Length);
            for (int j = 0; j < live.Length; j++)
            {
                int i = live[j];
                if (AncestralSampler.Extend(symbols[i], ref logProbabilities[i], rows.AsSpan(j * size, size), eos, randoms[i], maxLength) is { } finished)
                    result[start + i] = finished;
                else
                {
                    kept.Add(j);
                    next.Add(symbols[i][^1]);
                }
            }
            if (kept.Count == 0)
            {
                batch.DisposeUnsharedWith(null);
                return;
            }
            NetworkBatch stepped = batch;
            if (kept.Count < live.Length)
            {
                stepped = Network.SelectRows(batch, [.. kept]);
                batch.DisposeUnsharedWith(stepped);
            }
            NetworkBatch advanced = Network.StepBatch(stepped, [.. next]);
            stepped.DisposeUnsharedWith(advanced);
            batch = advanced;
            live = kept.Select(j => live[(int)j]).ToArray();
        }
    }

    /// <summary>
    /// The norm-bound certificate (tight), the ReLU escape certificate (not tight) or unknown, with a Monte
    /// Carlo estimate of P(|y| ≥ 100) from 200 samples (seed 1). See <see cref="Tightness.NeuralTightness"/>.
    /// </summary>
    public TightnessReport AnalyzeTightness() => Tightness.NeuralTightness.Analyze(this, TightnessSampling);

    /// <inheritdoc />
    public override string ToString() => Invariant($"neural LM {Network.Architecture} over {Alphabet}");
}
