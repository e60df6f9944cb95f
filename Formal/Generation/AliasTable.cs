namespace Workbench.Formal.Generation;

/// <summary>
/// Walker's alias method (Vose's construction): O(n) to build, O(1) per exact draw from a finite
/// distribution — one uniform index and one biased coin.
/// </summary>
public sealed class AliasTable
{
    private readonly double[] _threshold;
    private readonly int[] _alias;

    /// <summary>Builds the table for the (unnormalised, non-negative) weights.</summary>
    /// <exception cref="ArgumentException">No weight is positive.</exception>
    public AliasTable(ReadOnlySpan<double> weights)
    {
        var n = weights.Length;
        var total = 0.0;
        foreach (var w in weights) total += w;
        if (!(total > 0)) throw new ArgumentException("An alias table needs a positive weight.", nameof(weights));
        _threshold = new double[n];
        _alias = new int[n];
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var i = 0; i < n; i++)
        {
            scaled[i] = weights[i] * n / total;
            // Stryker disable once Equality : a column of exactly 1 needs no alias on either stack
            (scaled[i] < 1 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            var lower = small.Pop();
            var upper = large.Pop();
            _threshold[lower] = scaled[lower];
            _alias[lower] = upper;
            scaled[upper] -= 1 - scaled[lower];
            // Stryker disable once Equality : a column of exactly 1 needs no alias on either stack
            (scaled[upper] < 1 ? small : large).Push(upper);
        }
        // What is left has probability 1 up to rounding.
        foreach (var i in large) (_threshold[i], _alias[i]) = (1, i);
        foreach (var i in small) (_threshold[i], _alias[i]) = (1, i);
    }

    /// <summary>Draws index i with probability weightᵢ/Σweight. O(1).</summary>
    public int Sample(Random random)
    {
        var u = random.NextDouble() * _threshold.Length;
        var i = (int)u;
        if (i == _threshold.Length) i--;
        return u - i < _threshold[i] ? i : _alias[i];
    }
}
