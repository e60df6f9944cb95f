namespace Workbench.Experiments.Runner;

/// <summary>
/// Which worker runs a cell, when several workers share one run folder: a worker claims a cell by creating the cell
/// folder's claim file, which the file system lets exactly one of them create. Claims of a killed run are stale, so the
/// process that starts the workers clears them first.
/// </summary>
public static class CellClaims
{
    /// <summary>The claim file in a cell folder.</summary>
    public const string ClaimFile = "claim";

    /// <summary>Claims the cell of this folder: true for the one caller that created the claim, false when another holds it. O(1) file operations.</summary>
    public static bool TryClaim(string cellFolder)
    {
        Directory.CreateDirectory(cellFolder);
        try
        {
            using var claim = new FileStream(Path.Combine(cellFolder, ClaimFile), FileMode.CreateNew, FileAccess.Write);
            claim.Write(BitConverter.GetBytes(Environment.ProcessId));
            return true;
        }
        catch (IOException) when (File.Exists(Path.Combine(cellFolder, ClaimFile)))
        {
            return false;
        }
    }

    /// <summary>Removes every claim under a run folder (before workers start; a run is resumed, not shared, by a later start).</summary>
    public static void Clear(string output)
    {
        string cells = Path.Combine(output, "cells");
        if (!Directory.Exists(cells))
            return;
        foreach (string claim in Directory.GetFiles(cells, ClaimFile, SearchOption.AllDirectories))
            File.Delete(claim);
    }
}
