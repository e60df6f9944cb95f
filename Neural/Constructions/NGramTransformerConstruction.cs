using Workbench.Automata.NGrams;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Constructions;

/// <summary>
/// An n-gram LM as a one-layer transformer LM (notes §5.4; Svete &amp; Cotterell 2024), in float64 without
/// layer norm. The positional encodings are theirs: the unit vectors f(s) = (1/√(s+1), √(s/(s+1))), for
/// which ⟨f(a), f(b)⟩ &lt; 1 unless a = b (Cauchy–Schwarz). The residual stream holds the symbol one-hot
/// (BOS included), the key position f(t), one query position f(max(0, t − i)) per head, one slot per head
/// and one coordinate per history. Head i (i = 0…n−2) scores ⟨f(max(0, t − i)), f(s)⟩, uniquely largest
/// at s = t − i, or at BOS (s = 0) when t − i ≤ 0, which is the n-gram's BOS padding. Its value is the
/// attended symbol's one-hot, written into slot i. A ReLU unit per history fires iff all slots match it (an AND: ReLU(Σ slots
/// − (n − 2))) and writes that history's coordinate; the output layer holds log p(ȳ | history) there (log 0
/// as −10³⁰). With hard attention the model equals the n-gram; with soft attention at inverse
/// temperature β the mass off the argmax is at most (t − 1)e^{−βΔ}, with Δ = 1 − ⟨f(L − 1), f(L)⟩ the
/// smallest score gap up to L = maxLength (P7.8). O((|Σ| + 1)^{n−1}·d) weights.
/// </summary>
public static class NGramTransformerConstruction
{
    /// <summary>The transformer of an n-gram model (n − 1 heads, at least one).</summary>
    public static TransformerNetwork Compile(NGramModel ngram, AttentionKind attention = AttentionKind.Hard, double beta = 1, int maxLength = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(beta);
        var alphabet = ngram.Alphabet;
        int order = ngram.Order, symbols = alphabet.Size + 1; // + BOS
        int heads = Math.Max(1, order - 1), slots = order - 1;
        int histories = (int)Math.Pow(symbols, slots);
        int position = symbols, queries = position + 2, slotStart = queries + 2 * heads, historyStart = slotStart + heads * symbols;
        int used = historyStart + histories;
        int headSize = Math.Max(Math.Max(2, symbols), (used + heads - 1) / heads);
        int width = heads * headSize;
        var architecture = new NeuralArchitecture
        {
            Kind = NetworkKind.Transformer, Hidden = width, Layers = 1, Heads = heads, KeyValueHeads = heads, Attention = attention,
            PositionalEncoding = PositionalEncodingKind.Learned, LayerNorm = LayerNormPlacement.None,
            FeedForwardMultiplier = Math.Max(1, (histories + width - 1) / width), MaxLength = maxLength, Double = true,
        };
        var network = new TransformerNetwork(alphabet, architecture);
        var parameters = network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var parameter in parameters.Values)
            parameter.zero_();

        var embedding = parameters["embedding.weight"];
        for (int s = 0; s < symbols; s++)
            embedding[s, s] = 1;
        var table = parameters["learnedPositions.weight"];
        for (int t = 0; t <= maxLength; t++)
        {
            (table[t, position], table[t, position + 1]) = Unit(t);
            for (int i = 0; i < slots; i++)
                (table[t, queries + 2 * i], table[t, queries + 2 * i + 1]) = Unit(Math.Max(0, t - i));
        }
        double scale = beta * Math.Sqrt(headSize); // cancels the 1/√dₕ of the attention scores
        var query = parameters["blocks.0.attention.query.weight"];
        var key = parameters["blocks.0.attention.key.weight"];
        var value = parameters["blocks.0.attention.value.weight"];
        var output = parameters["blocks.0.attention.output.weight"];
        for (int i = 0; i < slots; i++)
        {
            int q = i * headSize;
            query[q, queries + 2 * i] = scale;
            query[q + 1, queries + 2 * i + 1] = scale;
            key[q, position] = 1;
            key[q + 1, position + 1] = 1;
            for (int s = 0; s < symbols; s++)
            {
                value[q + s, s] = 1;
                output[slotStart + i * symbols + s, q + s] = 1;
            }
        }

        var expand = parameters["blocks.0.expand.weight"];
        var expandBias = parameters["blocks.0.expand.bias"];
        var contract = parameters["blocks.0.contract.weight"];
        var readout = parameters["readout.weight"];
        var logProbabilities = new double[alphabet.SizeWithEos];
        for (int h = 0; h < histories; h++)
        {
            int[] recent = Digits(h, symbols, slots); // recent[i] = symbol i positions back (BOS = |Σ|)
            for (int i = 0; i < slots; i++)
                expand[h, slotStart + i * symbols + recent[i]] = 1;
            expandBias[h] = -(slots - 1);
            contract[historyStart + h, h] = 1;
            int state = State(ngram, recent);
            if (state == NGramModel.DeadState)
                continue;
            ngram.NextLogProbabilities(state, logProbabilities);
            for (int y = 0; y < logProbabilities.Length; y++)
                readout[y, historyStart + h] = double.IsNegativeInfinity(logProbabilities[y]) ? MinskyConstruction.LogZero : logProbabilities[y];
        }
        return network;
    }

    /// <summary>
    /// The smallest score gap Δ between the attended position and any other, for β = 1 (P7.8):
    /// 1 − ⟨f(L − 1), f(L)⟩, since ⟨f(a), f(b)⟩ grows towards 1 as adjacent positions grow.
    /// </summary>
    public static double ScoreGap(int maxLength)
    {
        var (a0, a1) = Unit(Math.Max(0, maxLength - 1));
        var (b0, b1) = Unit(Math.Max(1, maxLength));
        return 1 - (a0 * b0 + a1 * b1);
    }

    /// <summary>The positional unit vector f(s) = (1/√(s+1), √(s/(s+1))).</summary>
    private static (double, double) Unit(int s) => (1 / Math.Sqrt(s + 1), Math.Sqrt(s / (s + 1.0)));

    /// <summary>The base-b digits of a history index, least significant (most recent symbol) first.</summary>
    private static int[] Digits(int index, int radix, int count)
    {
        var digits = new int[count];
        for (int i = 0; i < count; i++, index /= radix)
            digits[i] = index % radix;
        return digits;
    }

    /// <summary>
    /// The n-gram state of a history given most recent first (BOS = |Σ|): BOS^k followed by real symbols is
    /// reached from BOS^{n−1} by reading those symbols; BOS after a real symbol never occurs (dead).
    /// </summary>
    private static int State(NGramModel ngram, int[] recent)
    {
        var alphabet = ngram.Alphabet;
        int[] history = recent.Reverse().ToArray();
        int padding = history.TakeWhile(s => s == alphabet.Size).Count();
        if (history.Skip(padding).Any(s => s == alphabet.Size))
            return NGramModel.DeadState;
        int state = ngram.InitialState;
        foreach (int symbol in history.Skip(padding))
            state = state == NGramModel.DeadState ? state : ngram.Advance(state, symbol);
        return state;
    }
}
