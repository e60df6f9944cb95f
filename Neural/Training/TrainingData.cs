using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;

namespace Workbench.Neural.Training;

/// <summary>
/// Where training strings come from: a batch for every step (a pure function of the seed and the step, so
/// a resumed run sees the same batches as an uninterrupted one) and a fixed held-out set.
/// </summary>
public abstract class TrainingData
{
    /// <summary>The alphabet of the strings.</summary>
    public abstract Alphabet Alphabet { get; }

    /// <summary>The held-out strings the evaluations score.</summary>
    public abstract IReadOnlyList<int[]> HeldOut { get; }

    /// <summary>The exact source, when the strings are samples of a known LM (then KL is measured).</summary>
    public virtual ILanguageModel? Source => null;

    /// <summary>The source's exact entropy in nats per string, where known.</summary>
    public virtual double? SourceEntropy => Source is IExactEntropyModel exact ? exact.Entropy().Value : null;

    /// <summary>The training batch of a step.</summary>
    public abstract IReadOnlyList<int[]> Batch(long step, int size);

    /// <summary>Mixes a seed with a counter into a new seed (SplitMix64 finaliser).</summary>
    protected internal static int Mix(int seed, long counter)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)counter + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }
}

/// <summary>
/// Fresh exact samples of a language model: step k's batch is drawn with the seed mixed with k, the
/// held-out set with a seed of its own. Training strings longer than maxLength are redrawn, so training sees the
/// source conditioned on |y| ≤ maxLength (10,000 redraws in a row stop with an error). Held-out strings are
/// samples of the source itself (capped only at <see cref="HeldOutCap"/>), so the KL measured on them is KL(p ‖ q),
/// not KL(p(· | |y| ≤ maxLength) ‖ q) + log P(|y| ≤ maxLength), which can be negative.
/// </summary>
public sealed class SampledTrainingData : TrainingData
{
    /// <summary>
    /// The length cap of held-out draws: far beyond the training lengths, so that held-out strings are samples of the
    /// source (a draw past it is redrawn; for sources with geometric-like tails and means in the tens, that never happens).
    /// </summary>
    public const int HeldOutCap = 10_000;

    private readonly Func<Random, int, int[]?> draw;
    private readonly int seed;
    private readonly int maxLength;

    private readonly double? entropy;

    private SampledTrainingData(ILanguageModel source, Func<Random, int, int[]?> draw, int seed, int maxLength, int heldOutSize, double? entropy = null)
    {
        Source = source;
        this.entropy = entropy;
        this.draw = draw;
        this.seed = seed;
        this.maxLength = maxLength;
        HeldOut = Draw(new Random(Mix(seed, -1)), heldOutSize, Math.Max(HeldOutCap, maxLength));
    }

    /// <summary>Samples from an autoregressive source.</summary>
    public static SampledTrainingData Create<TState>(IAutoregressiveLanguageModel<TState> source, int seed, int maxLength, int heldOutSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heldOutSize, 1);
        return new SampledTrainingData(source, (random, cap) =>
        {
            GeneratedString sample = AncestralSampler.Sample(source, random, cap);
            return sample.Truncated ? null : sample.Symbols;
        }, seed, maxLength, heldOutSize);
    }

    /// <summary>
    /// Samples with a dedicated exact sampler of the source (one string of at most the given length, or
    /// null), e.g. a grammar's top-down sampler, whose exact entropy is known.
    /// </summary>
    public static SampledTrainingData Create(ILanguageModel source, Func<Random, int, int[]?> draw, double? entropy, int seed, int maxLength, int heldOutSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heldOutSize, 1);
        return new SampledTrainingData(source, draw, seed, maxLength, heldOutSize, entropy);
    }

    /// <inheritdoc />
    public override double? SourceEntropy => entropy ?? base.SourceEntropy;

    /// <summary>Samples from a source whose state type is hidden, through its erased view.</summary>
    public static SampledTrainingData Create(ILanguageModel source, int seed, int maxLength, int heldOutSize) =>
        Create(PrefixView.Of(source), seed, maxLength, heldOutSize);

    /// <inheritdoc />
    public override Alphabet Alphabet => Source!.Alphabet;

    /// <inheritdoc />
    public override ILanguageModel? Source { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int[]> HeldOut { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int[]> Batch(long step, int size) => Draw(new Random(Mix(seed, step)), size, maxLength);

    private int[][] Draw(Random random, int count, int cap)
    {
        var strings = new int[count][];
        for (int i = 0; i < count; i++)
        {
            for (int attempt = 0; ; attempt++)
            {
                if (attempt == 10_000)
                    throw new Formal.Errors.DivergenceException(Invariant($"10000 samples in a row were longer than {cap} symbols: the source is not tight or its strings are too long for the cap"));
                if (draw(random, cap) is { } sample)
                {
                    strings[i] = sample;
                    break;
                }
            }
        }
        return strings;
    }
}

/// <summary>
/// A corpus: training strings visited in a fresh random order every epoch (the order of epoch e is a
/// function of the seed and e), and a held-out list.
/// </summary>
public sealed class CorpusTrainingData : TrainingData
{
    private readonly IReadOnlyList<int[]> training;
    private readonly int seed;
    private (long Epoch, int[] Order)? cachedOrder;

    /// <summary>Wraps training and held-out strings over an alphabet.</summary>
    public CorpusTrainingData(Alphabet alphabet, IReadOnlyList<int[]> training, IReadOnlyList<int[]> heldOut, int seed)
    {
        if (training.Count == 0)
            throw new Formal.Errors.WorkbenchException("the training corpus is empty");
        if (heldOut.Count == 0)
            throw new Formal.Errors.WorkbenchException("the held-out corpus is empty");
        Alphabet = alphabet;
        this.training = training;
        HeldOut = heldOut;
        this.seed = seed;
    }

    /// <inheritdoc />
    public override Alphabet Alphabet { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int[]> HeldOut { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int[]> Batch(long step, int size)
    {
        var batch = new int[size][];
        for (int i = 0; i < size; i++)
        {
            long position = step * size + i;
            batch[i] = training[Order(position / training.Count)[(int)(position % training.Count)]];
        }
        return batch;
    }

    private int[] Order(long epoch)
    {
        if (cachedOrder is { } cached && cached.Epoch == epoch)
            return cached.Order;
        int[] order = Enumerable.Range(0, training.Count).ToArray();
        new Random(Mix(seed, epoch)).Shuffle(order);
        cachedOrder = (epoch, order);
        return order;
    }
}
