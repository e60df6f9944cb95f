using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Workbench.Neural.Layers;

/// <summary>
/// The input embedding of symbol ids: a table [rows, D] of its own (initialised N(0, 1), as libtorch's embedding is, and
/// saved under the same key <c>weight</c>), or, with weight tying (Press &amp; Wolf 2017), the first rows of the output
/// layer's weight E [|Σ̄|, D], so that symbol y is embedded as the row that scores it. Tied embeddings have no parameters
/// of their own: the gradient of both uses lands in E. O(B·T·D) per lookup.
/// </summary>
public sealed class SymbolEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter? weight;
    private readonly Func<Tensor>? tiedWeight;
    private readonly long rows;

    /// <summary>An embedding with a table of its own: rows × dimension.</summary>
    public SymbolEmbedding(long rows, long dimension) : base(nameof(SymbolEmbedding))
    {
        this.rows = rows;
        weight = new Parameter(empty(rows, dimension).normal_());
        RegisterComponents();
    }

    /// <summary>An embedding tied to the output layer: row y is row y of the readout's weight (rows ≤ its rows).</summary>
    /// <exception cref="ArgumentException">The readout has fewer rows than the embedding needs.</exception>
    public SymbolEmbedding(long rows, Linear readout) : base(nameof(SymbolEmbedding))
    {
        ArgumentNullException.ThrowIfNull(readout);
        if (readout.weight!.shape[0] < rows)
            throw new ArgumentException(Invariant($"a tied embedding of {rows} rows needs an output layer with at least as many, not {readout.weight.shape[0]}"), nameof(readout));
        this.rows = rows;
        tiedWeight = () => readout.weight!;
        RegisterComponents();
    }

    /// <summary>Whether the rows are the output layer's.</summary>
    public bool Tied => tiedWeight is not null;

    /// <summary>The table [rows, D] (a view of the output layer's weight when tied).</summary>
    public Tensor Weight => tiedWeight is null ? weight! : tiedWeight().narrow(0, 0, rows);

    /// <summary>The embeddings of ids [any shape]: [that shape, D].</summary>
    public override Tensor forward(Tensor ids)
    {
        Tensor table = Weight;
        long[] shape = [.. ids.shape, table.shape[1]];
        return table.index_select(0, ids.reshape(-1)).view(shape);
    }
}
