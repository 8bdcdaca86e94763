using Mining.Kernels.Checkpoints;
using Mining.Kernels.Model;
using TorchSharp;

namespace Mining.Kernels.Tests.Engine;

public sealed class BatchBudgetTests
{
    private static readonly TextConfig Text = new() { HiddenSize = 100, IntermediateSize = 200, NumAttentionHeads = 4, NumKeyValueHeads = 2 };

    [Fact]
    public void The_budget_is_a_quarter_of_free_memory_over_the_bytes_one_position_holds()
    {
        // Per position, by hand: 4 bytes · (8·100 + 4·200 + 4·100) + 4 · 50 (a mask row) = 8200 bytes.
        var tokens = BatchBudget.FromMemory(Text, longestSequence: 50, freeBytes: 4L * 8200 * 1000, elementBytes: 4);

        Assert.Equal(1000, tokens);
    }

    [Fact]
    public void The_budget_is_clamped_to_its_minimum_and_maximum()
    {
        Assert.Equal(BatchBudget.Minimum, BatchBudget.FromMemory(Text, 50, freeBytes: 1_000, elementBytes: 4));
        Assert.Equal(BatchBudget.Maximum, BatchBudget.FromMemory(Text, 50, freeBytes: 1L << 50, elementBytes: 4));
    }

    [Fact]
    public void The_cpu_reports_some_free_memory()
    {
        Assert.True(BatchBudget.FreeBytes(torch.CPU) > 0);
    }
}
