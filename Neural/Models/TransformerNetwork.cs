using TorchSharp;
using TorchSharp.Modules;
using Workbench.Formal.Errors;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Models;

/// <summary>
/// A causal transformer LM: the string is read as BOS y₁…y_T at positions 0…T; symbol (and learned or
/// sinusoidal position) embeddings feed L layers of masked self-attention and ReLU feed-forward
/// sublayers; the output at position t scores y_{t+1} (or EOS). The incremental state is the KV cache
/// of every layer, so a step costs O(t·d) per layer instead of recomputing the prefix. Notes §5.3.
/// </summary>
public sealed class TransformerNetwork : SequenceModel
{
    private readonly Embedding embedding;
    private readonly Embedding? learnedPositions;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm? finalNorm;

    /// <summary>Creates a randomly initialised transformer LM.</summary>
    public TransformerNetwork(Alphabet alphabet, NeuralArchitecture architecture) : base(nameof(TransformerNetwork), alphabet, architecture)
    {
        embedding = Embedding(alphabet.Size + 1, architecture.Hidden);
        if (architecture.PositionalEncoding == PositionalEncodingKind.Learned)
            learnedPositions = Embedding(architecture.MaxLength + 1, architecture.Hidden);
        blocks = new ModuleList<TransformerBlock>(Enumerable.Range(0, architecture.Layers).Select(_ => new TransformerBlock(architecture)).ToArray());
        if (architecture.LayerNorm == LayerNormPlacement.Pre)
            finalNorm = LayerNorm(architecture.Hidden);
        RegisterComponents();
        this.to(DataType);
    }

    /// <summary>The symbol embeddings [|Σ| + 1, d] (row |Σ| is BOS).</summary>
    public Tensor SymbolEmbeddings => embedding.weight!;

    /// <summary>The learned position table [MaxLength + 1, d], when the encoding is learned.</summary>
    public Tensor? LearnedPositions => learnedPositions?.weight;

    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => blocks.ToArray();

    /// <summary>The final layer norm of a pre-LN transformer.</summary>
    public LayerNorm? FinalNorm => finalNorm;

    /// <summary>Attention weights of every layer for the strings in symbols: [B, H, T+1, T+1] each.</summary>
    public IReadOnlyList<Tensor> AttentionWeights(Tensor symbols) => Run(WithBos(symbols), 0, null).Weights;

    /// <inheritdoc />
    public override Tensor Encode(Tensor symbols) => Run(WithBos(symbols), 0, null).Encoding;

    /// <inheritdoc />
    public override NetworkState Start()
    {
        using var scope = NewDisposeScope();
        Tensor bos = tensor(new long[] { Alphabet.Size }, dtype: ScalarType.Int64, device: Device).view(1, 1);
        return Cached(Run(bos, 0, null), 0);
    }

    /// <inheritdoc />
    public override NetworkState Step(NetworkState state, int symbol)
    {
        var cached = (CacheState)state;
        using var scope = NewDisposeScope();
        return Cached(Run(SymbolTensor(symbol), state.Length + 1, cached.Cache), state.Length + 1);
    }

    private static NetworkState Cached(Pass pass, int length) => new CacheState
    {
        Encoding = pass.Encoding[0, -1].detach().MoveToOuterDisposeScope(),
        Length = length,
        Cache = pass.Cache.Select(entry => (entry.Keys.detach().MoveToOuterDisposeScope(), entry.Values.detach().MoveToOuterDisposeScope())).ToArray(),
    };

    private Tensor WithBos(Tensor symbols)
    {
        Tensor bos = full(symbols.shape[0], 1, Alphabet.Size, dtype: ScalarType.Int64, device: symbols.device);
        return cat([bos, symbols], 1);
    }

    /// <summary>Runs the tokens [B, T] (positions offset…) through every layer, continuing from a cache.</summary>
    private Pass Run(Tensor tokens, long offset, IReadOnlyList<(Tensor Keys, Tensor Values)>? cache)
    {
        long count = tokens.shape[1];
        Tensor x = embedding.forward(tokens);
        switch (Architecture.PositionalEncoding)
        {
            case PositionalEncodingKind.Sinusoidal:
                x = x + PositionalEncodings.Sinusoidal(offset, count, Architecture.Hidden, x.dtype, x.device).unsqueeze(0);
                break;
            case PositionalEncodingKind.Learned:
                if (offset + count - 1 > Architecture.MaxLength)
                    throw new InvalidModelException(Invariant($"position {offset + count - 1} is beyond the learned positional table (maxlength {Architecture.MaxLength})"));
                x = x + learnedPositions!.forward(arange(offset, offset + count, dtype: ScalarType.Int64, device: x.device)).unsqueeze(0);
                break;
        }
        var newCache = new (Tensor, Tensor)[blocks.Count];
        var weights = new Tensor[blocks.Count];
        for (int layer = 0; layer < blocks.Count; layer++)
        {
            AttentionResult result = blocks[layer].Forward(x, offset, cache?[layer].Keys, cache?[layer].Values);
            x = result.Output;
            newCache[layer] = (result.Keys, result.Values);
            weights[layer] = result.Weights;
        }
        return new Pass(finalNorm is null ? x : finalNorm.forward(x), newCache, weights);
    }

    private sealed record Pass(Tensor Encoding, (Tensor Keys, Tensor Values)[] Cache, Tensor[] Weights);

    private sealed class CacheState : NetworkState
    {
        public required (Tensor Keys, Tensor Values)[] Cache { get; init; }
    }
}
