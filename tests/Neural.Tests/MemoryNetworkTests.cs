using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>The memory updates of the stack and tape RNNs, action by action, against hand-written results.</summary>
public sealed class MemoryNetworkTests
{
    // One batch row, 4 cells of one value each: [1, 2, 3, 4] (cell 0 first), the written value 9.
    private static Tensor Memory() => tensor(new float[] { 1, 2, 3, 4 }).view(1, 4, 1);

    private static Tensor Value() => tensor(new float[] { 9 }).view(1, 1, 1);

    private static Tensor OneHot(int actions, int chosen) => TorchSharp.torch.nn.functional.one_hot(tensor(new long[] { chosen }), actions).to(ScalarType.Float32).view(1, actions, 1);

    private static float[] Cells(Tensor memory) => memory.view(-1).data<float>().ToArray();

    [Theory]
    [InlineData(0, new float[] { 9, 1, 2, 3 })]   // push: the value on top, the bottom cell falls off
    [InlineData(1, new float[] { 2, 3, 4, 0 })]   // pop: everything moves up, an empty cell enters at the bottom
    [InlineData(2, new float[] { 1, 2, 3, 4 })]   // no-op
    public void The_stack_pushes_pops_and_keeps(int action, float[] expected) =>
        Assert.Equal(expected, Cells(StackRnnNetwork.Updated(Memory(), OneHot(3, action), Value())));

    [Theory]
    [InlineData(0, new float[] { 9, 2, 3, 4 })]   // write at the head, stay
    [InlineData(1, new float[] { 4, 9, 2, 3 })]   // write, move left: the circular tape's last cell comes under the head
    [InlineData(2, new float[] { 2, 3, 4, 9 })]   // write, move right: the written cell goes round to the end
    [InlineData(3, new float[] { 1, 2, 3, 4 })]   // no-op: nothing written
    public void The_tape_writes_and_moves_its_head(int action, float[] expected) =>
        Assert.Equal(expected, Cells(TapeRnnNetwork.Updated(Memory(), OneHot(4, action), Value())));

    [Fact]
    public void Soft_actions_mix_the_hard_ones_linearly()
    {
        var weights = tensor(new float[] { 0.1f, 0.2f, 0.3f, 0.4f }).view(1, 4, 1);
        float[] mixed = Cells(TapeRnnNetwork.Updated(Memory(), weights, Value()));
        var hard = Enumerable.Range(0, 4).Select(a => Cells(TapeRnnNetwork.Updated(Memory(), OneHot(4, a), Value()))).ToArray();
        for (int cell = 0; cell < 4; cell++)
            Assert.Equal(0.1f * hard[0][cell] + 0.2f * hard[1][cell] + 0.3f * hard[2][cell] + 0.4f * hard[3][cell], mixed[cell], 5);
    }
}
