using System.CommandLine;
using DarwinGrid.Grains.Loop;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin loop measured --campaign ID --input F.csv</c>: a lab's measured values in, as the next dataset version.</summary>
public static class LoopMeasuredCommand
{
    public static Command Create()
    {
        var campaign = LoopCommand.Campaign();
        var input = new Option<FileInfo>("--input") { Description = "CSV with columns composition,task,value[,conditions,notes].", Required = true };
        var command = new Command("measured", "Upload measured values (every row checked; one bad row refuses the file) as the campaign's next lab dataset version.");
        command.Options.Add(campaign);
        command.Options.Add(input);
        return LoopCommand.WithGrid(command, async (r, grid, ct) =>
        {
            var file = r.GetValue(input)!;
            if (!file.Exists)
                throw new ArgumentException($"The file '{file.FullName}' does not exist.");
            if (file.Length > LoopLimits.MaxUploadBytes)
                throw new ArgumentException($"'{file.Name}' has {file.Length:N0} bytes; at most {LoopLimits.MaxUploadBytes:N0} are accepted per upload.");
            var upload = new MeasuredUpload(await File.ReadAllBytesAsync(file.FullName, ct), LoopCommand.User, file.Name);
            var loop = await LoopCommand.FindAsync(grid, r.GetValue(campaign)!, ct);
            var result = await grid.Retry.RunAsync(() => loop.UploadMeasuredAsync(upload), idempotent: false, ct);
            if (!result.Accepted)
            {
                r.InvocationConfiguration.Error.WriteLine($"darwin loop measured: '{file.Name}' refused, nothing imported:");
                foreach (var problem in result.Problems)
                    r.InvocationConfiguration.Error.WriteLine($"  {problem}");
                return 1;
            }
            var dataset = result.Dataset!;
            r.InvocationConfiguration.Output.WriteLine($"Lab dataset version {dataset.Version}: {dataset.Rows} rows ({dataset.Superseded} re-measured) from {dataset.FileName}, " +
                                                       $"uploaded by {dataset.UploadedBy} at {dataset.UploadedAt:u}, SHA-256 {dataset.Sha256}");
            return 0;
        });
    }
}
