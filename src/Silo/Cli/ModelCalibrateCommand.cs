using System.CommandLine;
using DarwinGrid.Domain.Data;
using DarwinGrid.Grains.Calibration;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin model calibrate --model F.gguf [--tasks ...] [--level 0.9] [--views N]</c>: fit and store a model's calibration.</summary>
public static class ModelCalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "The model GGUF (its training manifest NAME.manifest.json must be beside it).", Required = true };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated tasks to calibrate (default: every task the model was trained on)." };
        var level = new Option<double>("--level") { Description = "Level of the regression intervals.", DefaultValueFactory = _ => 0.9 };
        var dataDir = CommonOptions.DataDir();
        var views = ViewsOption.Create();
        var recordsOut = new Option<string?>("--records-out") { Description = "Also write the validation records used, one TASK.validation.csv (composition,actual) per task, into this folder." };
        var command = new Command("calibrate",
            "Fit the model's calibration on its validation records (the run's held-out validation slice, rebuilt from its manifest; never a test fold): " +
            "split-conformal central intervals for regression tasks, temperature scaling for classification tasks. Writes it into the model file's " +
            "GGUF metadata (darwingrid.calibration), replacing the file atomically; predictions then carry calibrated intervals and probabilities.");
        foreach (var option in new Option[] { model, tasks, level, dataDir, recordsOut, views }) command.Options.Add(option);
        command.SetReportedAction(async (r, ct) =>
        {
            var path = r.GetValue(model)!.FullName;
            var chosen = r.GetValue(tasks)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (!File.Exists(path)) throw new ArgumentException($"Model file '{path}' does not exist.");
            if (!(r.GetValue(level) is > 0 and < 1)) throw new ArgumentException($"--level must be in (0, 1) (got {r.GetValue(level)}).");
            ViewsOption.Check(r.GetValue(views));
            Hosting.NativeLog.ErrorsOnly();
            await ModelCalibrationStep.CalibrateAsync(path, SharedDataLocator.Locate(r.GetValue(dataDir)), chosen, r.GetValue(level), r.InvocationConfiguration.Output, ct, r.GetValue(recordsOut), r.GetValue(views));
            r.InvocationConfiguration.Output.WriteLine($"Wrote the calibration into {path}");
            return 0;
        }, VerbFailures.InputErrorsExitWith(VerbFailures.ExitBadInput));
        return command;
    }
}
