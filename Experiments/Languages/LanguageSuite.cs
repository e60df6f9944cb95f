using Workbench.Formal.Errors;

namespace Workbench.Experiments.Languages;

/// <summary>
/// The languages the experiment runner trains on, by name: regular (parity, even pairs, first = last,
/// mod-k counting, cycle navigation, (aa)*, (01)*, random PFSAs of given size and rank), context-free (aⁿbⁿ,
/// Dyck-1, Dyck-2, w#wᴿ, wwᴿ, majority, modular arithmetic with brackets, stack manipulation) and beyond (aⁿbⁿcⁿ, w#w, odds first, bucket sort, square root, binary addition, missing duplicate).
/// </summary>
public static class LanguageSuite
{
    /// <summary>The names of the fixed languages (plus mod-K and random-pfsa:… forms).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "parity", "even-pairs", "first-equals-last", "first", "mod-3", "cycle-navigation", "aa-star", "repeat-01", "dyck-2-3", "modular-arithmetic-simple",
        "anbn", "dyck-1", "dyck-2", "marked-reversal", "unmarked-reversal", "majority", "modular-arithmetic", "stack-manipulation", "anbncn", "marked-copy", "odds-first", "bucket-sort", "compute-sqrt", "binary-addition", "binary-multiplication", "missing-duplicate",
    ];

    /// <summary>
    /// The language a name denotes: one of <see cref="Names"/>, mod-K for K ≥ 2, or
    /// random-pfsa:states=Q,symbols=S,rank=R,seed=N.
    /// </summary>
    /// <exception cref="ParseException">Unknown name or malformed parameters.</exception>
    public static FormalLanguage Get(string name)
    {
        switch (name)
        {
            case "parity": return RegularLanguages.Parity();
            case "even-pairs": return RegularLanguages.EvenPairs();
            case "first-equals-last": return RegularLanguages.FirstEqualsLast();
            case "cycle-navigation": return RegularLanguages.CycleNavigation();
            case "aa-star": return RegularLanguages.EvenLength();
            case "repeat-01": return RegularLanguages.RepeatZeroOne();
            case "first": return RegularLanguages.First();
            case "dyck-2-3": return RegularLanguages.Dyck23();
            case "modular-arithmetic-simple": return RegularLanguages.ModularArithmeticSimple();
            case "anbn": return ContextFreeLanguages.AnBn();
            case "dyck-1": return ContextFreeLanguages.Dyck1();
            case "dyck-2": return ContextFreeLanguages.Dyck2();
            case "marked-reversal": return ContextFreeLanguages.MarkedReversal();
            case "unmarked-reversal": return ContextFreeLanguages.UnmarkedReversal();
            case "majority": return MajorityLanguage.Create();
            case "modular-arithmetic": return ContextFreeLanguages.ModularArithmetic();
            case "stack-manipulation": return ContextFreeLanguages.StackManipulation();
            case "anbncn": return ContextSensitiveLanguages.AnBnCn();
            case "marked-copy": return ContextSensitiveLanguages.MarkedCopy();
            case "odds-first": return ContextSensitiveLanguages.OddsFirst();
            case "bucket-sort": return ContextSensitiveLanguages.BucketSort();
            case "compute-sqrt": return SquareRootLanguage.Create();
            case "binary-addition": return BinaryAdditionLanguage.Create();
            case "binary-multiplication": return BinaryMultiplicationLanguage.Create();
            case "missing-duplicate": return MissingDuplicateLanguage.Create();
        }
        if (name.StartsWith("mod-", StringComparison.Ordinal) && int.TryParse(name[4..], out int k) && k is >= 2 and <= 100)
            return RegularLanguages.ModularCounting(k);
        if (name.StartsWith("random-pfsa:", StringComparison.Ordinal))
            return RandomPfsa(name);
        if (name.StartsWith("fsa:", StringComparison.Ordinal)) return FileLanguages.Pfsa(name, name[4..]);
        if (name.StartsWith("cfg:", StringComparison.Ordinal)) return FileLanguages.Grammar(name, name[4..]);
        throw new ParseException(Invariant($"unknown language '{name}'; known: {string.Join(", ", Names)}, mod-K, random-pfsa:states=Q,symbols=S,rank=R,seed=N, fsa:PATH (a deterministic PFSA file), cfg:PATH (a PCFG file)"));
    }

    private static FormalLanguage RandomPfsa(string name)
    {
        var values = new Dictionary<string, int>();
        foreach (string pair in name["random-pfsa:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=');
            if (parts.Length != 2 || !int.TryParse(parts[1], out int value))
                throw new ParseException(Invariant($"language '{name}': '{pair}' is not key=integer"));
            values[parts[0]] = value;
        }
        int Value(string key, int fallback) => values.GetValueOrDefault(key, fallback);
        int states = Value("states", 16), symbols = Value("symbols", 4), rank = Value("rank", 2), seed = Value("seed", 1);
        // The logits form a (|Σ| + 1) × |Q| matrix (EOS is an outcome too), so the rank goes up to min(|Q|, |Σ| + 1).
        if (states is < 1 or > 100_000 || symbols is < 1 or > 256 || rank < 1 || rank > Math.Min(states, symbols + 1))
            throw new ParseException(Invariant($"language '{name}': need 1 ≤ states ≤ 100000, 1 ≤ symbols ≤ 256 and 1 ≤ rank ≤ min(states, symbols + 1)"));
        return RegularLanguages.RandomPfsa(states, symbols, rank, seed);
    }
}
