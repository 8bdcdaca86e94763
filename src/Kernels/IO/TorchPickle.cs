using System.Buffers.Binary;
using System.Text;

namespace Mining.Kernels.IO;

/// <summary>
/// Interprets the <c>data.pkl</c> record of a file <c>torch.save(tensor)</c> wrote, as data: a stack machine for the
/// pickle opcodes such a record uses (protocols 2 to 4), which calls nothing and knows two callables by name —
/// <c>torch._utils._rebuild_tensor_v2</c> and <c>collections.OrderedDict</c> (the empty backward-hooks argument) —
/// and the storage classes <c>torch.HalfStorage</c>, <c>torch.FloatStorage</c> and <c>torch.DoubleStorage</c>.
/// Everything else is refused by name.
/// </summary>
/// <remarks>Opcodes: CPython's Lib/pickletools.py. The record's shape: PyTorch's torch/_tensor.py (<c>_reduce_ex_internal</c>) and torch/serialization.py (<c>persistent_id</c>).</remarks>
internal static class TorchPickle
{
    /// <summary>A storage a tensor views: its element type, its record key under <c>data/</c> and its element count.</summary>
    internal sealed record StorageRecord(NpyDType DType, string Key, long Elements);

    /// <summary>A tensor: the storage it views, the first element's index and its size and stride in elements.</summary>
    internal sealed record TensorRecord(StorageRecord Storage, long Offset, long[] Size, long[] Stride);

    private sealed record Global(string Module, string Name)
    {
        public override string ToString() => $"{Module}.{Name}";
    }

    private sealed class Mark;

    /// <summary>The one tensor <paramref name="pickle"/> describes; anything else raises <see cref="InvalidDataException"/> naming <paramref name="source"/>.</summary>
    public static TensorRecord ReadTensor(byte[] pickle, string source)
    {
        var result = Run(pickle, source);
        return result as TensorRecord ?? throw new InvalidDataException(
            $"{source}: the file holds {Describe(result)}, not a single tensor; save the codebook with torch.save(tensor, path) or convert it to .npy");
    }

    private static object? Run(byte[] code, string source)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        var at = 0;

        InvalidDataException Bad(string problem) => new($"{source}: data.pkl: {problem}");

        ReadOnlySpan<byte> Take(long count)
        {
            if (count < 0 || count > code.Length - at)
            {
                throw Bad("ends in the middle of an instruction");
            }

            var span = code.AsSpan(at, (int)count);
            at += (int)count;
            return span;
        }

        string Line()
        {
            var end = Array.IndexOf(code, (byte)'\n', at);
            if (end < 0)
            {
                throw Bad("ends in the middle of an instruction");
            }

            var text = Encoding.ASCII.GetString(code, at, end - at);
            at = end + 1;
            return text;
        }

        object? Pop()
        {
            if (stack.Count == 0 || stack[^1] is Mark)
            {
                throw Bad("pops an empty stack");
            }

            var top = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return top;
        }

        object?[] PopToMark()
        {
            var mark = stack.FindLastIndex(o => o is Mark);
            if (mark < 0)
            {
                throw Bad("has no mark to pop to");
            }

            var items = stack.GetRange(mark + 1, stack.Count - mark - 1).ToArray();
            stack.RemoveRange(mark, stack.Count - mark);
            return items;
        }

        object? Get(long key) => memo.TryGetValue(key, out var value) ? value : throw Bad($"reads memo entry {key}, which was never stored");

        while (true)
        {
            var opcode = Take(1)[0];
            switch (opcode)
            {
                case 0x80: // PROTO
                    var protocol = Take(1)[0];
                    if (protocol > 5)
                    {
                        throw Bad($"pickle protocol {protocol} is not one Python writes");
                    }

                    break;
                case 0x95: // FRAME: a length prefix the reader does not need
                    Take(8);
                    break;
                case (byte)'.': // STOP
                    var result = Pop();
                    if (stack.Count != 0)
                    {
                        throw Bad("leaves more than one object on the stack");
                    }

                    return result;
                case (byte)'(': // MARK
                    stack.Add(new Mark());
                    break;
                case (byte)')': // EMPTY_TUPLE
                    stack.Add(Array.Empty<object?>());
                    break;
                case (byte)'t': // TUPLE
                    stack.Add(PopToMark());
                    break;
                case 0x85: // TUPLE1
                    stack.Add(new[] { Pop() });
                    break;
                case 0x86: // TUPLE2
                {
                    var b = Pop();
                    var a = Pop();
                    stack.Add(new[] { a, b });
                    break;
                }

                case 0x87: // TUPLE3
                {
                    var c = Pop();
                    var b = Pop();
                    var a = Pop();
                    stack.Add(new[] { a, b, c });
                    break;
                }

                case (byte)'}': // EMPTY_DICT
                    stack.Add(new Dictionary<object, object?>());
                    break;
                case (byte)'s': // SETITEM
                {
                    var value = Pop();
                    var key = Pop();
                    SetItems(Pop(), [key, value], Bad);
                    break;
                }

                case (byte)'u': // SETITEMS
                {
                    var items = PopToMark();
                    SetItems(Pop(), items, Bad);
                    break;
                }

                case (byte)'N': // NONE
                    stack.Add(null);
                    break;
                case 0x88: // NEWTRUE
                    stack.Add(true);
                    break;
                case 0x89: // NEWFALSE
                    stack.Add(false);
                    break;
                case (byte)'K': // BININT1
                    stack.Add((long)Take(1)[0]);
                    break;
                case (byte)'M': // BININT2
                    stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                    break;
                case (byte)'J': // BININT
                    stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                    break;
                case 0x8a: // LONG1: little-endian two's complement of n bytes
                {
                    var bytes = Take(Take(1)[0]);
                    if (bytes.Length > 8)
                    {
                        throw Bad($"holds a {bytes.Length}-byte integer; sizes beyond 64 bits are not read");
                    }

                    var value = 0L;
                    for (var i = bytes.Length - 1; i >= 0; i--)
                    {
                        value = (value << 8) | bytes[i];
                    }

                    if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0)
                    {
                        value -= 1L << (8 * bytes.Length);
                    }

                    stack.Add(value);
                    break;
                }

                case (byte)'X': // BINUNICODE
                    stack.Add(Encoding.UTF8.GetString(Take(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    stack.Add(Encoding.UTF8.GetString(Take(Take(1)[0])));
                    break;
                case (byte)'c': // GLOBAL
                {
                    var module = Line();
                    stack.Add(new Global(module, Line()));
                    break;
                }

                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop() as string;
                    var module = Pop() as string;
                    stack.Add(module is null || name is null ? throw Bad("STACK_GLOBAL without a module and a name") : new Global(module, name));
                    break;
                }

                case (byte)'q': // BINPUT
                    memo[Take(1)[0]] = stack.Count > 0 ? stack[^1] : throw Bad("memoizes an empty stack");
                    break;
                case (byte)'r': // LONG_BINPUT
                    memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = stack.Count > 0 ? stack[^1] : throw Bad("memoizes an empty stack");
                    break;
                case 0x94: // MEMOIZE
                    memo[memo.Count] = stack.Count > 0 ? stack[^1] : throw Bad("memoizes an empty stack");
                    break;
                case (byte)'h': // BINGET
                    stack.Add(Get(Take(1)[0]));
                    break;
                case (byte)'j': // LONG_BINGET
                    stack.Add(Get(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))));
                    break;
                case (byte)'Q': // BINPERSID
                    stack.Add(Storage(Pop(), Bad));
                    break;
                case (byte)'R': // REDUCE
                {
                    var args = Pop() as object?[] ?? throw Bad("REDUCE without an argument tuple");
                    var callable = Pop() as Global ?? throw Bad("REDUCE of something that is not a named callable");
                    stack.Add(Reduce(callable, args, Bad));
                    break;
                }

                default:
                    throw Bad($"opcode 0x{opcode:x2} at byte {at - 1} is not one torch.save writes for a tensor");
            }
        }
    }

    private static void SetItems(object? target, object?[] items, Func<string, InvalidDataException> bad)
    {
        if (target is not Dictionary<object, object?> dictionary || items.Length % 2 != 0)
        {
            throw bad("sets items on something that is not a dict");
        }

        for (var i = 0; i < items.Length; i += 2)
        {
            dictionary[items[i] ?? "None"] = items[i + 1];
        }
    }

    private static StorageRecord Storage(object? id, Func<string, InvalidDataException> bad)
    {
        // ('storage', torch.HalfStorage, key, location, numel): torch/serialization.py, persistent_id.
        if (id is not object?[] { Length: 5 } fields || fields[0] is not "storage" || fields[1] is not Global type
            || fields[2] is not string key || fields[4] is not long elements || elements < 0)
        {
            throw bad($"a persistent id {Describe(id)} is not a PyTorch storage reference");
        }

        var dtype = type switch
        {
            { Module: "torch", Name: "HalfStorage" } => NpyDType.Float16,
            { Module: "torch", Name: "FloatStorage" } => NpyDType.Float32,
            { Module: "torch", Name: "DoubleStorage" } => NpyDType.Float64,
            _ => throw bad($"storage type {type} is not read (float16, float32 and float64 are); convert the tensor with .half() or .float()"),
        };
        if (key.Length == 0 || key.Contains('/', StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal) || key.Contains("..", StringComparison.Ordinal))
        {
            throw bad($"storage key '{key}' is not a record name");
        }

        return new StorageRecord(dtype, key, elements);
    }

    private static object Reduce(Global callable, object?[] args, Func<string, InvalidDataException> bad)
    {
        switch (callable)
        {
            case { Module: "collections", Name: "OrderedDict" } when args.Length == 0:
                return new Dictionary<object, object?>();
            case { Module: "torch._utils", Name: "_rebuild_tensor_v2" }:
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args.Length is not (6 or 7) || args[0] is not StorageRecord storage || args[1] is not long offset
                    || Longs(args[2]) is not { } size || Longs(args[3]) is not { } stride || size.Length != stride.Length
                    || offset < 0 || size.Any(n => n < 0) || stride.Any(s => s < 0))
                {
                    throw bad($"_rebuild_tensor_v2 with arguments {Describe(args)} does not describe a dense tensor");
                }

                if (args[5] is not Dictionary<object, object?> { Count: 0 })
                {
                    throw bad("the tensor has backward hooks; save a detached tensor");
                }

                return new TensorRecord(storage, offset, size, stride);
            default:
                throw bad($"refers to {callable}; only a single tensor saved with torch.save is read");
        }
    }

    private static long[]? Longs(object? value) =>
        value is object?[] items && items.All(i => i is long) ? items.Select(i => (long)i!).ToArray() : null;

    private static string Describe(object? value) => value switch
    {
        null => "None",
        TensorRecord => "a tensor",
        StorageRecord => "a bare storage",
        Dictionary<object, object?> d => $"a dict of {d.Count} entries",
        object?[] t => $"a tuple of {t.Length}",
        string s => $"the string '{s}'",
        Global g => $"the name {g}",
        _ => $"the value {value}",
    };
}
