using DarwinGrid.Domain.Data;

namespace DarwinGrid.TestSupport;

/// <summary>The shared data folder the tests read in place (never copied into the repository).</summary>
public static class SharedData
{
    public static string Root => SharedDataLocator.Locate();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
