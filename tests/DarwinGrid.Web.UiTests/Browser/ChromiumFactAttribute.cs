namespace DarwinGrid.Web.UiTests.Browser;

/// <summary>A fact that needs Debian's chromium; skipped, saying so, where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
            Skip = $"Browser test: {ChromiumPath} is not installed (apt-get install -y chromium; .ci/run installs it).";
    }
}
