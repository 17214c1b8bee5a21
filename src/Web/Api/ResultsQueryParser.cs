using System.Collections.Immutable;
using System.Globalization;
using DarwinGrid.Domain.Screening;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Web.Api;

/// <summary>
/// <c>GET /api/campaigns/{id}/results?page=&amp;pageSize=&amp;sort=&amp;filter=&amp;contains=&amp;passing=</c> as a
/// <see cref="ResultQuery"/>. <c>page</c> counts from 1; <c>sort</c> is <c>score</c>, <c>composition</c>,
/// <c>pareto</c> or one of the campaign's tasks, descending with a leading '-' (default: the campaign's
/// ranking); <c>filter</c> (repeatable) is written as in <c>darwin screen</c>.
/// </summary>
public static class ResultsQueryParser
{
    public const int MaxPageSize = 500;
    public const int DefaultPageSize = 50;

    public static ResultQuery? Parse(string? page, string? pageSize, string? sort, string[]? filter, string? contains, string? passing,
        CampaignDefinition definition, FieldErrors errors)
    {
        var pageNumber = Integer(page, "page", 1, 1, int.MaxValue / MaxPageSize, errors);
        var size = Integer(pageSize, "pageSize", DefaultPageSize, 1, MaxPageSize, errors);
        var only = false;
        if (passing is { Length: > 0 } && !bool.TryParse(passing, out only))
            errors.Add("passing", $"'{passing}' is not true or false.");

        var pareto = definition.Ranking.Mode == RankingMode.Pareto;
        var (sortBy, sortTask, descending) = (pareto ? ResultSortKey.ParetoRank : ResultSortKey.Score, (string?)null, !pareto);
        if (sort is { Length: > 0 })
        {
            descending = sort.StartsWith('-');
            var key = sort.TrimStart('-', '+').Trim();
            switch (key.ToLowerInvariant())
            {
                case "score": sortBy = ResultSortKey.Score; break;
                case "composition": sortBy = ResultSortKey.Composition; break;
                case "pareto" or "pareto_rank": sortBy = ResultSortKey.ParetoRank; break;
                default:
                    sortBy = ResultSortKey.Task;
                    sortTask = CampaignTask(key, definition);
                    if (sortTask is null)
                        errors.Add("sort", $"'{sort}' is not score, composition, pareto or one of the campaign's tasks ({string.Join(", ", definition.Tasks)}); prefix '-' for descending.");
                    break;
            }
        }

        var filters = ImmutableArray.CreateBuilder<PropertyFilter>();
        if (filter is { Length: > CampaignLimits.MaxFilters })
        {
            errors.Add("filter", $"{filter.Length} filters; at most {CampaignLimits.MaxFilters} per query.");
            filter = null;
        }
        for (var i = 0; filter is not null && i < filter.Length; i++)
        {
            try
            {
                var parsed = ScreeningParser.ParseFilter(filter[i] ?? "");
                if (!definition.Tasks.Contains(parsed.Task))
                    errors.Add($"filter[{i}]", $"'{filter[i]}' is on '{parsed.Task}', which is not one of the campaign's tasks ({string.Join(", ", definition.Tasks)}).");
                else
                    filters.Add(ScreeningConversion.ToFilter(parsed));
            }
            catch (ScreeningParseException e)
            {
                errors.Add($"filter[{i}]", e.Message);
            }
        }
        if (contains is { Length: > 100 })
            errors.Add("contains", "At most 100 characters.");

        return errors.Any ? null : new ResultQuery(pageNumber - 1, size, sortBy, sortTask, descending, filters.ToImmutable(), only,
            string.IsNullOrWhiteSpace(contains) ? null : contains.Trim());
    }

    private static string? CampaignTask(string name, CampaignDefinition definition) =>
        TaskAliases.TryResolve(name) is { } task && definition.Tasks.Contains(task.Name) ? task.Name : null;

    private static int Integer(string? text, string field, int fallback, int min, int max, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        errors.Add(field, $"'{text}' is not a whole number between {min} and {max}.");
        return fallback;
    }
}
