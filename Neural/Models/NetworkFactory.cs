using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;

namespace Workbench.Neural.Models;

/// <summary>Builds the network an architecture describes.</summary>
public static class NetworkFactory
{
    /// <summary>A randomly initialised network over the alphabet (seed libtorch first for reproducibility).</summary>
    public static SequenceModel Create(Alphabet alphabet, NeuralArchitecture architecture) => architecture.Kind switch
    {
        NetworkKind.Elman => new ElmanNetwork(alphabet, architecture),
        NetworkKind.Lstm or NetworkKind.Gru or NetworkKind.Rnn => new LibtorchRecurrentNetwork(alphabet, architecture),
        NetworkKind.Transformer => new TransformerNetwork(alphabet, architecture),
        NetworkKind.StackRnn => new StackRnnNetwork(alphabet, architecture),
        NetworkKind.TapeRnn => new TapeRnnNetwork(alphabet, architecture),
        NetworkKind.NsRnn => new NondeterministicStackRnnNetwork(alphabet, architecture),
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture.Kind, null),
    };
}
