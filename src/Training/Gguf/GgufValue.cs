using System.Collections;

namespace DarwinGrid.Training.Gguf;

/// <summary>
/// One metadata value. Scalars hold their CLR value (byte, sbyte, ushort, short, uint, int, float,
/// bool, string, ulong, long, double); arrays hold a typed CLR array (<c>string[]</c>,
/// <c>float[]</c>, <c>int[]</c>, ...) and their element type.
/// </summary>
public sealed record GgufValue(GgufValueType Type, object Value, GgufValueType? ElementType = null)
{
    public static GgufValue Of(string value) => new(GgufValueType.String, value);
    public static GgufValue Of(uint value) => new(GgufValueType.UInt32, value);
    public static GgufValue Of(int value) => new(GgufValueType.Int32, value);
    public static GgufValue Of(ulong value) => new(GgufValueType.UInt64, value);
    public static GgufValue Of(long value) => new(GgufValueType.Int64, value);
    public static GgufValue Of(float value) => new(GgufValueType.Float32, value);
    public static GgufValue Of(double value) => new(GgufValueType.Float64, value);
    public static GgufValue Of(bool value) => new(GgufValueType.Bool, value);
    public static GgufValue Of(byte value) => new(GgufValueType.UInt8, value);
    public static GgufValue Of(sbyte value) => new(GgufValueType.Int8, value);
    public static GgufValue Of(ushort value) => new(GgufValueType.UInt16, value);
    public static GgufValue Of(short value) => new(GgufValueType.Int16, value);

    public static GgufValue Array(string[] values) => new(GgufValueType.Array, values, GgufValueType.String);
    public static GgufValue Array(float[] values) => new(GgufValueType.Array, values, GgufValueType.Float32);
    public static GgufValue Array(int[] values) => new(GgufValueType.Array, values, GgufValueType.Int32);
    public static GgufValue Array(uint[] values) => new(GgufValueType.Array, values, GgufValueType.UInt32);
    public static GgufValue Array(long[] values) => new(GgufValueType.Array, values, GgufValueType.Int64);
    public static GgufValue Array(ulong[] values) => new(GgufValueType.Array, values, GgufValueType.UInt64);
    public static GgufValue Array(double[] values) => new(GgufValueType.Array, values, GgufValueType.Float64);
    public static GgufValue Array(bool[] values) => new(GgufValueType.Array, values, GgufValueType.Bool);
    public static GgufValue Array(byte[] values) => new(GgufValueType.Array, values, GgufValueType.UInt8);

    public string AsString() => Value as string ?? throw Mismatch("string");

    /// <summary>Any integer type widened to long (GGUF writers disagree on u32 vs i32 for counts).</summary>
    public long AsInt64() => Value switch
    {
        byte v => v, sbyte v => v, ushort v => v, short v => v, uint v => v, int v => v,
        ulong v => checked((long)v), long v => v,
        _ => throw Mismatch("integer"),
    };

    public double AsDouble() => Value switch
    {
        float v => v, double v => v,
        _ when Type != GgufValueType.Array && Type != GgufValueType.String && Type != GgufValueType.Bool => AsInt64(),
        _ => throw Mismatch("number"),
    };

    public bool AsBool() => Value is bool b ? b : throw Mismatch("bool");

    public T[] AsArray<T>() => Value as T[] ?? throw Mismatch($"{typeof(T).Name}[]");

    public int ArrayLength => Value is ICollection c ? c.Count : throw Mismatch("array");

    private InvalidDataException Mismatch(string wanted) =>
        new($"GGUF metadata value is {Describe()}, not {wanted}.");

    private string Describe() => Type == GgufValueType.Array ? $"an array of {ElementType}" : Type.ToString();
}
