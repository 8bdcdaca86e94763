using System.Runtime.InteropServices;
using TorchSharp;

namespace Mining.Kernels.Clustering;

/// <summary>
/// The points minus their mean, as float32 tensors made block by block on demand, and their squared norms: the
/// inputs of the GEMM distance estimates.
/// </summary>
/// <remarks>
/// Distances do not change under translation, but the estimate ‖a‖² + ‖b‖² − 2a·b loses accuracy in proportion to
/// the norms, so centring keeps its error bound (<see cref="SquaredDistanceBounds"/>) small for data far from the
/// origin. Blocks are rebuilt from the caller's array each time, so no second copy of the n×d input is kept.
/// </remarks>
internal sealed class CentredRows
{
    private readonly float[] points;
    private readonly double[] mean;

    private CentredRows(float[] points, int count, int dimension, int blockRows, double[] mean, double[] norms)
    {
        this.points = points;
        this.mean = mean;
        Count = count;
        Dimension = dimension;
        BlockRows = blockRows;
        Norms = norms;
    }

    /// <summary>Number of points.</summary>
    public int Count { get; }

    /// <summary>Coordinates per point.</summary>
    public int Dimension { get; }

    /// <summary>Rows per block (the last block may be shorter).</summary>
    public int BlockRows { get; }

    /// <summary>Number of blocks.</summary>
    public int BlockCount => (Count + BlockRows - 1) / BlockRows;

    /// <summary>Squared norm of each centred row as stored (float32), summed in double.</summary>
    public double[] Norms { get; }

    /// <summary>Centres the rows of <paramref name="points"/> (row-major <paramref name="count"/>×<paramref name="dimension"/>).</summary>
    public static CentredRows Create(float[] points, int count, int dimension, int blockRows)
    {
        var mean = new double[dimension];
        var chunk = Math.Max(64, dimension / Environment.ProcessorCount);
        Parallel.For(0, (dimension + chunk - 1) / chunk, part =>
        {
            var start = part * chunk;
            var end = Math.Min(dimension, start + chunk);
            for (var i = 0; i < count; i++)
            {
                var row = points.AsSpan((i * dimension) + start, end - start);
                for (var c = 0; c < row.Length; c++)
                {
                    mean[start + c] += row[c];
                }
            }

            for (var c = start; c < end; c++)
            {
                mean[c] /= count;
            }
        });

        var norms = new double[count];
        var rows = new CentredRows(points, count, dimension, blockRows, mean, norms);
        Parallel.For(0, count, () => new float[dimension], (i, _, row) =>
        {
            rows.CentreInto(i, row);
            norms[i] = RowArithmetic.Dot(row, row);
            return row;
        }, _ => { });
        return rows;
    }

    /// <summary>First row of block <paramref name="block"/>.</summary>
    public int BlockStart(int block) => block * BlockRows;

    /// <summary>Rows in block <paramref name="block"/>.</summary>
    public int BlockLength(int block) => Math.Min(BlockRows, Count - BlockStart(block));

    /// <summary>A new float32 tensor of block <paramref name="block"/>'s centred rows (the caller disposes it).</summary>
    public torch.Tensor Block(int block) => Slice(BlockStart(block), BlockLength(block));

    /// <summary>A new float32 tensor of the <paramref name="count"/> centred rows from <paramref name="start"/> (the caller disposes it).</summary>
    public torch.Tensor Slice(int start, int count) => Gather(count, r => start + r);

    /// <summary>A new float32 tensor of the centred rows <paramref name="rows"/>, in that order (the caller disposes it).</summary>
    public torch.Tensor Rows(IReadOnlyList<int> rows) => Gather(rows.Count, r => rows[r]);

    /// <summary>
    /// The dot products of the rows of <paramref name="left"/> with those of <paramref name="right"/> (both centred,
    /// float32), written row-major into <paramref name="destination"/>.
    /// </summary>
    public static void Products(torch.Tensor left, torch.Tensor right, float[] destination)
    {
        using var scope = torch.NewDisposeScope();
        var product = torch.mm(left, right.t());
        MemoryMarshal.Cast<byte, float>(product.bytes).CopyTo(destination);
    }

    private void CentreInto(int row, Span<float> destination)
    {
        var source = points.AsSpan(row * Dimension, Dimension);
        for (var c = 0; c < source.Length; c++)
        {
            destination[c] = (float)(source[c] - mean[c]);
        }
    }

    private unsafe torch.Tensor Gather(int rowCount, Func<int, int> rowAt)
    {
        var tensor = torch.empty([rowCount, Dimension], dtype: torch.ScalarType.Float32, device: torch.CPU);
        try
        {
            // Written straight into the tensor's native storage (which never moves), rows in parallel.
            fixed (byte* storage = tensor.bytes)
            {
                var address = (nint)storage;
                Parallel.For(0, rowCount, r => CentreInto(rowAt(r), new Span<float>((float*)address + ((long)r * Dimension), Dimension)));
            }

            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }
}
