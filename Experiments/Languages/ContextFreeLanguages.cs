using Workbench.Automata.Formats;
using System.Text;
using Workbench.Automata.Grammars;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Experiments.Languages;

/// <summary>
/// The context-free languages of the suite as PCFGs (unambiguous, so the derivational entropy is the
/// string entropy, P5.9), turned into exact LMs through their prefix probabilities (P5.10).
/// </summary>
public static class ContextFreeLanguages
{
    /// <summary>aⁿbⁿ, n ≥ 0: S → a S b [0.8] | ε [0.2] (n is geometric with mean 4).</summary>
    public static FormalLanguage AnBn() => FromGrammar("anbn", "a^n b^n, n geometric with mean 4",
        "S -> 'a' S 'b' [0.8] | [0.2]",
        (alphabet, y) =>
        {
            int a = alphabet.IdOf("a"), n = y.Length / 2;
            return y.Length % 2 == 0 && y.Take(n).All(s => s == a) && y.Skip(n).All(s => s != a);
        });

    /// <summary>Balanced parentheses: S → ( S ) S [0.45] | ε [0.55] (4.5 pairs on average).</summary>
    public static FormalLanguage Dyck1() => FromGrammar("dyck-1", "balanced strings of one bracket pair, 4.5 pairs on average",
        "S -> '(' S ')' S [0.45] | [0.55]",
        (alphabet, y) => Balanced(alphabet, y, [("(", ")")]));

    /// <summary>Balanced strings of two bracket kinds: S → ( S ) S [0.225] | [ S ] S [0.225] | ε [0.55].</summary>
    public static FormalLanguage Dyck2() => FromGrammar("dyck-2", "balanced strings of two bracket kinds, 4.5 pairs on average",
        "S -> '(' S ')' S [0.225] | '[' S ']' S [0.225] | [0.55]",
        (alphabet, y) => Balanced(alphabet, y, [("(", ")"), ("[", "]")]));

    /// <summary>
    /// Unmarked reversal wwᴿ over {a, b} (FLaRe's unmarked reversal; Delétang et al.'s reverse string without its
    /// marker): S → a S a [0.4] | b S b [0.4] | ε [0.2], unambiguous since w is the first half.
    /// </summary>
    public static FormalLanguage UnmarkedReversal() => FromGrammar("unmarked-reversal", "ww^R over {a, b} (even palindromes), |w| geometric with mean 4",
        "S -> 'a' S 'a' [0.4] | 'b' S 'b' [0.4] | [0.2]",
        (_, y) => y.Length % 2 == 0 && y.SequenceEqual(y.Reverse()));

    /// <summary>Marked reversal w#wᴿ over {a, b}: S → a S a [0.4] | b S b [0.4] | # [0.2].</summary>
    public static FormalLanguage MarkedReversal() => FromGrammar("marked-reversal", "w#w^R over {a, b}, |w| geometric with mean 4",
        "S -> 'a' S 'a' [0.4] | 'b' S 'b' [0.4] | '#' [0.2]",
        (alphabet, y) =>
        {
            int mark = alphabet.IdOf("#"), n = y.Length / 2;
            return y.Length % 2 == 1 && y[n] == mark && y.Count(s => s == mark) == 1 && Enumerable.Range(0, n).All(i => y[i] == y[^(i + 1)]);
        });

    /// <summary>
    /// FLaRe's stack manipulation (Butoi et al. 2025): an initial stack of bits (bottom first), a sequence of operations
    /// PUSH b and POP that never pops an empty stack, #, then the final stack top first. Deterministic context-free; the
    /// grammar follows the one parse a stack machine makes, so it is unambiguous:
    /// S peels the bottom bits that survive with their copies at the end; P reads the initial bits that get popped, each with
    /// the balanced stretch (Bal) before the POP that removes it; Q reads the surviving pushes, each with its copy.
    /// </summary>
    public static FormalLanguage StackManipulation() => FromGrammar("stack-manipulation",
        "an initial stack of bits, PUSH b and POP operations, #, then the final stack top first (FLaRe)",
        """
        S -> '0' S '0' [0.2] | '1' S '1' [0.2] | P Q [0.6]
        P -> '0' P Bal 'POP' [0.15] | '1' P Bal 'POP' [0.15] | [0.7]
        Bal -> 'PUSH' '0' Bal 'POP' Bal [0.15] | 'PUSH' '1' Bal 'POP' Bal [0.15] | [0.7]
        Q -> Bal 'PUSH' '0' Q '0' [0.2] | Bal 'PUSH' '1' Q '1' [0.2] | Bal '#' [0.6]
        """,
        StackProgram.Accepts);

    /// <summary>
    /// Fully bracketed expressions over digits 0–4 with + and ·, followed by = and their value mod 5:
    /// E → d [0.12 each] | ( E + E ) [0.2] | ( E * E ) [0.2], then S → E = value(E). A weighted grammar with
    /// one nonterminal per value, renormalised into a PCFG with the same distribution.
    /// </summary>
    public static FormalLanguage ModularArithmetic()
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(" | ", Enumerable.Range(0, 5).Select(v => Invariant($"E{v} '=' '{v}' [1]"))).Insert(0, "S -> "));
        for (int v = 0; v < 5; v++)
        {
            var alternatives = new List<string> { Invariant($"'{v}' [0.12]") };
            for (int a = 0; a < 5; a++)
                for (int b = 0; b < 5; b++)
                {
                    if ((a + b) % 5 == v)
                        alternatives.Add(Invariant($"'(' E{a} '+' E{b} ')' [0.2]"));
                    if (a * b % 5 == v)
                        alternatives.Add(Invariant($"'(' E{a} '*' E{b} ')' [0.2]"));
                }
            text.AppendLine(Invariant($"E{v} -> {string.Join(" | ", alternatives)}"));
        }
        var weighted = CfgTextFormat.Read(text.ToString(), "modular-arithmetic");
        return FromPcfg("modular-arithmetic", "bracketed expressions over 0-4 with + and *, then = and their value mod 5",
            ChomskyNormalForm.Renormalise(weighted), (alphabet, y) => Arithmetic.Accepts(alphabet, y));
    }

    private static FormalLanguage FromGrammar(string name, string description, string grammar, Func<Alphabet, int[], bool> accepts) =>
        FromPcfg(name, description, CfgTextFormat.Read(grammar, name), accepts);

    private static FormalLanguage FromPcfg(string name, string description, Cfg<Real> grammar, Func<Alphabet, int[], bool> accepts) =>
        FromPcfg(name, description, grammar, accepts, PcfgAnalysis.DerivationalEntropy(grammar).Value);

    /// <summary>
    /// A PCFG as a language: its prefix-parser LM, the given recogniser, a top-down sampler, and the entropy when it is
    /// known (the derivational entropy equals the string entropy only for an unambiguous grammar).
    /// </summary>
    internal static FormalLanguage FromPcfg(string name, string description, Cfg<Real> grammar, Func<Alphabet, int[], bool> accepts, double? entropy)
    {
        var model = new PcfgLanguageModel(grammar);
        var sampler = new PcfgSampler(grammar);
        return new FormalLanguage(name, ChomskyLevel.ContextFree, description, model,
            y => accepts(grammar.Terminals, y), entropy,
            (random, maxLength) => sampler.Sample(random, 4 * maxLength + 4) is { Truncated: false } d && d.Yield.Length <= maxLength ? d.Yield : null,
            model.LengthSampler);
    }

    private static bool Balanced(Alphabet alphabet, int[] y, (string Open, string Close)[] pairs)
    {
        var stack = new Stack<int>();
        foreach (int symbol in y)
        {
            int open = Array.FindIndex(pairs, p => alphabet.IdOf(p.Open) == symbol);
            if (open >= 0)
            {
                stack.Push(open);
                continue;
            }
            int close = Array.FindIndex(pairs, p => alphabet.IdOf(p.Close) == symbol);
            if (close < 0 || stack.Count == 0 || stack.Pop() != close)
                return false;
        }
        return stack.Count == 0;
    }

    /// <summary>Runs a stack-manipulation program: its initial bits, its operations (refusing a POP on an empty stack), #, and the final stack top first.</summary>
    private static class StackProgram
    {
        public static bool Accepts(Alphabet alphabet, int[] y)
        {
            int zero = alphabet.IdOf("0"), one = alphabet.IdOf("1"), push = alphabet.IdOf("PUSH"), pop = alphabet.IdOf("POP"), mark = alphabet.IdOf("#");
            var stack = new List<int>();
            int i = 0;
            for (; i < y.Length && (y[i] == zero || y[i] == one); i++)
                stack.Add(y[i]);
            for (; i < y.Length && (y[i] == push || y[i] == pop); i++)
            {
                if (y[i] == pop)
                {
                    if (stack.Count == 0)
                        return false;
                    stack.RemoveAt(stack.Count - 1);
                }
                else if (i + 1 < y.Length && (y[i + 1] == zero || y[i + 1] == one))
                    stack.Add(y[++i]);
                else
                    return false;
            }
            if (i >= y.Length || y[i] != mark)
                return false;
            stack.Reverse();
            return y.AsSpan(i + 1).SequenceEqual(stack.ToArray());
        }
    }

    /// <summary>A recursive-descent recogniser for "expression = value" with the value checked mod 5.</summary>
    private static class Arithmetic
    {
        public static bool Accepts(Alphabet alphabet, int[] y)
        {
            string[] tokens = y.Select(alphabet.NameOf).ToArray();
            int position = 0;
            int? value = Expression(tokens, ref position);
            return value is { } v && position + 2 == tokens.Length && tokens[position] == "=" && tokens[position + 1] == Invariant($"{v}");
        }

        private static int? Expression(string[] tokens, ref int position)
        {
            if (position >= tokens.Length)
                return null;
            string token = tokens[position++];
            if (token.Length == 1 && token[0] is >= '0' and <= '4')
                return token[0] - '0';
            if (token != "(" || Expression(tokens, ref position) is not { } left || position >= tokens.Length)
                return null;
            string operation = tokens[position++];
            if (operation is not ("+" or "*") || Expression(tokens, ref position) is not { } right || position >= tokens.Length || tokens[position++] != ")")
                return null;
            return operation == "+" ? (left + right) % 5 : left * right % 5;
        }
    }
}
