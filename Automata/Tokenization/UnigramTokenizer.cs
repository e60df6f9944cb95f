using System.Collections.Immutable;
using Workbench.Automata.Core;
using Workbench.Formal.Semirings;
using Workbench.Formal.Errors;
using Workbench.Formal.Numerics;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// The unigram tokenizer of SentencePiece (Kudo 2018): pieces with probabilities p(piece) that sum to one, and a
/// segmentation s = (s₁, …, s_k) of a segment x weighted by ∏ p(sᵢ). The segmentations of x are the paths of its
/// lattice — states 0..n for the positions between base symbols, an arc i → j for every piece that spells x[i..j) — so
/// the lattice is an acyclic WFSA, and: the best segmentation is its Viterbi path (encoding); the marginal
/// Σ_s ∏ p(sᵢ) is its forward pass, exact; and a segmentation drawn backwards from the forward weights is an exact sample
/// of p(s | x) (subword regularisation). Each costs O(n·L) for pieces of at most L base symbols. Immutable.
/// </summary>
public sealed class UnigramTokenizer : ITokenizer
{
    private readonly ImmutableArray<ImmutableArray<int>> _pieces;
    private readonly Dictionary<string, int> _ids;

    /// <summary>Builds the tokenizer from pieces (sequences of base units) and their probabilities.</summary>
    /// <exception cref="InvalidModelException">A piece is empty or repeats, a probability is not in (0, 1], or they do not sum to 1 within 1e-9.</exception>
    public UnigramTokenizer(BaseUnits units, PreTokenization preTokenization, IReadOnlyList<(int[] Units, double Probability)> pieces)
    {
        Units = units;
        PreTokenization = preTokenization;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0.0;
        for (var i = 0; i < pieces.Count; i++)
        {
            var (piece, p) = pieces[i];
            if (piece.Length == 0) throw new InvalidModelException($"Piece {i} is empty.");
            if (piece.Any(u => units == BaseUnits.Bytes ? u is < 0 or > 255 : !System.Text.Rune.IsValid(u)))
                throw new InvalidModelException($"Piece {i} has a unit that is not a {(units == BaseUnits.Bytes ? "byte" : "Unicode scalar value")}.");
            if (!(p is > 0 and <= 1)) throw new InvalidModelException(Invariant($"Piece {i} has probability {p}, which is not in (0, 1]."));
            if (!_ids.TryAdd(Key(piece), i)) throw new InvalidModelException($"Piece {i} repeats piece {_ids[Key(piece)]}.");
            total += p;
        }
        if (!(Math.Abs(total - 1) <= 1e-9)) throw new InvalidModelException(Invariant($"The piece probabilities sum to {total:R}, not 1."));
        _pieces = [.. pieces.Select(p => ImmutableArray.Create(p.Units))];
        LogProbabilities = [.. pieces.Select(p => Math.Log(p.Probability))];
        MaxPieceLength = _pieces.Max(p => p.Length);
        BaseSymbols = [.. _pieces.SelectMany(p => p).Distinct().Order()];
    }

    /// <summary>The base symbols the pieces are made of, increasing.</summary>
    public ImmutableArray<int> BaseSymbols { get; }

    /// <summary>The most probable pieces, with their probabilities.</summary>
    public IReadOnlyList<string> Highlights(int count) =>
        [.. Enumerable.Range(0, VocabularySize).OrderByDescending(p => LogProbabilities[p]).Take(count)
            .Select(p => Invariant($"\"{TextUnits.Display(_pieces[p], Units)}\" p = {Math.Exp(LogProbabilities[p]):G4}"))];

    /// <summary>Code points or bytes.</summary>
    public BaseUnits Units { get; }

    /// <summary>How text is cut into segments before segmenting each.</summary>
    public PreTokenization PreTokenization { get; }

    /// <summary>log p(piece) for each piece id.</summary>
    public ImmutableArray<double> LogProbabilities { get; }

    /// <summary>The longest piece, in base symbols.</summary>
    public int MaxPieceLength { get; }

    /// <summary>The number of pieces.</summary>
    public int VocabularySize => _pieces.Length;

    /// <summary>κ(piece): the base units a piece stands for.</summary>
    public ImmutableArray<int> UnitsOf(int piece) => _pieces[piece];

    /// <summary>The Viterbi segmentation of every segment of <paramref name="text"/>: the piece ids of the most probable segmentation.</summary>
    /// <exception cref="WorkbenchException">Some segment has no segmentation into pieces (a base symbol no piece covers).</exception>
    public int[] Encode(string text) => [.. Segments(text).SelectMany(Viterbi)];

    /// <summary>The text of a piece sequence.</summary>
    public string Decode(IReadOnlyList<int> pieces) => TextUnits.Text([.. pieces.SelectMany(p => _pieces[p])], Units);

    /// <summary>log Σ_s ∏ p(sᵢ) over all segmentations of the text (segment by segment, so a product over segments); −∞ when there is none.</summary>
    public double LogMarginal(string text) => Segments(text).Sum(units => Forward(units)[^1]);

    /// <summary>An exact draw from p(s | x) for each segment of the text, by backward sampling on the lattice's forward weights.</summary>
    /// <exception cref="WorkbenchException">Some segment has no segmentation.</exception>
    public int[] Sample(string text, Random random)
    {
        var result = new List<int>();
        foreach (var units in Segments(text))
        {
            var alpha = Forward(units);
            if (double.IsNegativeInfinity(alpha[^1])) throw NoSegmentation(units);
            var pieces = new List<int>();
            var candidates = new List<(int Piece, int Start, double Log)>();
            for (var j = units.Length; j > 0;)
            {
                candidates.Clear();
                foreach (var (piece, start) in EndingAt(units, j))
                    if (!double.IsNegativeInfinity(alpha[start])) candidates.Add((piece, start, alpha[start] + LogProbabilities[piece] - alpha[j]));
                var pick = Formal.Generation.Categorical.Sample([.. candidates.Select(c => c.Log)], random);
                pieces.Add(candidates[pick].Piece);
                j = candidates[pick].Start;
            }
            pieces.Reverse();
            result.AddRange(pieces);
        }
        return [.. result];
    }

    /// <summary>
    /// τ's lattice as a transducer: κ⁻¹ with each piece weighted by p(piece), so the weight of (x, s) is the segmentation's
    /// probability, the best path on x is τ(x) up to ties, and the paths on x sum to the marginal. Pieces that straddle a
    /// segment boundary are left out, which is exactly what encoding segment by segment does (<see cref="LocalSegmentation"/>).
    /// </summary>
    /// <exception cref="WorkbenchException">The pre-tokenization is not local in the base symbols.</exception>
    public Wfst<Real> EncoderTransducer()
    {
        LocalSegmentation.Require(this, "The Unigram lattice transducer");
        return DecoderTransducer.Weighted(this, piece => LocalSegmentation.ContainsBoundary(PreTokenization, _pieces[piece])
            ? null : new Real(Math.Exp(LogProbabilities[piece]))).Inverse();
    }

    /// <summary>Every segmentation of a sequence of base units, as piece ids (exponential: a brute-force reference for short inputs).</summary>
    public IEnumerable<int[]> AllSegmentations(int[] units)
    {
        IEnumerable<int[]> From(int start)
        {
            if (start == units.Length)
            {
                yield return [];
                yield break;
            }
            for (var end = start + 1; end <= Math.Min(units.Length, start + MaxPieceLength); end++)
                if (_ids.TryGetValue(Key(units[start..end]), out var piece))
                    foreach (var rest in From(end)) yield return [piece, .. rest];
        }
        return From(0);
    }

    /// <summary>α_j = log Σ over the segmentations of units[0..j) of their weight, for j = 0..n. O(n·L).</summary>
    internal double[] Forward(int[] units)
    {
        var alpha = new double[units.Length + 1];
        alpha.AsSpan(1).Fill(double.NegativeInfinity);
        for (var j = 1; j <= units.Length; j++)
            foreach (var (piece, start) in EndingAt(units, j))
                alpha[j] = LogSpace.Add(alpha[j], alpha[start] + LogProbabilities[piece]);
        return alpha;
    }

    /// <summary>β_i = log Σ over the segmentations of units[i..n), for i = 0..n. O(n·L).</summary>
    internal double[] Backward(int[] units)
    {
        var beta = new double[units.Length + 1];
        beta.AsSpan(0, units.Length).Fill(double.NegativeInfinity);
        for (var i = units.Length - 1; i >= 0; i--)
            for (var end = i + 1; end <= Math.Min(units.Length, i + MaxPieceLength); end++)
                if (_ids.TryGetValue(Key(units[i..end]), out var piece)) beta[i] = LogSpace.Add(beta[i], LogProbabilities[piece] + beta[end]);
        return beta;
    }

    /// <summary>Every arc of the lattice of <paramref name="units"/>: a piece spelling units[start..end).</summary>
    internal IEnumerable<(int Piece, int Start, int End)> Arcs(int[] units)
    {
        for (var start = 0; start < units.Length; start++)
            for (var end = start + 1; end <= Math.Min(units.Length, start + MaxPieceLength); end++)
                if (_ids.TryGetValue(Key(units[start..end]), out var piece)) yield return (piece, start, end);
    }

    // The pieces that spell units[start..end) for each start, end fixed.
    private IEnumerable<(int Piece, int Start)> EndingAt(int[] units, int end)
    {
        for (var start = Math.Max(0, end - MaxPieceLength); start < end; start++)
            if (_ids.TryGetValue(Key(units[start..end]), out var piece)) yield return (piece, start);
    }

    private int[] Viterbi(int[] units)
    {
        var best = new double[units.Length + 1];
        var back = new (int Piece, int Start)[units.Length + 1];
        best.AsSpan(1).Fill(double.NegativeInfinity);
        for (var j = 1; j <= units.Length; j++)
            foreach (var (piece, start) in EndingAt(units, j))
                if (best[start] + LogProbabilities[piece] > best[j])
                {
                    best[j] = best[start] + LogProbabilities[piece];
                    back[j] = (piece, start);
                }
        if (double.IsNegativeInfinity(best[^1])) throw NoSegmentation(units);
        var pieces = new List<int>();
        for (var j = units.Length; j > 0; j = back[j].Start) pieces.Add(back[j].Piece);
        pieces.Reverse();
        return [.. pieces];
    }

    private IEnumerable<int[]> Segments(string text) => TextUnits.Segments(text, PreTokenization).Select(s => TextUnits.Of(s, Units));

    private WorkbenchException NoSegmentation(int[] units) =>
        new($"\"{string.Concat(units.Select(u => TextUnits.NameOf(u, Units)))}\" has no segmentation into the tokenizer's pieces (some base symbol is not a piece).");

    private static string Key(IEnumerable<int> units) => string.Join(",", units);
}
