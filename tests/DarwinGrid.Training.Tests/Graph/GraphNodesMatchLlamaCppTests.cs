using DarwinGrid.TestSupport;
using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tests.Lora;
using DarwinGrid.Training.Tokenization;
using LLama.Native;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Graph;

/// <summary>
/// Our graph names its nodes as llama.cpp's <c>cb()</c> names them, so the two can be compared op by
/// op: every named node of every layer equals llama.cpp's activation of the same name, and a
/// difference reports the first node (layer and op) where it appears.
/// </summary>
public sealed class GraphNodesMatchLlamaCppTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] BlockNodes =
        ["attn_norm", "Qcur", "Kcur", "Vcur", "kqv_out", "attn_out", "ffn_inp", "ffn_norm", "ffn_gate", "ffn_up", "ffn_swiglu", "ffn_out", "l_out"];

    private readonly string _dir = Directory.CreateTempSubdirectory("graph-nodes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void EveryNamedNodeEqualsLlamaCppsActivationOfTheSameName()
    {
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        var path = QuantizedBase.Write(_dir, QuantizedBase.Shape(vocabulary.Count), vocabulary, LLamaFtype.ALL_F32);
        var tokens = LlamaCppOracle.Tokenize(path, "What is band gap of Ag0.5Ge1Pb1.75S4? -> 1.83");

        using var forward = new LlamaForward(LlamaCheckpoint.Open(path), threads: 2);
        var ours = forward.Activations(tokens);
        var theirs = LlamaCppActivations.Capture(path, tokens, repackWeights: true);
        var names = Enumerable.Range(0, forward.Hyperparameters.BlockCount).SelectMany(layer => BlockNodes.Select(n => $"{n}-{layer}"))
            .Append("result_norm").Append("result_output").ToList();

        foreach (var name in names)
        {
            Assert.True(ours.ContainsKey(name), $"our graph has no node '{name}'");
            Assert.True(theirs.ContainsKey(name), $"llama.cpp's graph has no activation '{name}'");
            Assert.Equal(theirs[name].Length, ours[name].Length);
            var difference = ours[name].Zip(theirs[name]).Max(p => Math.Abs(p.First - p.Second));
            output.WriteLine($"{name}: max |Δ| {difference:E2}");
            Assert.True(difference <= 1e-4, $"first node that differs from llama.cpp: '{name}', max |Δ| {difference:E3}");
        }
    }
}
