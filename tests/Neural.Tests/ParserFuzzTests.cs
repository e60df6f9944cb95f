using Workbench.Formal.Errors;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using Workbench.Formal.Testing;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>
/// Fuzzing the neural inputs: architecture specifications (text mutants) and saved model files (byte mutants): each
/// loads or is refused with a library error that names the spec or the file, never another exception or an allocation
/// that exhausts memory.
/// </summary>
public sealed class ParserFuzzTests
{
    [Fact]
    public void Architecture_specifications()
    {
        foreach (var (valid, seed) in new[] { ("transformer:hidden=16,layers=2,heads=4,kv=2,pe=rope,attention=soft,maxlength=64", 31), ("elman:hidden=8,activation=relu", 32), ("lstm:hidden=32", 33) })
        {
            NeuralArchitecture.Parse(valid);
            foreach (var mutant in TextMutations.Of(valid, new Random(seed), 300))
            {
                try
                {
                    NeuralArchitecture.Parse(mutant);
                }
                catch (ParseException error)
                {
                    Assert.Contains($"'{mutant}'", error.Message);
                }
                catch (Exception other)
                {
                    Assert.Fail($"seed {seed}: {other.GetType().Name} escaped for '{mutant}': {other.Message}");
                }
            }
        }
    }

    [Fact]
    public void Saved_model_files()
    {
        var path = Path.Combine(Path.GetTempPath(), $"workbench-fuzz-{Guid.NewGuid():N}.wbm");
        try
        {
            manual_seed(1);
            Storage.ModelFile.Save(NetworkFactory.Create(new Alphabet(["a", "b"]), NeuralArchitecture.Parse("gru:hidden=4")), path);
            var valid = File.ReadAllBytes(path);
            var random = new Random(34);
            for (var trial = 0; trial < 150; trial++)
            {
                var bytes = (byte[])valid.Clone();
                // Flip bytes in the header (where sizes and names live) more often than in the weights.
                for (var edits = random.Next(1, 4); edits > 0; edits--)
                    bytes[random.Next(random.Next(2) == 0 ? Math.Min(64, bytes.Length) : bytes.Length)] = (byte)random.Next(256);
                File.WriteAllBytes(path, random.Next(5) == 0 ? bytes[..random.Next(bytes.Length)] : bytes);
                try
                {
                    Storage.ModelFile.Load(path).Dispose();
                }
                catch (WorkbenchException error)
                {
                    Assert.Contains(path, error.Message);
                }
                catch (Exception other)
                {
                    Assert.Fail($"trial {trial}: {other.GetType().Name} escaped the model reader: {other.Message}");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
