using DarwinGrid.Silo.Cli;

return await DarwinCommandLine.Build().Parse(args).InvokeAsync();
