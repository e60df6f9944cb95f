namespace Workbench.Formal.Testing;

/// <summary>
/// A parser run on mutants of a valid input: each mutant must parse or be refused with a library error
/// (<see cref="Errors.WorkbenchException"/>) whose message says where (a predicate the caller gives); any other exception
/// is a failure. Returns the first failure (with the mutant) or null, and how many mutants were refused.
/// </summary>
public static class ParserFuzzing
{
    /// <summary>Fuzzes <paramref name="parse"/> with <paramref name="count"/> mutants of <paramref name="valid"/> drawn with <paramref name="seed"/>.</summary>
    public static (string? Failure, int Refused) Run(string valid, int seed, int count, Action<string> parse, Func<string, bool> says)
    {
        parse(valid);
        var refused = 0;
        foreach (var mutant in TextMutations.Of(valid, new Random(seed), count))
        {
            try
            {
                parse(mutant);
            }
            catch (Errors.WorkbenchException error)
            {
                refused++;
                if (!says(error.Message)) return ($"seed {seed}: the error does not say where: {error.Message}\n--- mutant ---\n{mutant}", refused);
            }
            catch (Exception other)
            {
                return ($"seed {seed}: {other.GetType().Name} escaped: {other.Message}\n--- mutant ---\n{mutant}", refused);
            }
        }
        return (refused == 0 ? "no mutant was refused: the mutations are too mild to test anything" : null, refused);
    }
}
