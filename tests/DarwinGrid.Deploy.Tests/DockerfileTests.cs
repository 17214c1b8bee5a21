using System.Text;
using DarwinGrid.Deploy.Tests.Support;

namespace DarwinGrid.Deploy.Tests;

/// <summary>The three Dockerfiles in deploy/docker: multi-stage builds of src/Silo that run as a non-root user.</summary>
public sealed class DockerfileTests
{
    private static IEnumerable<string> DockerfileNames => Directory.GetFiles(DeployFiles.PathOf("docker"), "*.Dockerfile").Select(f => Path.GetFileName(f));

    public static TheoryData<string> Dockerfiles => new(DockerfileNames);

    private static Dockerfile Load(string name) => Dockerfile.Load(DeployFiles.PathOf("docker", name));

    [Fact]
    public void ThereAreTheSiloTheCudaSiloAndTheWebDockerfiles() =>
        Assert.Equal(["silo-cuda.Dockerfile", "silo.Dockerfile", "web.Dockerfile"], DockerfileNames.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void BuildsWithTheSdkAndRunsOnARuntimeImage(string name)
    {
        var dockerfile = Load(name);
        Assert.True(dockerfile.Stages.Count >= 2, $"{name} is not multi-stage");
        var build = dockerfile.Stages[0];
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", build.BaseImage);
        Assert.DoesNotContain("/sdk:", dockerfile.Final.BaseImage);
        // The runtime stage takes only the publish output of the build stage.
        var copy = Assert.Single(dockerfile.Final.All("COPY"), c => c.Arguments.Contains("--from=build", StringComparison.Ordinal));
        Assert.Contains("/out", copy.Arguments);

        var publish = Assert.Single(build.All("RUN"), r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.Contains("src/Silo/DarwinGrid.Silo.csproj", publish.Arguments);
        Assert.Contains("-o /out", publish.Arguments);
        Assert.True(File.Exists(Path.Combine(DeployFiles.RepositoryRoot, "src", "Silo", "DarwinGrid.Silo.csproj")));
        // What the build stage copies exists in the repository (the build context is its root).
        foreach (var source in build.All("COPY").SelectMany(c => c.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]))
            Assert.True(File.Exists(Path.Combine(DeployFiles.RepositoryRoot, source)) || Directory.Exists(Path.Combine(DeployFiles.RepositoryRoot, source)),
                $"{name} copies {source}, which is not in the repository");
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void RunsAsTheNonRootAppUser(string name)
    {
        var dockerfile = Load(name);
        var user = dockerfile.Final.Last("USER")?.Arguments ?? throw new Xunit.Sdk.XunitException($"{name}: the final stage has no USER, so it runs as root");
        var uid = user == "$APP_UID"
            // Microsoft's .NET images define APP_UID=1654 (the user `app`); a stage may define it itself.
            ? Dockerfile.Environment(dockerfile.Final).GetValueOrDefault("APP_UID")
              ?? (dockerfile.Final.BaseImage.StartsWith("mcr.microsoft.com/dotnet/", StringComparison.Ordinal) ? "1654" : null)
            : user;
        Assert.NotNull(uid);
        Assert.NotEqual("0", uid);
        Assert.NotEqual("root", uid);
        // The user is created when the base image does not bring it.
        if (!dockerfile.Final.BaseImage.StartsWith("mcr.microsoft.com/dotnet/", StringComparison.Ordinal))
            Assert.Contains(dockerfile.Final.All("RUN"), r => r.Arguments.Contains("useradd", StringComparison.Ordinal) && r.Arguments.Contains("$APP_UID", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void RunsTheDarwinBinaryAndIgnoresBuildLeftovers(string name)
    {
        var dockerfile = Load(name);
        Assert.Equal(["dotnet", "/app/darwin.dll"], Dockerfile.ExecForm(dockerfile.Final.Last("ENTRYPOINT")!));
        var command = Dockerfile.ExecForm(dockerfile.Final.Last("CMD")!);
        Assert.Equal(name.StartsWith("web", StringComparison.Ordinal) ? "web" : "serve", command[0]);

        var ignore = File.ReadAllLines(DeployFiles.PathOf("docker", name + ".dockerignore"));
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    [Fact]
    public void TheCudaSiloBuildsWithTheCudaPropertyTheInferenceProjectKnows()
    {
        var publish = Load("silo-cuda.Dockerfile").Stages[0].All("RUN").Single(r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.Contains("-p:DarwinGpu=cuda12", publish.Arguments);
        var inference = File.ReadAllText(Path.Combine(DeployFiles.RepositoryRoot, "src", "Inference", "DarwinGrid.Inference.csproj"));
        Assert.Contains("'$(DarwinGpu)' == 'cuda12'", inference);
        Assert.Contains("LLamaSharp.Backend.Cuda12", inference);
        foreach (var cpu in new[] { "silo.Dockerfile", "web.Dockerfile" })
            Assert.Contains("-p:DarwinGpu=none", Load(cpu).Stages[0].All("RUN").Single(r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments);
    }

    [Theory]
    [InlineData("silo.Dockerfile")]
    [InlineData("silo-cuda.Dockerfile")]
    public void SiloImagesExposeTheirPortsAndCarryOpenMp(string name)
    {
        var dockerfile = Load(name);
        var settings = DeploySettingsCatalog.BindSilo(Dockerfile.Environment(dockerfile.Final));
        var exposed = dockerfile.Final.All("EXPOSE").SelectMany(e => e.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains(settings.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture), exposed);
        Assert.Contains(settings.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture), exposed);
        Assert.Empty(DeploySettingsCatalog.Check(Dockerfile.Environment(dockerfile.Final)));

        // ggml as LLamaSharp ships it (under llama.cpp and our trainer) links OpenMP, which the .NET and CUDA runtime images lack.
        var ggml = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"), "libggml-base.so", SearchOption.AllDirectories);
        Assert.NotEmpty(ggml);
        Assert.All(ggml, library => Assert.Contains("libgomp.so.1", Encoding.Latin1.GetString(File.ReadAllBytes(library))));
        Assert.Contains(dockerfile.Final.All("RUN"), r => r.Arguments.Contains("libgomp1", StringComparison.Ordinal));
    }
}
