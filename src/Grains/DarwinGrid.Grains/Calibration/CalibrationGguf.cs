using DarwinGrid.Inference.Calibration;
using DarwinGrid.Training.Checkpoints;
using DarwinGrid.Training.Gguf;

namespace DarwinGrid.Grains.Calibration;

/// <summary>
/// Stores a <see cref="ModelCalibration"/> in a model file's GGUF metadata: the file is rewritten
/// with every key and tensor as it was plus the calibration key, to a partial file that replaces the
/// original only once complete (a crash leaves the old model, never half a file).
/// </summary>
public static class CalibrationGguf
{
    public static void Write(string modelPath, ModelCalibration calibration)
    {
        GgufWriter writer;
        using (var file = GgufFile.Open(modelPath))
        {
            writer = new GgufWriter(file.Alignment);
            foreach (var (key, value) in file.Metadata)
                if (key != ModelCalibration.MetadataKey && key != GgufFormat.AlignmentKey) writer.Set(key, value);
            writer.Set(ModelCalibration.MetadataKey, GgufValue.Of(calibration.ToJson()));
            foreach (var tensor in file.Tensors)
                writer.AddTensor(new GgufTensorToWrite(tensor.Name, tensor.Dimensions, tensor.Type, file.ReadTensorBytes(tensor.Name)));
        }
        AtomicFile.WriteVia(modelPath, writer.WriteTo);
    }

    public static ModelCalibration? Read(string modelPath)
    {
        using var file = GgufFile.Open(modelPath);
        return file.Find(ModelCalibration.MetadataKey) is { } value ? ModelCalibration.FromJson((string)value.Value) : null;
    }
}
