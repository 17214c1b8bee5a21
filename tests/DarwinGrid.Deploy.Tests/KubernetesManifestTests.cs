using DarwinGrid.Deploy.Tests.Support;

namespace DarwinGrid.Deploy.Tests;

/// <summary>deploy/k8s as kustomization.yaml applies it: silos, GPU scheduling, the web Service, settings and secrets.</summary>
public sealed class KubernetesManifestTests
{
    private static readonly Dictionary<string, string> Downward = new()
    {
        ["status.podIP"] = "10.1.2.3",
        ["metadata.name"] = "silo-cpu-0",
        ["metadata.namespace"] = "darwingrid",
    };

    private readonly KubernetesManifests _k8s = DeployFiles.Kubernetes();

    [Fact]
    public void TwoCpuSilosAndOneGpuSiloOnGpuNodesWithOneGpuEach()
    {
        var cpu = _k8s.Get("StatefulSet", "silo-cpu");
        var gpu = _k8s.Get("StatefulSet", "silo-gpu");
        Assert.Equal("2", cpu.Spec.Str("replicas"));
        Assert.Equal("1", gpu.Spec.Str("replicas"));

        Assert.Equal("true", gpu.PodSpec.Map("nodeSelector")?.Str("nvidia.com/gpu.present"));
        Assert.Contains(gpu.PodSpec.Maps("tolerations"), t => t.Str("key") == "nvidia.com/gpu");
        Assert.Equal("1", gpu.Container("silo").Map("resources")?.Map("limits")?.Str("nvidia.com/gpu"));
        Assert.StartsWith("darwingrid/silo-cuda:", gpu.Container("silo").Str("image"));

        Assert.Null(cpu.PodSpec.Map("nodeSelector"));
        Assert.False(cpu.Container("silo").Map("resources")?.Map("limits")?.ContainsKey("nvidia.com/gpu"));
        Assert.StartsWith("darwingrid/silo:", cpu.Container("silo").Str("image"));
    }

    [Fact]
    public void EveryDarwinContainerEnvironmentIsKnownAndBinds()
    {
        var darwin = _k8s.Workloads.Where(w => w.Name.StartsWith("silo", StringComparison.Ordinal) || w.Name == "web").ToList();
        Assert.Equal(3, darwin.Count);
        foreach (var workload in darwin)
        {
            var container = workload.PodSpec.Maps("containers").Single();
            var env = _k8s.ContainerEnvironment(container, Downward);
            var problems = DeploySettingsCatalog.Check(env);
            Assert.True(problems.Count == 0, $"{workload.Name}: {string.Join("; ", problems)}");
        }
    }

    [Fact]
    public void SilosGetTheSameSettingsAsInComposeWithSecretsAndPodIpFilledIn()
    {
        var compose = DeployFiles.Compose();
        foreach (var (statefulSet, service) in new[] { ("silo-cpu", "silo-cpu-1"), ("silo-gpu", "silo-gpu") })
        {
            var k8s = _k8s.ContainerEnvironment(_k8s.Get("StatefulSet", statefulSet).Container("silo"), Downward);
            var docker = compose.ContainerEnvironment(compose.Service(service));
            foreach (var key in new[] { "DarwinGrid__Cluster__Mode", "DarwinGrid__Cluster__Redis", "DarwinGrid__Cluster__ClusterId", "DarwinGrid__Cluster__ServiceId",
                         "DarwinGrid__Storage__Provider", "DarwinGrid__Storage__PostgreSql", "DarwinGrid__Silo__Role", "DarwinGrid__Devices__0",
                         "DarwinGrid__SiloPort", "DarwinGrid__GatewayPort",
                         "DarwinGrid__Cluster__Tls__Certificate", "DarwinGrid__Cluster__Tls__Key", "DarwinGrid__Cluster__Tls__CertificateAuthority" })
                Assert.True(docker[key] == k8s[key], $"{statefulSet} vs compose {service}: {key} = '{k8s.GetValueOrDefault(key)}' vs '{docker[key]}'");
            Assert.Equal("10.1.2.3", k8s["DarwinGrid__Cluster__AdvertisedIp"]);
            var settings = DeploySettingsCatalog.BindSilo(k8s);
            Assert.Equal("/shared/models", settings.ResolvedModelStore);
        }
        var web = _k8s.ContainerEnvironment(_k8s.Get("Deployment", "web").Container("web"), Downward);
        var composeWeb = compose.ContainerEnvironment(compose.Service("web"));
        Assert.Equal(composeWeb["DarwinGrid__Cluster__Redis"], web["DarwinGrid__Cluster__Redis"]);
        Assert.Equal(composeWeb["DarwinGrid__Web__AdminPassword"], web["DarwinGrid__Web__AdminPassword"]);
        // The web app is a cluster client: the client certificate, never the silo's.
        foreach (var key in new[] { "DarwinGrid__Cluster__Tls__Certificate", "DarwinGrid__Cluster__Tls__Key", "DarwinGrid__Cluster__Tls__CertificateAuthority" })
            Assert.Equal(composeWeb[key], web[key]);
        Assert.EndsWith("/client.pem", web["DarwinGrid__Cluster__Tls__Certificate"]);
    }

    [Fact]
    public void AllPodsRunAsNonRootWithoutPrivilegeEscalation()
    {
        Assert.NotEmpty(_k8s.Workloads);
        foreach (var workload in _k8s.Workloads)
        {
            var pod = workload.PodSpec.Map("securityContext");
            Assert.True(pod?.Str("runAsNonRoot") == "true", $"{workload.Name}: runAsNonRoot is not set");
            Assert.NotEqual("0", pod!.Str("runAsUser"));
            Assert.All(workload.PodSpec.Maps("containers"), c => Assert.Equal("false", c.Map("securityContext")?.Str("allowPrivilegeEscalation")));
        }
        // The darwin images' user.
        Assert.All(_k8s.Workloads.Where(w => w.Name.StartsWith("silo", StringComparison.Ordinal) || w.Name == "web"),
            w => Assert.Equal("1654", w.PodSpec.Map("securityContext")!.Str("runAsUser")));
    }

    [Fact]
    public void ServicesSelectPodsAndTargetNamedContainerPorts()
    {
        var services = _k8s.Objects.Where(o => o.Kind == "Service").ToList();
        Assert.Contains(services, s => s.Name == "web");
        foreach (var service in services)
        {
            var selector = service.Spec.Map("selector")!;
            var matches = _k8s.Workloads.Where(w => selector.All(l => w.Labels(w.PodTemplate).GetValueOrDefault(l.Key) == (string?)l.Value)).ToList();
            Assert.True(matches.Count > 0, $"Service {service.Name} selects no pods");
            foreach (var port in service.Spec.Maps("ports"))
            {
                var target = port.Str("targetPort") ?? port.Str("port");
                Assert.All(matches, w => Assert.Contains(w.PodSpec.Maps("containers").SelectMany(c => c.Maps("ports")),
                    p => p.Str("name") == target || p.Str("containerPort") == target));
            }
        }
        var web = _k8s.Get("Service", "web");
        Assert.Equal("http", web.Spec.Maps("ports").Single().Str("targetPort"));
        Assert.Contains(_k8s.Get("Deployment", "web").Container("web").Maps("ports"), p => p.Str("name") == "http" && p.Str("containerPort") == "8080");
    }

    [Fact]
    public void StatefulSetsHaveTheirHeadlessServiceAndEveryMountedVolumeExists()
    {
        foreach (var set in _k8s.Workloads.Where(w => w.Kind == "StatefulSet"))
            Assert.Contains(_k8s.Objects, o => o.Kind == "Service" && o.Name == set.Spec.Str("serviceName"));
        Assert.Equal("None", _k8s.Get("Service", "silo").Spec.Str("clusterIP"));

        foreach (var workload in _k8s.Workloads)
        {
            var volumes = workload.PodSpec.Maps("volumes").Select(v => v.Str("name")!)
                .Concat(workload.Spec.Maps("volumeClaimTemplates").Select(t => t.Map("metadata")!.Str("name")!)).ToHashSet();
            foreach (var mount in workload.PodSpec.Maps("containers").SelectMany(c => c.Maps("volumeMounts")))
                Assert.True(volumes.Contains(mount.Str("name")!), $"{workload.Name} mounts undeclared volume {mount.Str("name")}");
            foreach (var claim in workload.PodSpec.Maps("volumes").Select(v => v.Map("persistentVolumeClaim")?.Str("claimName")).OfType<string>())
                Assert.Contains(_k8s.Objects, o => o.Kind == "PersistentVolumeClaim" && o.Name == claim);
        }
        Assert.Equal("ReadWriteMany", _k8s.Get("PersistentVolumeClaim", "darwingrid-shared").Spec.Strings("accessModes").Single());
    }

    [Fact]
    public void ProbesUseDeclaredPortsAndSilosHaveTheOrleansHostingLabels()
    {
        foreach (var workload in _k8s.Workloads)
        {
            foreach (var container in workload.PodSpec.Maps("containers"))
            {
                var ports = container.Maps("ports").Select(p => p.Str("name")).ToHashSet();
                foreach (var probe in new[] { "readinessProbe", "livenessProbe" }.Select(container.Map))
                {
                    Assert.NotNull(probe);
                    if (probe!.Map("tcpSocket")?.Str("port") is { } port)
                        Assert.Contains(port, ports);
                }
            }
        }
        foreach (var silo in new[] { "silo-cpu", "silo-gpu" }.Select(n => _k8s.Get("StatefulSet", n)))
        {
            var labels = silo.Labels(silo.PodTemplate);
            var env = _k8s.ContainerEnvironment(silo.Container("silo"), Downward);
            Assert.Equal(labels["orleans/serviceId"], env["ORLEANS_SERVICE_ID"]);
            Assert.Equal(labels["orleans/clusterId"], env["ORLEANS_CLUSTER_ID"]);
            Assert.Equal(env["DarwinGrid__Cluster__ClusterId"], env["ORLEANS_CLUSTER_ID"]);
            Assert.Equal(env["DarwinGrid__Cluster__ServiceId"], env["ORLEANS_SERVICE_ID"]);
        }
    }
}
