using System.Collections;
using System.Reflection;
using DarwinGrid.Grains.Placement;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.Web.Hosting;
using Microsoft.Extensions.Configuration;

namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>
/// Which environment variables a darwin container may carry: the keys the settings types bind
/// (found by reflection, so the check follows the code). <see cref="Check"/> reports unknown keys,
/// enum settings (<c>Cluster:Mode</c>, <c>Storage:Provider</c>...) and <c>Silo:Role</c> set to a
/// value outside their names (the allowed values come from the enum types), values that do not bind
/// to their types, and a role that does not fit the devices (<see cref="SiloProfile.Resolve"/>).
/// </summary>
internal static class DeploySettingsCatalog
{
    public const string EnvironmentPrefix = "DarwinGrid__";

    /// <summary>
    /// String settings whose value the code parses as an enum (case-insensitively) after binding;
    /// their allowed values are that enum's names, lower-cased as the deployment files write them.
    /// </summary>
    private static readonly Dictionary<string, Type> ParsedAsEnum = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DarwinGrid:Silo:Role"] = typeof(SiloRole), // SiloProfile.Resolve
    };

    /// <summary>Variables a darwin container may carry outside the DarwinGrid section (not read by DarwinGrid's settings).</summary>
    public static IReadOnlySet<string> OtherAllowedVariables { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        // Container plumbing from the base images.
        "PATH", "APP_UID", "DOTNET_RUNNING_IN_CONTAINER", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES",
        // Kubernetes: the secrets the connection strings are expanded from, and what
        // Microsoft.Orleans.Hosting.Kubernetes reads.
        "DARWINGRID_REDIS_PASSWORD", "DARWINGRID_POSTGRES_PASSWORD",
        "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID",
    };

    /// <summary>The sections bound from configuration and the types they bind to.</summary>
    private static readonly (string Section, Type Type)[] BoundSections =
    [
        (DarwinGridWebOptions.SectionName, typeof(DarwinGridWebOptions)),
        (DarwinGridSettings.SectionName, typeof(DarwinGridSettings)),
    ];

    /// <summary>Every key the settings types bind (config form, <c>*</c> for list indexes) and the type of its value.</summary>
    private static readonly Dictionary<string, Type> BoundKeyTypes = BoundSections
        .SelectMany(s => KeysOf(s.Type, s.Section, depth: 0))
        .ToDictionary(k => k.Key, k => k.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every key the settings types bind today (config form, <c>*</c> for list indexes).</summary>
    public static IReadOnlySet<string> BoundKeys { get; } = BoundKeyTypes.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static string ToConfigurationKey(string environmentName) => environmentName.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>A key with list indexes replaced by <c>*</c>: <c>DarwinGrid:Devices:0</c> -> <c>DarwinGrid:Devices:*</c>.</summary>
    public static string Pattern(string configurationKey) =>
        string.Join(':', configurationKey.Split(':').Select(part => part.All(char.IsAsciiDigit) && part.Length > 0 ? "*" : part));

    /// <summary>Problems with a container's environment, each naming the variable; empty when it is fine.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyDictionary<string, string> environment)
    {
        var problems = new List<string>();
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                if (!OtherAllowedVariables.Contains(name))
                    problems.Add($"{name}: not a DarwinGrid__ setting and not a known container variable");
                continue;
            }
            var key = ToConfigurationKey(name);
            var pattern = Pattern(key);
            if (!BoundKeyTypes.TryGetValue(pattern, out var type))
            {
                problems.Add($"{name}: unknown setting {key}");
                continue;
            }
            if ((type.IsEnum ? type : ParsedAsEnum.GetValueOrDefault(pattern)) is { } choices && !IsEnumName(choices, value))
            {
                // Reported here, once, with the allowed names: the binder's own error names neither,
                // and it would accept a number ("5") that is no member at all.
                problems.Add($"{name}={value}: expected one of {string.Join(" | ", AllowedValues(choices, lowerCase: !type.IsEnum))} ({pattern} is {(type.IsEnum ? "the enum" : "parsed as")} {choices.Name})");
                continue;
            }
            configuration[key] = value;
        }
        var bindingProblems = BindingProblems(configuration).ToList();
        problems.AddRange(bindingProblems);
        if (bindingProblems.Count == 0 && ProfileProblem(environment, configuration) is { } profile)
            problems.Add(profile);
        return problems;
    }

    /// <summary>The values a setting of this enum accepts, as the deployment files should write them.</summary>
    public static IReadOnlyList<string> AllowedValues(Type enumType, bool lowerCase) =>
        [.. Enum.GetNames(enumType).Select(n => lowerCase ? n.ToLowerInvariant() : n)];

    // ConfigurationBinder and SiloProfile parse enums ignoring case; digits would parse to a number.
    private static bool IsEnumName(Type enumType, string value) =>
        Enum.GetNames(enumType).Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>A silo's role must fit its devices (a gpu role lists a gpu device, a cpu role none), as the silo checks at start.</summary>
    private static string? ProfileProblem(IReadOnlyDictionary<string, string> environment, Dictionary<string, string?> configuration)
    {
        var profileVariables = environment.Keys.Where(n => n.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)
            && Pattern(ToConfigurationKey(n)) is var p
            && (p.Equals("DarwinGrid:Silo:Role", StringComparison.OrdinalIgnoreCase) || p.Equals("DarwinGrid:Devices:*", StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal).ToList();
        if (profileVariables.Count == 0)
            return null;
        var settings = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build()
            .GetSection(DarwinGridSettings.SectionName).Get<DarwinGridSettings>() ?? new DarwinGridSettings();
        try
        {
            SiloProfile.Resolve(settings.Silo.Role, settings.Devices);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"{string.Join(", ", profileVariables)}: {e.Message}";
        }
    }

    /// <summary>The settings a silo would read from this environment.</summary>
    public static DarwinGridSettings BindSilo(IReadOnlyDictionary<string, string> environment)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(environment
            .Where(p => p.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(p => KeyValuePair.Create(ToConfigurationKey(p.Key), (string?)p.Value))).Build();
        return configuration.GetSection(DarwinGridSettings.SectionName).Get<DarwinGridSettings>() ?? new DarwinGridSettings();
    }

    private static IEnumerable<string> BindingProblems(Dictionary<string, string?> configuration)
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build();
        foreach (var (section, type) in BoundSections)
        {
            // Each section binds strictly, without the nested sections another type binds.
            var nested = BoundSections.Where(s => s.Section.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)).Select(s => s.Section).ToList();
            var own = new ConfigurationBuilder().AddInMemoryCollection(root.AsEnumerable()
                .Where(p => p.Value is not null && p.Key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
                .Where(p => !nested.Any(n => p.Key.StartsWith(n + ":", StringComparison.OrdinalIgnoreCase)))).Build();
            string? problem = null;
            try
            {
                own.GetSection(section).Get(type, o => o.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException e)
            {
                problem = $"section {section} does not bind to {type.Name}: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : "")}";
            }
            if (problem is not null)
                yield return problem;
        }
    }

    private static IEnumerable<(string Key, Type Type)> KeysOf(Type type, string prefix, int depth)
    {
        if (depth > 6)
            yield break;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsLeaf(propertyType))
            {
                if (property.SetMethod?.IsPublic == true)
                    yield return (key, propertyType);
            }
            else if (propertyType.IsArray || (propertyType.IsGenericType && typeof(IEnumerable).IsAssignableFrom(propertyType)))
            {
                // Computed lists (ResolvedDevices) have no setter and are not configuration.
                if (property.SetMethod?.IsPublic != true)
                    continue;
                var element = propertyType.IsArray ? propertyType.GetElementType()! : propertyType.GetGenericArguments()[^1];
                var leaf = Nullable.GetUnderlyingType(element) ?? element;
                if (IsLeaf(leaf))
                    yield return (key + ":*", leaf);
                else
                    foreach (var nested in KeysOf(element, key + ":*", depth + 1))
                        yield return nested;
            }
            else if (propertyType.IsClass && property.GetMethod?.IsPublic == true)
            {
                foreach (var nested in KeysOf(propertyType, key, depth + 1))
                    yield return nested;
            }
        }
    }

    private static bool IsLeaf(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri) || type == typeof(Guid);
}
