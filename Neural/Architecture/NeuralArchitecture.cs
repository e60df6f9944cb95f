using System.Globalization;
using Workbench.Formal.Errors;

namespace Workbench.Neural.Architecture;

/// <summary>The family of a neural LM.</summary>
public enum NetworkKind
{
    /// <summary>Elman RNN hₜ = σ(U hₜ₋₁ + V e(yₜ) + b) with a custom cell (notes §5.1, D5.1.x).</summary>
    Elman,
    /// <summary>Long short-term memory (libtorch's LSTM).</summary>
    Lstm,
    /// <summary>Gated recurrent unit (libtorch's GRU).</summary>
    Gru,
    /// <summary>Causal (decoder-only) transformer (notes §5.3).</summary>
    Transformer,
    /// <summary>A tanh RNN with a differentiable stack (Joulin &amp; Mikolov 2015; Delétang et al. 2023).</summary>
    StackRnn,
    /// <summary>A tanh RNN with a differentiable circular tape (Delétang et al. 2023), without the paper's input-length jumps.</summary>
    TapeRnn,
    /// <summary>A tanh RNN with a nondeterministic stack, a pushdown automaton whose runs are all followed (DuSell &amp; Chiang 2020, 2022).</summary>
    NsRnn,
    /// <summary>
    /// A multi-layer tanh RNN, libtorch's: hₜ = tanh(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh) per layer, the layer below's hₜ as the
    /// input xₜ of the next (the simple RNN of Butoi et al. 2025 and Delétang et al. 2023, with layers); the one-layer,
    /// hand-settable cell of §5.1 is <see cref="Elman"/>.
    /// </summary>
    Rnn,
}

/// <summary>The nonlinearity of an Elman cell.</summary>
public enum Activation
{
    /// <summary>tanh, values in (−1, 1).</summary>
    Tanh,
    /// <summary>Logistic sigmoid, values in (0, 1).</summary>
    Sigmoid,
    /// <summary>max(0, x): unbounded, so tightness is not guaranteed (P6.2).</summary>
    Relu,
    /// <summary>H(x) = 1 if x &gt; 0 else 0: finitely many hidden states (P6.5).</summary>
    Heaviside,
    /// <summary>min(1, max(0, x)), the saturated sigmoid of the Turing-completeness construction (P6.9).</summary>
    SaturatedSigmoid,
}

/// <summary>How attention scores become weights.</summary>
public enum AttentionKind
{
    /// <summary>softmax over the visible positions.</summary>
    Soft,
    /// <summary>Uniform over the argmax positions (ties averaged), as in the constructions of §5.4.</summary>
    Hard,
    /// <summary>sparsemax over the visible positions (Martins &amp; Astudillo 2016).</summary>
    Sparsemax,
}

/// <summary>How a transformer knows positions.</summary>
public enum PositionalEncodingKind
{
    /// <summary>No positional information (NoPE): only causal masking breaks permutation symmetry.</summary>
    None,
    /// <summary>Fixed sinusoids added to the embeddings (Vaswani et al. 2017, P7.5).</summary>
    Sinusoidal,
    /// <summary>A learned table of position vectors for positions 0…<see cref="NeuralArchitecture.MaxLength"/>; later positions reuse the last row, so the LM is defined on all of Σ*.</summary>
    Learned,
    /// <summary>Rotary embeddings applied to queries and keys (Su et al. 2021).</summary>
    Rotary,
    /// <summary>Linear distance penalties on the attention scores, one slope per head (Press et al. 2022).</summary>
    Alibi,
    /// <summary>
    /// Sinusoids of randomized positions (Ruoss et al. 2023): training draws sorted random positions from [0, <see cref="NeuralArchitecture.PositionRange"/>);
    /// the language model evaluates at position ⌊t·range/<see cref="NeuralArchitecture.MaxLength"/>⌋.
    /// </summary>
    Randomized,
}

/// <summary>Where a transformer normalises.</summary>
public enum LayerNormPlacement
{
    /// <summary>x + f(LN(x)) in every sublayer, and a final LN.</summary>
    Pre,
    /// <summary>LN(x + f(x)) after every sublayer.</summary>
    Post,

    /// <summary>No normalisation: x + f(x) (as in the constructions of §5.4; the norm bound then propagates through every sublayer).</summary>
    None,
}

/// <summary>The map from output scores to a distribution over Σ̄.</summary>
public enum OutputProjection
{
    /// <summary>softmax: every symbol gets positive probability.</summary>
    Softmax,
    /// <summary>sparsemax: a Euclidean projection onto the simplex; zeros allowed (notes §3.1).</summary>
    Sparsemax,
}

/// <summary>
/// Everything that fixes a network's shape: family, sizes, nonlinearities, attention and positional
/// encoding, output projection and precision. Saved next to the weights, and written as a compact
/// spec string <c>kind:key=value,…</c> on the command line (see <see cref="Parse"/>).
/// </summary>
public sealed record NeuralArchitecture
{
    /// <summary>The network family.</summary>
    public NetworkKind Kind { get; init; } = NetworkKind.Lstm;

    /// <summary>Hidden size D (the model width d for transformers).</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Number of stacked layers (Elman: always 1).</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Elman nonlinearity.</summary>
    public Activation Activation { get; init; } = Activation.Tanh;

    /// <summary>Attention heads (transformer).</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Key/value heads: <see cref="Heads"/> for multi-head, 1 for multi-query, in between for grouped-query attention.</summary>
    public int KeyValueHeads { get; init; } = 4;

    /// <summary>Attention weights (transformer).</summary>
    public AttentionKind Attention { get; init; } = AttentionKind.Soft;

    /// <summary>Positional encoding (transformer).</summary>
    public PositionalEncodingKind PositionalEncoding { get; init; } = PositionalEncodingKind.Sinusoidal;

    /// <summary>Layer-norm placement (transformer).</summary>
    public LayerNormPlacement LayerNorm { get; init; } = LayerNormPlacement.Pre;

    /// <summary>Width of the transformer's ReLU feed-forward sublayer, as a multiple of <see cref="Hidden"/>.</summary>
    public int FeedForwardMultiplier { get; init; } = 4;

    /// <summary>Longest context a learned positional table covers with rows of its own (beyond it the last row is reused; other encodings have no limit).</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>The range [0, range) that randomized positional encodings draw training positions from (more than <see cref="MaxLength"/>).</summary>
    public int PositionRange { get; init; } = 2048;

    /// <summary>Cells of a stack RNN's stack (what is pushed below the last is lost), or of a tape RNN's circular tape.</summary>
    public int StackDepth { get; init; } = 32;

    /// <summary>Values per cell of a stack RNN's stack or a tape RNN's tape.</summary>
    public int StackCell { get; init; } = 8;

    /// <summary>States |Q| of a nondeterministic stack RNN's pushdown automaton.</summary>
    public int StackStates { get; init; } = 2;

    /// <summary>Stack symbols |Γ| of a nondeterministic stack RNN's pushdown automaton (the bottom ⊥ is the first).</summary>
    public int StackSymbols { get; init; } = 3;

    /// <summary>
    /// The memory limit of a nondeterministic stack RNN: a pushed symbol can be read again at most this many steps later
    /// (DuSell &amp; Chiang 2022); strings no longer than it see the exact stack.
    /// </summary>
    public int StackWindow { get; init; } = 40;

    /// <summary>Output projection.</summary>
    public OutputProjection Output { get; init; } = OutputProjection.Softmax;

    /// <summary>float64 instead of float32.</summary>
    public bool Double { get; init; }

    /// <summary>Weight tying (Press &amp; Wolf 2017): the input embedding of a symbol is its row of the output layer's weight E.</summary>
    public bool TiedEmbeddings { get; init; }

    /// <summary>Checks the sizes and their consistency.</summary>
    /// <exception cref="InvalidModelException">A size is not positive, or the heads do not divide.</exception>
    public NeuralArchitecture Validated()
    {
        Require(Hidden is > 0 and <= 1 << 16, Invariant($"hidden size {Hidden} must be in 1..65536"));
        Require(Layers is > 0 and <= 64, Invariant($"layers {Layers} must be in 1..64"));
        Require(Kind != NetworkKind.Elman || Layers == 1, "an Elman RNN has one layer (rnn:layers=N is the multi-layer tanh RNN)");
        Require(Kind != NetworkKind.Rnn || Activation == Activation.Tanh, "the rnn kind is libtorch's tanh RNN: other activations are the one-layer elman kind's");
        Require(Kind != NetworkKind.StackRnn || Layers == 1, "a stack RNN has one layer");
        Require(Kind != NetworkKind.TapeRnn || Layers == 1, "a tape RNN has one layer");
        Require(Kind != NetworkKind.NsRnn || Layers == 1, "a nondeterministic stack RNN has one layer");
        if (Kind == NetworkKind.NsRnn)
        {
            Require(StackStates is >= 1 and <= 8, Invariant($"the stack automaton's states {StackStates} must be in 1..8"));
            Require(StackSymbols is >= 1 and <= 8, Invariant($"the stack automaton's symbols {StackSymbols} must be in 1..8"));
            Require(StackWindow is >= 2 and <= 1024, Invariant($"the stack window {StackWindow} must be in 2..1024"));
            double table = Math.Pow((StackWindow + 1.0) * StackConfigurations, 2);
            Require(table <= MaxStackTable, Invariant($"the stack's table of (window + 1)²·(states·symbols)² = {table:0} weights per string and step is over {MaxStackTable}: lower the window, states or symbols"));
        }
        if (Kind is NetworkKind.StackRnn or NetworkKind.TapeRnn)
        {
            string memory = Kind == NetworkKind.StackRnn ? "stack" : "tape";
            Require(StackDepth is >= 2 and <= 1 << 16, Invariant($"the {memory} {(Kind == NetworkKind.StackRnn ? "depth" : "length")} {StackDepth} must be in 2..65536"));
            Require(StackCell is > 0 and <= 1 << 12, Invariant($"the {memory} cell size {StackCell} must be in 1..4096"));
        }
        if (Kind == NetworkKind.Transformer)
        {
            Require(Heads > 0 && Hidden % Heads == 0, Invariant($"heads {Heads} must divide the width {Hidden}"));
            Require(KeyValueHeads > 0 && Heads % KeyValueHeads == 0, Invariant($"key/value heads {KeyValueHeads} must divide heads {Heads}"));
            Require(PositionalEncoding != PositionalEncodingKind.Rotary || (Hidden / Heads) % 2 == 0, "rotary encodings need an even head size");
            Require(FeedForwardMultiplier is > 0 and <= 64, Invariant($"the feed-forward multiplier {FeedForwardMultiplier} must be in 1..64"));
            Require(MaxLength is > 0 and <= 1 << 20, Invariant($"the maximum length {MaxLength} must be in 1..1048576"));
            Require(PositionalEncoding != PositionalEncodingKind.Randomized || PositionRange is > 0 and <= 1 << 20 && PositionRange > MaxLength,
                Invariant($"randomized positions draw from a range ({PositionRange}) that must exceed the maximum length ({MaxLength}) and be at most 1048576"));
        }
        Require(CoreParameters <= MaxCoreParameters,
            Invariant($"about {CoreParameters:G3} parameters in the layers is more than the {MaxCoreParameters:G3} a workbench network may have (it would not fit in memory)"));
        return this;
    }

    /// <summary>The most parameters the layers may have (4 GiB in float32), so a typo or a damaged file cannot exhaust memory.</summary>
    public const double MaxCoreParameters = 1e9;

    /// <summary>The most inner weights a nondeterministic stack keeps per string and step (32 MiB in float64); training holds one such table per step.</summary>
    public const double MaxStackTable = 1 << 22;

    // The parameters of the recurrent or transformer layers, without the embeddings (which depend on the alphabet).
    private double CoreParameters => Kind switch
    {
        NetworkKind.Transformer => Layers * (4.0 + 2.0 * FeedForwardMultiplier) * Hidden * Hidden + (PositionalEncoding == PositionalEncodingKind.Learned ? (MaxLength + 1.0) * Hidden : 0),
        NetworkKind.Lstm => Layers * 8.0 * Hidden * Hidden,
        NetworkKind.Gru => Layers * 6.0 * Hidden * Hidden,
        NetworkKind.Rnn => Layers * 2.0 * Hidden * Hidden,
        NetworkKind.StackRnn or NetworkKind.TapeRnn => 2.0 * Hidden * Hidden + 2.0 * Hidden * StackCell + (double)StackDepth * StackCell,
        NetworkKind.NsRnn => 2.0 * Hidden * Hidden + (double)Hidden * StackConfigurations * (2 * StackConfigurations + StackStates + 1),
        _ => 2.0 * Hidden * Hidden,
    };

    /// <summary>P = |Q|·|Γ|, the configurations (state, top symbol) a nondeterministic stack RNN reads.</summary>
    public int StackConfigurations => StackStates * StackSymbols;

    /// <summary>
    /// Parses <c>kind[:key=value,…]</c>, e.g. <c>lstm:hidden=256</c>, <c>elman:hidden=32,activation=relu</c>,
    /// <c>transformer:hidden=256,layers=4,heads=4,kv=1,pe=rope,attention=soft,ln=pre,output=sparsemax,dtype=float64</c>,
    /// <c>stackrnn:hidden=32,stack=32,cell=8</c>, <c>tapernn:hidden=32,tape=32,cell=8</c>,
    /// <c>nsrnn:hidden=32,states=2,symbols=3,window=40</c>; any kind takes <c>tie=true</c> (weight tying).
    /// </summary>
    /// <exception cref="ParseException">Unknown kind, key or value.</exception>
    public static NeuralArchitecture Parse(string spec)
    {
        string[] parts = spec.Split(':', 2);
        var architecture = new NeuralArchitecture { Kind = ParseEnum<NetworkKind>(parts[0], spec, "kind") };
        bool kvGiven = false;
        if (parts.Length == 2 && parts[1].Length > 0)
        {
            foreach (string pair in parts[1].Split(','))
            {
                string[] keyValue = pair.Split('=', 2);
                if (keyValue.Length != 2)
                    throw new ParseException(Invariant($"model spec '{spec}': '{pair}' is not key=value"));
                string key = keyValue[0].Trim().ToLowerInvariant(), value = keyValue[1].Trim();
                architecture = key switch
                {
                    "hidden" or "d" => architecture with { Hidden = ParseInt(value, spec, key) },
                    "layers" => architecture with { Layers = ParseInt(value, spec, key) },
                    "activation" => architecture with { Activation = ParseEnum<Activation>(value, spec, key) },
                    "heads" => architecture with { Heads = ParseInt(value, spec, key) },
                    "kv" => architecture with { KeyValueHeads = ParseInt(value, spec, key) },
                    "attention" => architecture with { Attention = ParseEnum<AttentionKind>(value, spec, key) },
                    "pe" => architecture with { PositionalEncoding = ParsePositional(value, spec) },
                    "ln" => architecture with { LayerNorm = ParseEnum<LayerNormPlacement>(value, spec, key) },
                    "ff" => architecture with { FeedForwardMultiplier = ParseInt(value, spec, key) },
                    "maxlength" => architecture with { MaxLength = ParseInt(value, spec, key) },
                    "pemax" => architecture with { PositionRange = ParseInt(value, spec, key) },
                    "stack" or "tape" => architecture with { StackDepth = ParseInt(value, spec, key) },
                    "cell" => architecture with { StackCell = ParseInt(value, spec, key) },
                    "states" => architecture with { StackStates = ParseInt(value, spec, key) },
                    "symbols" => architecture with { StackSymbols = ParseInt(value, spec, key) },
                    "window" => architecture with { StackWindow = ParseInt(value, spec, key) },
                    "output" => architecture with { Output = ParseEnum<OutputProjection>(value, spec, key) },
                    "tie" => architecture with { TiedEmbeddings = value.ToLowerInvariant() switch
                    {
                        "true" or "yes" or "1" => true,
                        "false" or "no" or "0" => false,
                        _ => throw new ParseException(Invariant($"model spec '{spec}': tie '{value}' is not true or false")),
                    } },
                    "dtype" => architecture with { Double = value switch
                    {
                        "float64" or "double" => true,
                        "float32" or "float" => false,
                        _ => throw new ParseException(Invariant($"model spec '{spec}': dtype '{value}' is not float32 or float64")),
                    } },
                    _ => throw new ParseException(Invariant($"model spec '{spec}': unknown key '{key}' (hidden, layers, activation, heads, kv, attention, pe, ln, ff, maxlength, pemax, stack, tape, cell, states, symbols, window, output, dtype, tie)")),
                };
                kvGiven |= key == "kv";
            }
        }
        if (!kvGiven)
            architecture = architecture with { KeyValueHeads = architecture.Heads };
        try
        {
            return architecture.Validated();
        }
        catch (InvalidModelException exception)
        {
            throw new ParseException(Invariant($"model spec '{spec}': {exception.Message}"));
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        string kind = Kind.ToString().ToLowerInvariant();
        string common = Invariant($"hidden={Hidden},output={Output.ToString().ToLowerInvariant()},dtype={(Double ? "float64" : "float32")}") + (TiedEmbeddings ? ",tie=true" : "");
        return Kind switch
        {
            NetworkKind.Elman => Invariant($"{kind}:{common},activation={Activation.ToString().ToLowerInvariant()}"),
            NetworkKind.StackRnn => Invariant($"{kind}:{common},stack={StackDepth},cell={StackCell}"),
            NetworkKind.TapeRnn => Invariant($"{kind}:{common},tape={StackDepth},cell={StackCell}"),
            NetworkKind.NsRnn => Invariant($"{kind}:{common},states={StackStates},symbols={StackSymbols},window={StackWindow}"),
            NetworkKind.Transformer => Invariant(
                $"{kind}:{common},layers={Layers},heads={Heads},kv={KeyValueHeads},attention={Attention.ToString().ToLowerInvariant()},pe={PositionalName(PositionalEncoding)},ln={LayerNorm.ToString().ToLowerInvariant()},ff={FeedForwardMultiplier},maxlength={MaxLength}")
                + (PositionalEncoding == PositionalEncodingKind.Randomized ? Invariant($",pemax={PositionRange}") : ""),
            _ => Invariant($"{kind}:{common},layers={Layers}"),
        };
    }

    private static string PositionalName(PositionalEncodingKind kind) => kind switch
    {
        PositionalEncodingKind.None => "none",
        PositionalEncodingKind.Rotary => "rope",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static PositionalEncodingKind ParsePositional(string value, string spec) => value.ToLowerInvariant() switch
    {
        "none" or "nope" => PositionalEncodingKind.None,
        "rope" or "rotary" => PositionalEncodingKind.Rotary,
        _ => ParseEnum<PositionalEncodingKind>(value, spec, "pe"),
    };

    private static T ParseEnum<T>(string value, string spec, string key) where T : struct, Enum =>
        Enum.TryParse(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out T parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new ParseException(Invariant($"model spec '{spec}': {key} '{value}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(name => name.ToLowerInvariant()))}"));

    private static int ParseInt(string value, string spec, string key) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed)
            ? parsed
            : throw new ParseException(Invariant($"model spec '{spec}': {key} '{value}' is not an integer"));

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new InvalidModelException(message);
    }
}
