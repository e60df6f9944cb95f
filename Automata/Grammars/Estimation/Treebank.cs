using Workbench.Formal.IO;
using Workbench.Formal.Errors;

namespace Workbench.Automata.Grammars.Estimation;

/// <summary>A parse tree: a nonterminal with children, or (no children) a terminal leaf.</summary>
public sealed record ParseTree(string Label, IReadOnlyList<ParseTree> Children)
{
    /// <summary>Whether this is a terminal leaf.</summary>
    public bool IsLeaf => Children.Count == 0;

    /// <summary>The terminals at the leaves, left to right.</summary>
    public IEnumerable<string> Yield() => IsLeaf ? [Label] : Children.SelectMany(c => c.Yield());
}

/// <summary>
/// Treebanks in Penn-style bracketed notation, one or more trees per file: <c>(S (NP (D the) (N dog)) (VP barks))</c>.
/// A bracket opens a nonterminal with its label; a bare token is a terminal leaf; <c>(X)</c> is an ε-rule of
/// X. An outer unlabelled bracket, as in the Penn Treebank's <c>( (S …) )</c>, is dropped. Errors give source,
/// line and column. O(text size).
/// </summary>
public static class Treebank
{
    /// <summary>Reads the treebank in <paramref name="path"/>.</summary>
    /// <exception cref="ParseException">The message names the file, line and column.</exception>
    public static IReadOnlyList<ParseTree> ReadFile(string path) => Read(TextFile.ReadAll(path), path);

    /// <summary>Parses bracketed trees; <paramref name="source"/> names the text in errors.</summary>
    /// <exception cref="ParseException">The message names the source, line and column.</exception>
    public static IReadOnlyList<ParseTree> Read(string text, string source)
    {
        var tokens = Tokenise(text).ToList();
        var position = 0;
        var trees = new List<ParseTree>();
        while (position < tokens.Count)
        {
            var token = tokens[position];
            if (token.Text != "(") throw Error(source, token, $"expected '(' to open a tree, found '{token.Text}'");
            var tree = Node(tokens, ref position, source);
            if (tree.IsLeaf) throw Error(source, token, "a tree needs a labelled root with children");
            trees.Add(tree);
        }
        if (trees.Count == 0) throw new ParseException($"{source}: the treebank has no trees.");
        return trees;
    }

    // ( LABEL child* ) or ( (tree) ) for the unlabelled Penn wrapper.
    private static ParseTree Node(List<Token> tokens, ref int position, string source)
    {
        var open = tokens[position++];
        if (position >= tokens.Count) throw Error(source, open, "unclosed '('");
        if (tokens[position].Text == "(")
        {
            var inner = Node(tokens, ref position, source);
            if (position >= tokens.Count || tokens[position].Text != ")") throw Error(source, open, "an unlabelled bracket must hold exactly one tree");
            position++;
            return inner;
        }
        var label = tokens[position++];
        if (label.Text == ")") throw Error(source, label, "a bracket needs a label");
        var children = new List<ParseTree>();
        while (true)
        {
            if (position >= tokens.Count) throw Error(source, open, $"unclosed '(' of {label.Text}");
            var token = tokens[position];
            if (token.Text == ")")
            {
                position++;
                return new ParseTree(label.Text, children);
            }
            if (token.Text == "(") children.Add(Node(tokens, ref position, source));
            else
            {
                children.Add(new ParseTree(token.Text, []));
                position++;
            }
        }
    }

    private sealed record Token(string Text, int Line, int Column);

    private static IEnumerable<Token> Tokenise(string text)
    {
        int line = 1, column = 1;
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c == '\n') { line++; column = 1; i++; continue; }
            if (char.IsWhiteSpace(c)) { column++; i++; continue; }
            if (c is '(' or ')')
            {
                yield return new Token(c.ToString(), line, column);
                column++;
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')')) i++;
            yield return new Token(text[start..i], line, column);
            column += i - start;
        }
    }

    private static ParseException Error(string source, Token token, string problem) => new(source, token.Line, token.Column, $"{problem}.");
}
