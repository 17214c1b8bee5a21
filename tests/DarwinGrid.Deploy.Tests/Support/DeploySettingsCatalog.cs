using System.Collections;
using System.Reflection;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.Web.Hosting;
using Microsoft.Extensions.Configuration;

namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>
/// Which environment variables a darwin container may carry: the keys the settings types bind
/// (found by reflection, so the check follows the code) plus the keys issue 9 assigns to the
/// cluster and dashboard work, accepted before those types bind them. <see cref="Check"/> reports
/// unknown keys, values outside a key's allowed set, and values that do not bind to their types.
/// </summary>
internal static class DeploySettingsCatalog
{
    public const string EnvironmentPrefix = "DarwinGrid__";

    /// <summary>Keys of issue 9 (config form; <c>*</c> = a list index) and their allowed values, null = any.</summary>
    public static IReadOnlyDictionary<string, string[]?> ContractKeys { get; } = new Dictionary<string, string[]?>(StringComparer.OrdinalIgnoreCase)
    {
        ["DarwinGrid:Cluster:Mode"] = ["Localhost", "Redis"],
        ["DarwinGrid:Cluster:Redis"] = null,
        ["DarwinGrid:Cluster:ClusterId"] = null,
        ["DarwinGrid:Cluster:ServiceId"] = null,
        ["DarwinGrid:Cluster:AdvertisedIp"] = null,
        ["DarwinGrid:Storage:Provider"] = ["Sqlite", "PostgreSql"],
        ["DarwinGrid:Storage:PostgreSql"] = null,
        ["DarwinGrid:Silo:Role"] = ["cpu", "gpu"],
        ["DarwinGrid:Web:AdminPassword"] = null,
        ["DarwinGrid:Web:ApiKeys:*"] = null,
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

    /// <summary>Every key the settings types bind today (config form, <c>*</c> for list indexes).</summary>
    public static IReadOnlySet<string> BoundKeys { get; } = BoundSections
        .SelectMany(s => KeysOf(s.Type, s.Section, depth: 0))
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

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
            var bound = BoundKeys.Contains(pattern);
            if (ContractKeys.TryGetValue(pattern, out var allowed))
            {
                if (allowed is not null && !allowed.Contains(value, StringComparer.Ordinal))
                    problems.Add($"{name}={value}: expected one of {string.Join(" | ", allowed)}");
            }
            else if (!bound)
            {
                problems.Add($"{name}: unknown setting {key}");
                continue;
            }
            if (bound)
                configuration[key] = value;
        }
        problems.AddRange(BindingProblems(configuration));
        return problems;
    }

    /// <summary>The settings a silo would read from this environment (keys the types do not bind yet are left out).</summary>
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

    private static IEnumerable<string> KeysOf(Type type, string prefix, int depth)
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
                    yield return key;
            }
            else if (propertyType.IsArray || (propertyType.IsGenericType && typeof(IEnumerable).IsAssignableFrom(propertyType)))
            {
                // Computed lists (ResolvedDevices) have no setter and are not configuration.
                if (property.SetMethod?.IsPublic != true)
                    continue;
                var element = propertyType.IsArray ? propertyType.GetElementType()! : propertyType.GetGenericArguments()[^1];
                if (IsLeaf(Nullable.GetUnderlyingType(element) ?? element))
                    yield return key + ":*";
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
