using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Models;

/// <summary>
/// The model with the uniform next-symbol distribution p(ȳ | y) = 1/|Σ̄| at every prefix: lengths are
/// geometric with stopping probability 1/|Σ̄|, so p(y) = |Σ̄|^−(|y|+1), E|y| = |Σ|,
/// H = (|Σ| + 1)·log|Σ̄| and the per-symbol perplexity is exactly |Σ̄| on every corpus (P3.11).
/// The autoregressive state is the prefix length.
/// </summary>
public sealed class UniformLanguageModel(Alphabet alphabet) :
    IAutoregressiveLanguageModel<int>, IPrefixProbabilityModel, IPartitionFunctionModel,
    IExactEntropyModel, IExpectedLengthModel, ITightnessAnalyzable, ILengthTailModel
{
    /// <inheritdoc />
    public Alphabet Alphabet { get; } = alphabet ?? throw new ArgumentNullException(nameof(alphabet));

    /// <inheritdoc />
    public int InitialState => 0;

    /// <inheritdoc />
    public void NextLogProbabilities(int state, Span<double> logProbabilities) =>
        logProbabilities.Fill(-Math.Log(Alphabet.SizeWithEos));

    /// <inheritdoc />
    public int Advance(int state, int symbol)
    {
        Alphabet.Validate([symbol]);
        return state + 1;
    }

    /// <summary>log p(y) = −(|y| + 1)·log|Σ̄|. O(|y|) for validation.</summary>
    public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);

    /// <summary>log π(y) = −|y|·log|Σ̄|.</summary>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix) => ChainRule.LogPrefixProbability(this, prefix);

    /// <summary>1, exactly (geometric lengths with positive stopping probability).</summary>
    public CertifiedValue PartitionFunction() => CertifiedValue.Exact(1, "closed form");

    /// <summary>(|Σ| + 1)·log|Σ̄|, exactly.</summary>
    public CertifiedValue Entropy() => CertifiedValue.Exact((Alphabet.Size + 1) * Math.Log(Alphabet.SizeWithEos), "closed form");

    /// <summary>|Σ|, exactly.</summary>
    public CertifiedValue ExpectedLength() => CertifiedValue.Exact(Alphabet.Size, "closed form");

    /// <summary>(|Σ|/|Σ̄|)^T, exactly.</summary>
    public CertifiedValue ProbabilityOfLengthAtLeast(int length) =>
        CertifiedValue.Exact(Math.Pow(Alphabet.Size / (double)Alphabet.SizeWithEos, length), "closed form");

    /// <inheritdoc />
    public TightnessReport AnalyzeTightness() =>
        new(TightnessVerdict.Tight, 1, 1, 1, TightnessMethod.ClosedForm,
            [$"p(EOS | y) = 1/{Alphabet.SizeWithEos} at every prefix, so P(|y| ≥ T) = ({Alphabet.Size}/{Alphabet.SizeWithEos})^T → 0"]);

    /// <inheritdoc />
    public override string ToString() => $"uniform LM over {Alphabet}";
}
