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
/// of every layer (grown in place, amortised), so a step costs O(t·d) attention plus O(d²) projections per
/// layer instead of recomputing the prefix. Notes §5.3.
/// </summary>
public sealed class TransformerNetwork : SequenceModel
{
    private readonly SymbolEmbedding embedding;
    private readonly Embedding? learnedPositions;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm? finalNorm;

    /// <summary>Creates a randomly initialised transformer LM.</summary>
    public TransformerNetwork(Alphabet alphabet, NeuralArchitecture architecture) : base(nameof(TransformerNetwork), alphabet, architecture)
    {
        embedding = CreateEmbedding(alphabet.Size + 1);
        if (architecture.PositionalEncoding == PositionalEncodingKind.Learned)
            learnedPositions = Embedding(architecture.MaxLength + 1, architecture.Hidden);
        blocks = new ModuleList<TransformerBlock>(Enumerable.Range(0, architecture.Layers).Select(_ => new TransformerBlock(architecture)).ToArray());
        if (architecture.LayerNorm == LayerNormPlacement.Pre)
            finalNorm = LayerNorm(architecture.Hidden);
        RegisterComponents();
        this.to(ArchitectureType);
    }

    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => blocks.ToArray();

    /// <summary>The final layer norm of a pre-LN transformer.</summary>
    public LayerNorm? FinalNorm => finalNorm;

    /// <summary>The symbol embeddings [|Σ| + 1, d] (row |Σ| is BOS).</summary>
    public Tensor SymbolEmbeddings => embedding.Weight;

    /// <summary>The learned position table [MaxLength + 1, d], when the encoding is learned.</summary>
    public Tensor? LearnedPositions => learnedPositions?.weight;

    /// <summary>The attention weights of every layer for the strings in symbols: [B, H, T+1, T+1] each (P7.7, P7.8).</summary>
    public IReadOnlyList<Tensor> AttentionWeights(Tensor symbols)
    {
        var weights = new List<Tensor>(blocks.Count);
        Tensor x = Embed(WithBos(symbols), 0);
        foreach (TransformerBlock block in blocks)
        {
            AttentionResult result = block.Forward(x, 0, null);
            weights.Add(result.Weights);
            x = result.Output;
        }
        return weights;
    }

    /// <inheritdoc />
    public override Tensor Encode(Tensor symbols) => Run(WithBos(symbols), 0, _ => null);

    /// <summary>
    /// The encodings of a padded batch, with the layer norms, projections and feed-forward sublayers run on the real positions
    /// only (<see cref="PositionPacking"/>) and zeros at the padding: at real positions the encodings of
    /// <see cref="Encode(Tensor)"/>, at a third of the position-wise work for batches of geometric-like lengths.
    /// </summary>
    public override Tensor Encode(SymbolBatch batch) =>
        batch.Symbols == batch.Mask.numel() ? Encode(batch.Inputs) : Run(WithBos(batch.Inputs), 0, _ => null, new PositionPacking(batch.Mask));

    /// <inheritdoc />
    public override NetworkBatch StartBatch(int count)
    {
        using var scope = NewDisposeScope();
        Tensor bos = full(count, 1, Alphabet.Size, dtype: ScalarType.Int64, device: Device);
        return Advanced(bos, 0, new LayerCache?[blocks.Count], 0);
    }

    /// <inheritdoc />
    public override NetworkBatch StepBatch(NetworkBatch batch, long[] symbols)
    {
        using var scope = NewDisposeScope();
        return Advanced(SymbolColumn(symbols), batch.Length + 1, ((CacheBatch)batch).Caches, batch.Length + 1);
    }

    /// <summary>Runs one new position of every row through the layers, appending its keys and values to each layer's cache.</summary>
    private CacheBatch Advanced(Tensor tokens, long position, IReadOnlyList<LayerCache?> caches, int length)
    {
        var extended = new LayerCache[blocks.Count];
        Tensor encoding = Run(tokens, position, layer => (keys, values) =>
        {
            extended[layer] = LayerCache.Append(caches[layer], (int)position, keys, values);
            return extended[layer].Visible((int)position + 1);
        });
        return new CacheBatch { Encodings = encoding.select(1, -1).detach().MoveToOuterDisposeScope(), Length = length, Caches = extended };
    }

    private Tensor WithBos(Tensor symbols)
    {
        Tensor bos = full(symbols.shape[0], 1, Alphabet.Size, dtype: ScalarType.Int64, device: symbols.device);
        return cat([bos, symbols], 1);
    }

    /// <summary>
    /// Runs the tokens [B, T] (positions offset…) through every layer, each extending its cache (or none); with a packing, the
    /// layers see only the real positions and the padding of the result is zero.
    /// </summary>
    private Tensor Run(Tensor tokens, long offset, Func<int, KeyValueExtension?> extensionOfLayer, PositionPacking? packing = null)
    {
        Tensor x = Embed(tokens, offset);
        if (packing is not null)
            x = packing.Pack(x);
        for (int layer = 0; layer < blocks.Count; layer++)
            x = blocks[layer].Forward(x, offset, extensionOfLayer(layer), packing).Output;
        if (finalNorm is not null)
            x = finalNorm.forward(x);
        return packing is null ? x : packing.Unpack(x);
    }

    /// <summary>Symbol embeddings plus additive positional encodings of tokens [B, T] at positions offset….</summary>
    private Tensor Embed(Tensor tokens, long offset)
    {
        long count = tokens.shape[1];
        Tensor x = embedding.forward(tokens);
        switch (Architecture.PositionalEncoding)
        {
            case PositionalEncodingKind.Sinusoidal:
                return x + PositionalEncodings.Sinusoidal(offset, count, Architecture.Hidden, x.dtype, x.device).unsqueeze(0);
            case PositionalEncodingKind.Randomized:
                Tensor positions = PositionalEncodings.RandomizedPositions(tokens.shape[0], offset, count, Architecture.PositionRange, Architecture.MaxLength, training, x.device);
                return x + PositionalEncodings.Sinusoidal(positions, Architecture.Hidden, x.dtype);
            case PositionalEncodingKind.Learned:
                // Positions past the table reuse its last row, so the network is a language model on all of Σ*
                // (and the encoder bounds of the tightness certificate hold there too: the row is one of the table's).
                return x + learnedPositions!.forward(arange(offset, offset + count, dtype: ScalarType.Int64, device: x.device).clamp_max(Architecture.MaxLength)).unsqueeze(0);
            default:
                return x;
        }
    }

    private sealed class CacheBatch : NetworkBatch
    {
        public required LayerCache[] Caches { get; init; }

        protected override IEnumerable<Tensor> Carried => Caches.SelectMany(cache => cache.Buffers);

        protected internal override NetworkBatch Rows(Tensor indices) =>
            new CacheBatch { Encodings = Encodings.index_select(0, indices), Length = Length, Caches = [.. Caches.Select(cache => cache.Rows(indices))] };
    }

    /// <summary>
    /// One layer's keys and values for a chain of batches, in a buffer with spare capacity that doubles
    /// when full, so that appending is amortised O(d) (plus the copy of the new position). Batches that
    /// extend the same prefixes differently (beam search forks) each get their own copy: a buffer is only
    /// appended in place by the batch that owns its last position. Not thread-safe.
    /// </summary>
    private sealed class LayerCache
    {
        private readonly Tensor keys, values; // [B, H_kv, capacity, dₕ]
        private int used;

        private LayerCache(Tensor keys, Tensor values, int used)
        {
            this.keys = keys;
            this.values = values;
            this.used = used;
        }

        /// <summary>The cache holding positions 0…position, writing the new position's keys and values [B, H_kv, 1, dₕ].</summary>
        public static LayerCache Append(LayerCache? cache, int position, Tensor newKeys, Tensor newValues)
        {
            LayerCache target = cache is not null && cache.used == position && position < cache.keys.shape[2]
                ? cache
                : Grown(cache, position, newKeys);
            target.keys.narrow(2, position, 1).copy_(newKeys);
            target.values.narrow(2, position, 1).copy_(newValues);
            target.used = position + 1;
            return target;
        }

        /// <summary>The key and value buffers (for freeing them).</summary>
        public IEnumerable<Tensor> Buffers => [keys, values];

        /// <summary>A cache of the rows indices (a copy of their buffers) at the same position.</summary>
        public LayerCache Rows(Tensor indices) => new(keys.index_select(0, indices), values.index_select(0, indices), used);

        /// <summary>Keys and values of positions 0…count−1.</summary>
        public (Tensor Keys, Tensor Values) Visible(int count) => (keys.narrow(2, 0, count), values.narrow(2, 0, count));

        private static LayerCache Grown(LayerCache? cache, int position, Tensor like)
        {
            long capacity = Math.Max(16, 2L * (position + 1));
            long[] shape = [like.shape[0], like.shape[1], capacity, like.shape[3]];
            Tensor keys = zeros(shape, dtype: like.dtype, device: like.device).DetachFromDisposeScope();
            Tensor values = zeros(shape, dtype: like.dtype, device: like.device).DetachFromDisposeScope();
            if (cache is not null && position > 0)
            {
                keys.narrow(2, 0, position).copy_(cache.keys.narrow(2, 0, position));
                values.narrow(2, 0, position).copy_(cache.values.narrow(2, 0, position));
            }
            return new LayerCache(keys, values, position);
        }
    }
}
