namespace DarwinGrid.TestSupport;

/// <summary>
/// Trait values for <c>[Trait("Category", ...)]</c>. The default test command excludes
/// <see cref="Slow"/>; benchmarks and convergence runs carry it.
/// </summary>
public static class TestCategories
{
    public const string Slow = "Slow";
    public const string Integration = "Integration";
}
