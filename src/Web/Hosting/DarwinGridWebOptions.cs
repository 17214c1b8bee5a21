namespace DarwinGrid.Web.Hosting;

/// <summary>The <c>DarwinGrid:Web</c> configuration section.</summary>
public sealed class DarwinGridWebOptions
{
    public const string SectionName = "DarwinGrid:Web";
}
