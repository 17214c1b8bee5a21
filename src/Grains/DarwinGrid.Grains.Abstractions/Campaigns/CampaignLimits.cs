using System.Globalization;
using System.Text.RegularExpressions;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// The bounds every path into a campaign enforces (the grain, the REST API, the dashboard, the CLI):
/// work and query cost must not grow with what a caller asks for. Kept here, next to the grain
/// interface, so the web layer checks the same numbers without referencing the grains.
/// </summary>
public static partial class CampaignLimits
{
    /// <summary>
    /// Candidates per campaign unless the silo configures another cap
    /// (<c>DarwinGrid:Screening:MaxCandidatesPerCampaign</c>). 2M candidates take the database
    /// ~70 MB per task and a few hours on a CPU silo; larger screens are split into campaigns.
    /// </summary>
    public const long DefaultMaxCandidates = 2_000_000;

    /// <summary>Filters per campaign: every filter is a term of the result query (SQLite refuses ~1,000).</summary>
    public const int MaxFilters = 64;

    /// <summary>Ranking objectives per campaign.</summary>
    public const int MaxObjectives = 64;

    /// <summary>Longest campaign id.</summary>
    public const int MaxIdLength = 80;

    /// <summary>1-80 letters, digits, '-', '_' or '.', starting with a letter or digit.</summary>
    public const string IdRule = "1-80 letters, digits, '-', '_' or '.', starting with a letter or digit";

    /// <summary>The refusal of a campaign over the cap, naming both numbers (the grain's error; a 400 on REST).</summary>
    public static string TooManyCandidates(long count, long cap) =>
        string.Create(CultureInfo.InvariantCulture, $"The campaign has {count:N0} candidates, more than the cap of {cap:N0} per campaign (DarwinGrid:Screening:MaxCandidatesPerCampaign); narrow the candidates or split them into several campaigns.");

    /// <summary>Whether <paramref name="id"/> has the form of a campaign id (<see cref="IdRule"/>).</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    // \z, not $: "$" also matches before a final newline.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}\z")]
    private static partial Regex IdPattern();
}
