using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Calibration;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prediction;
using DarwinGrid.Inference.Tests.Support;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Inference.Tests.Calibration;

/// <summary>A calibration records how many views its answers pooled, so predictions with another number can be warned about.</summary>
public sealed class CalibrationViewsTests(BuiltInModelFile model) : IClassFixture<BuiltInModelFile>
{
    [Fact]
    public async Task TheFitterRecordsTheViewsItsPredictorPooled()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions().WithPrefixesForViews(2));
        var predictor = new PropertyPredictor(engine, new PredictionOptions { Views = 2, ApplyCalibration = false });
        var tasks = new[] { "matbench_expt_gap", "matbench_is_metal" }.Select(TaskCatalog.Get)
            .Select(t => (t, (IReadOnlyList<TaskRecord>)[.. TaskDatasetLoader.Load(t, SharedData.Root).Records.Take(3)])).ToArray();

        var calibration = await CalibrationFitter.FitAsync(predictor, tasks, 0.9, "three records per task");

        Assert.Equal(2, calibration.Views);
        Assert.Equal(2, ModelCalibration.FromJson(calibration.ToJson()).Views);
        Assert.Contains("matbench_is_metal", calibration.Temperatures.Keys);
    }

    [Fact]
    public void ACalibrationFromBeforeViewsReadsAsOneViewAndAMismatchIsOneLine()
    {
        var earlier = ModelCalibration.FromJson("""{"schema_version":1,"fitted_on":"validation records","intervals":{},"temperatures":{}}""");

        Assert.Equal(1, earlier.Views);
        Assert.Null(earlier.ViewsMismatch(1));
        var warning = earlier.ViewsMismatch(4);
        Assert.Equal("Warning: the model's calibration was fitted with 1 view per candidate, these predictions pool 4: its intervals and probabilities " +
                     "may not hold their level (calibrate again with 'darwin model calibrate --views 4').", warning);
        Assert.StartsWith("Warning: the model's calibration was fitted with 4 views per candidate, these predictions pool 1:", (earlier with { Views = 4 }).ViewsMismatch(1));
    }
}
