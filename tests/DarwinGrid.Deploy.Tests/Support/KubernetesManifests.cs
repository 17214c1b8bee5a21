using System.Text.RegularExpressions;

namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>
/// The objects deploy/k8s/kustomization.yaml lists (plus the secret example, which documents the
/// Secret created out of band), and the environment each container would get.
/// </summary>
internal sealed partial class KubernetesManifests
{
    private KubernetesManifests(string directory, IReadOnlyList<KubernetesObject> objects, KubernetesObject secretExample)
    {
        Directory = directory;
        Objects = objects;
        SecretExample = secretExample;
    }

    public string Directory { get; }

    /// <summary>The objects kustomization.yaml applies.</summary>
    public IReadOnlyList<KubernetesObject> Objects { get; }

    public KubernetesObject SecretExample { get; }

    public IEnumerable<KubernetesObject> Workloads => Objects.Where(o => o.Kind is "StatefulSet" or "Deployment");

    public KubernetesObject Get(string kind, string name) => Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name)
        ?? throw new InvalidOperationException($"No {kind} '{name}' in {Directory} (has {string.Join(", ", Objects.Select(o => $"{o.Kind}/{o.Name}"))}).");

    public static KubernetesManifests Load(string directory)
    {
        var kustomization = YamlTree.LoadDocuments(Path.Combine(directory, "kustomization.yaml")).Single();
        var objects = (kustomization.List("resources") ?? throw new FormatException($"{directory}/kustomization.yaml lists no resources"))
            .Cast<string>()
            .SelectMany(file => YamlTree.LoadDocuments(Path.Combine(directory, file)).Select(doc => new KubernetesObject(file, doc)))
            .ToList();
        var secret = YamlTree.LoadDocuments(Path.Combine(directory, "secret.example.yaml")).Select(doc => new KubernetesObject("secret.example.yaml", doc)).Single();
        return new KubernetesManifests(directory, objects, secret);
    }

    /// <summary>
    /// A container's environment as the kubelet builds it: <c>envFrom</c> ConfigMaps first, then
    /// <c>env</c> in order with <c>$(VAR)</c> expanded from variables defined before it. Secret values
    /// come from the secret example; downward-API fields get the stand-ins given.
    /// </summary>
    public IReadOnlyDictionary<string, string> ContainerEnvironment(Dictionary<string, object?> container, IReadOnlyDictionary<string, string>? fieldValues = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.Maps("envFrom"))
        {
            var name = source.Map("configMapRef")?.Str("name") ?? throw new FormatException($"{container.Str("name")}: envFrom other than configMapRef");
            foreach (var (key, value) in Get("ConfigMap", name).Node.Map("data") ?? [])
                env[key] = (string?)value ?? "";
        }
        foreach (var variable in container.Maps("env"))
        {
            var name = variable.Str("name")!;
            if (variable.Str("value") is { } value)
            {
                env[name] = Reference().Replace(value, m => env.TryGetValue(m.Groups[1].Value, out var defined)
                    ? defined
                    : throw new InvalidOperationException($"{container.Str("name")}: {name} refers to $({m.Groups[1].Value}), which is not defined before it."));
                continue;
            }
            var from = variable.Map("valueFrom") ?? throw new FormatException($"{container.Str("name")}: {name} has neither value nor valueFrom");
            if (from.Map("secretKeyRef") is { } secretRef)
                env[name] = SecretValue(secretRef.Str("name")!, secretRef.Str("key")!);
            else if (from.Map("fieldRef") is { } fieldRef)
                env[name] = fieldValues?.GetValueOrDefault(fieldRef.Str("fieldPath")!) ?? $"<{fieldRef.Str("fieldPath")}>";
            else
                throw new FormatException($"{container.Str("name")}: {name} uses an unsupported valueFrom");
        }
        return env;
    }

    private string SecretValue(string name, string key)
    {
        if (SecretExample.Name != name)
            throw new InvalidOperationException($"secretKeyRef to '{name}', but the documented Secret is '{SecretExample.Name}'.");
        return SecretExample.Node.Map("stringData")?.Str(key)
            ?? throw new InvalidOperationException($"secretKeyRef to key '{key}', which secret.example.yaml does not document.");
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}

internal sealed record KubernetesObject(string File, Dictionary<string, object?> Node)
{
    public string Kind => Node.Str("kind") ?? throw new FormatException($"{File}: an object without kind");

    public string Name => Node.Map("metadata")?.Str("name") ?? throw new FormatException($"{File}: a {Kind} without a name");

    public Dictionary<string, object?> Spec => Node.Map("spec") ?? throw new FormatException($"{File}: {Kind}/{Name} has no spec");

    public Dictionary<string, object?> PodTemplate => Spec.Map("template") ?? throw new FormatException($"{File}: {Kind}/{Name} has no pod template");

    public Dictionary<string, object?> PodSpec => PodTemplate.Map("spec") ?? throw new FormatException($"{File}: {Kind}/{Name} has no pod spec");

    public Dictionary<string, object?> Container(string name) => PodSpec.Maps("containers").SingleOrDefault(c => c.Str("name") == name)
        ?? throw new InvalidOperationException($"{Kind}/{Name} has no container '{name}'.");

    public IReadOnlyDictionary<string, string> Labels(Dictionary<string, object?> metadataOwner) =>
        metadataOwner.Map("metadata")?.Map("labels")?.ToDictionary(p => p.Key, p => (string)p.Value!) ?? [];
}
