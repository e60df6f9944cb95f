namespace Workbench.Formal.Symbols;

/// <summary>Enumeration of Σ^{≤L}, the brute force that exact algorithms are checked against.</summary>
public static class Strings
{
    /// <summary>All strings over symbols 0..size−1 of length at most <paramref name="maxLength"/>, shortest first, in lexicographic order within a length. O(|Σ|^L) strings.</summary>
    public static IEnumerable<int[]> UpTo(int size, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        IEnumerable<int[]> level = [[]];
        for (var length = 0; length <= maxLength; length++)
        {
            var current = level.ToList();
            foreach (var s in current) yield return s;
            level = current.SelectMany(s => Enumerable.Range(0, size).Select(a => (int[])[.. s, a]));
        }
    }
}
