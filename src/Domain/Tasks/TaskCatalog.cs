namespace DarwinGrid.Domain.Tasks;

/// <summary>All property tasks the shared data supports, in a fixed order.</summary>
public static class TaskCatalog
{
    public static IReadOnlyList<PropertyTask> All { get; } =
        MatbenchTasks.All()
            .Concat(ChemistryTasks.All())
            .Concat(MaterialsDatabaseTasks.All())
            .Concat(PhotovoltaicTasks.All())
            .ToList()
            .AsReadOnly();

    public static PropertyTask? TryGet(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    public static PropertyTask Get(string name) =>
        TryGet(name) ?? throw new KeyNotFoundException(
            $"Unknown task '{name}'. Known tasks: {string.Join(", ", All.Select(t => t.Name))}.");
}
