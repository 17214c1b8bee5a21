using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tests.Tokenization;

namespace DarwinGrid.Training.Tests.Gguf;

[Collection(BuiltInVocabularyCollection.Name)]
public sealed class GgufRoundTripTests(BuiltInVocabularyFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gguf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void MetadataOfEveryTypeAndTensorsRoundTrip()
    {
        var path = Path.Combine(_dir, "all.gguf");
        var writer = new GgufWriter(alignment: 64);
        writer.Set("u8", GgufValue.Of((byte)7)).Set("i8", GgufValue.Of((sbyte)-7))
            .Set("u16", GgufValue.Of((ushort)65000)).Set("i16", GgufValue.Of((short)-300))
            .Set("u32", GgufValue.Of(4_000_000_000u)).Set("i32", GgufValue.Of(-5))
            .Set("f32", GgufValue.Of(1.5f)).Set("bool", GgufValue.Of(true)).Set("str", GgufValue.Of("héllo ₂"))
            .Set("u64", GgufValue.Of(ulong.MaxValue)).Set("i64", GgufValue.Of(long.MinValue)).Set("f64", GgufValue.Of(Math.PI))
            .Set("arr.str", GgufValue.Array(["a", "", "Fe2O3"])).Set("arr.f32", GgufValue.Array([1f, -2f]))
            .Set("arr.i32", GgufValue.Array([3, -4, 5]));
        float[] matrix = [1, 2, 3, 4, 5, 6];
        writer.AddTensor("m32", [3, 2], matrix);
        writer.AddTensor("m16", [3, 2], matrix, GgmlType.F16);
        writer.AddTensor("v", [5], [0.5f, -0.25f, 8, 9, 10]);
        writer.WriteTo(path);

        using var file = GgufFile.Open(path);
        Assert.Equal(3u, file.Version);
        Assert.Equal(64u, file.Alignment);
        Assert.Equal((byte)7, file.Get("u8").Value);
        Assert.Equal((sbyte)-7, file.Get("i8").Value);
        Assert.Equal((ushort)65000, file.Get("u16").Value);
        Assert.Equal((short)-300, file.Get("i16").Value);
        Assert.Equal(4_000_000_000L, file.Get("u32").AsInt64());
        Assert.Equal(-5L, file.Get("i32").AsInt64());
        Assert.Equal(1.5, file.Get("f32").AsDouble());
        Assert.True(file.Get("bool").AsBool());
        Assert.Equal("héllo ₂", file.Get("str").AsString());
        Assert.Equal(ulong.MaxValue, file.Get("u64").Value);
        Assert.Equal(long.MinValue, file.Get("i64").AsInt64());
        Assert.Equal(Math.PI, file.Get("f64").AsDouble());
        Assert.Equal(["a", "", "Fe2O3"], file.Get("arr.str").AsArray<string>());
        Assert.Equal([1f, -2f], file.Get("arr.f32").AsArray<float>());
        Assert.Equal([3, -4, 5], file.Get("arr.i32").AsArray<int>());
        Assert.Equal(matrix, file.ReadTensorAsFloats("m32"));
        Assert.Equal(matrix, file.ReadTensorAsFloats("m16"));
        Assert.Equal([0.5f, -0.25f, 8, 9, 10], file.ReadTensorAsFloats("v"));
        Assert.Equal([3L, 2L], file.Tensor("m16").Dimensions);
        Assert.All(file.Tensors, t => Assert.Equal(0ul, ((ulong)file.DataStart + t.Offset) % 64));
    }

    [Fact]
    public void RandomModelIsDeterministicForASeed()
    {
        var shape = new LlamaHyperparameters(fixture.Vocabulary.Count, 32, 2, 4, 2, 64);
        string a = Path.Combine(_dir, "a.gguf"), b = Path.Combine(_dir, "b.gguf"), c = Path.Combine(_dir, "c.gguf");
        RandomLlamaModel.Write(a, shape, fixture.Vocabulary, seed: 1);
        RandomLlamaModel.Write(b, shape, fixture.Vocabulary, seed: 1);
        RandomLlamaModel.Write(c, shape, fixture.Vocabulary, seed: 2);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));

        using var file = GgufFile.Open(a);
        Assert.Equal(shape, LlamaGguf.ReadHyperparameters(file));
        Assert.Equal(fixture.Vocabulary.Pieces, LlamaGguf.ReadVocabulary(file).Pieces);
    }

    [Fact]
    public void NonGgufFilesAreRejectedWithTheReason()
    {
        var text = Path.Combine(_dir, "model.gguf");
        File.WriteAllText(text, "this is not a model");
        var error = Assert.Throws<GgufFormatException>(() => GgufFile.Open(text));
        Assert.Contains("not a GGUF model", error.Message);
        Assert.Contains(text, error.Message);

        var empty = Path.Combine(_dir, "empty.gguf");
        File.WriteAllBytes(empty, []);
        Assert.Contains("0 bytes", Assert.Throws<GgufFormatException>(() => GgufFile.Open(empty)).Message);

        var good = Path.Combine(_dir, "good.gguf");
        RandomLlamaModel.Write(good, new LlamaHyperparameters(fixture.Vocabulary.Count, 32, 1, 4, 4, 64), fixture.Vocabulary, 3);
        var truncated = Path.Combine(_dir, "truncated.gguf");
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated", Assert.Throws<GgufFormatException>(() => GgufFile.Open(truncated)).Message);
    }
}
