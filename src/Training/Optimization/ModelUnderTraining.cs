using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;

namespace DarwinGrid.Training.Optimization;

/// <summary>
/// The tensors a trainer holds on the backend and which of them it trains. Full fine-tuning: every
/// base weight. LoRA: the base weights are plain (frozen, no gradients or moments; the backward pass
/// still flows through them) and only the adapter's A and B matrices are trainable.
/// </summary>
public sealed class ModelUnderTraining : IDisposable
{
    private ModelUnderTraining(LlamaModelTensors baseModel, LoraAdapterTensors? adapter, IReadOnlyList<TrainableTensor> trainable)
    {
        Base = baseModel;
        Adapter = adapter;
        Trainable = trainable;
    }

    public LlamaModelTensors Base { get; }

    public LoraAdapterTensors? Adapter { get; }

    /// <summary>What the optimizer updates, in a fixed order (the order of the AdamW moments too).</summary>
    public IReadOnlyList<TrainableTensor> Trainable { get; }

    public LlamaHyperparameters Hyperparameters => Base.Hyperparameters;

    public long TrainableParameterCount => Trainable.Sum(t => t.ElementCount);

    public int LoraProjectionsPerLayer => Adapter?.Options.Targets.Count ?? 0;

    public static ModelUnderTraining FullFineTuning(GgmlBackendHandle backend, LlamaCheckpoint checkpoint)
    {
        var model = LlamaModelTensors.Load(backend, checkpoint, trainable: true);
        return new ModelUnderTraining(model, null, model.Specs.Where(s => !s.IsConstant).Select(s => new TrainableTensor(s.Name, s.Dimensions, s.IsNorm, model[s.Name])).ToList());
    }

    public static ModelUnderTraining Lora(GgmlBackendHandle backend, LlamaCheckpoint checkpoint, LoraAdapter adapter)
    {
        var model = LlamaModelTensors.Load(backend, checkpoint, trainable: false);
        try
        {
            var tensors = LoraAdapterTensors.Load(backend, adapter, checkpoint.Hyperparameters, trainable: true);
            return new ModelUnderTraining(model, tensors, tensors.Tensors().Select(t => new TrainableTensor(t.Name, t.Dimensions, false, t.Tensor)).ToList());
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public LlamaGraph Graph(nint context, LlamaBatchShape shape) => new(context, Base, shape, Adapter);

    /// <summary>The trainable tensors' current values by name.</summary>
    public Dictionary<string, float[]> DownloadTrainable() =>
        Trainable.ToDictionary(t => t.Name, t => GgmlTensorData.Get<float>(t.Tensor), StringComparer.Ordinal);

    public void UploadTrainable(IReadOnlyDictionary<string, float[]> values)
    {
        foreach (var tensor in Trainable)
        {
            if (!values.TryGetValue(tensor.Name, out var data))
                throw new ArgumentException($"No values for trainable tensor '{tensor.Name}'.");
            if (data.LongLength != tensor.ElementCount)
                throw new ArgumentException($"Trainable tensor '{tensor.Name}' needs {tensor.ElementCount} values, got {data.Length}.");
            GgmlTensorData.Set<float>(tensor.Tensor, data);
        }
    }

    public void Dispose()
    {
        Adapter?.Dispose();
        Base.Dispose();
    }
}
