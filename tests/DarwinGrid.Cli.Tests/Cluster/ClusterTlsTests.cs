using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Runtime.Versioning;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.TestSupport;
using Microsoft.Extensions.Hosting;

namespace DarwinGrid.Cli.Tests.Cluster;

/// <summary>
/// Mutual TLS on a real silo (started in this process as <c>darwin serve</c> builds it) with
/// certificates from <see cref="ClusterCertificates"/>: clients go through <see cref="GridConnection"/>,
/// the path of every <c>--cluster</c> verb and of <c>darwin web</c>.
/// </summary>
public sealed class ClusterTlsTests : IAsyncLifetime
{
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(30);

    private readonly string _root = Directory.CreateTempSubdirectory("cluster-tls-").FullName;
    private readonly int _gatewayPort = DarwinHost.FreePort();
    private readonly int _siloPort = DarwinHost.FreePort();
    private ClusterCertificates.Files _certificates = null!;
    private IHost? _silo;

    public async Task InitializeAsync()
    {
        _certificates = ClusterCertificates.Generate(Path.Combine(_root, "certs"), TimeSpan.FromDays(1));
        var settings = new Dictionary<string, string?>(_certificates.Settings(silo: true))
        {
            ["DarwinGrid:Home"] = Path.Combine(_root, "home"),
            ["DarwinGrid:DataDir"] = SharedData.Root,
            ["DarwinGrid:Web:OrleansDashboard"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        _silo = DarwinHost.CreateSilo(settings, (_siloPort, _gatewayPort));
        await _silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.StopAsync();
            _silo.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private Dictionary<string, string?> Client(IReadOnlyDictionary<string, string?>? tls) =>
        new(tls ?? new Dictionary<string, string?>())
        {
            ["DarwinGrid:GatewayPort"] = _gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["DarwinGrid:Cluster:ClientCallTimeout"] = "00:00:10",
        };

    /// <summary>Connects and lists the campaigns; the exception when either fails.</summary>
    private static async Task<Exception?> TryCallAsync(Dictionary<string, string?> settings)
    {
        try
        {
            using var limit = new CancellationTokenSource(CallLimit);
            await using var grid = await GridConnection.OpenAsync(cluster: true, settings, limit.Token);
            await grid.Client.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).ListAsync().WaitAsync(CallLimit);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public async Task AClientWithTheClusterClientCertificateCallsGrains()
    {
        var error = await TryCallAsync(Client(_certificates.Settings(silo: false)));
        Assert.Null(error);
    }

    [Fact]
    public async Task AClientWithoutACertificateCannotCallAnyGrain()
    {
        var error = await TryCallAsync(Client(null));
        Assert.NotNull(error);
    }

    [Fact]
    public async Task AClientWithACertificateOfAnotherCACannotCallAnyGrain()
    {
        var foreign = ClusterCertificates.Generate(Path.Combine(_root, "foreign"), TimeSpan.FromDays(1));
        // Its own certificate from another CA, even trusting the real silo's CA: the silo refuses it.
        var settings = new Dictionary<string, string?>(foreign.Settings(silo: false))
        {
            ["DarwinGrid:Cluster:Tls:CertificateAuthority"] = _certificates.Ca,
        };
        var error = await TryCallAsync(Client(settings));
        Assert.NotNull(error);
    }

    /// <summary>
    /// A TLS connection to the silo port with <paramref name="certificate"/>: "open" when the silo
    /// keeps it (sends its preamble or waits for ours), "refused" when it ends it.
    /// </summary>
    private async Task<string> ProbeSiloPortAsync(string certificate, string key)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _siloPort);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var own = X509Certificate2.CreateFromPemFile(certificate, key);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "silo", ClientCertificates = [own] });
            // With TLS 1.3 the server's verdict on a client certificate arrives with the first read.
            var read = await tls.ReadAsync(new byte[64]).AsTask().WaitAsync(TimeSpan.FromSeconds(3));
            return read > 0 ? "open" : "refused";
        }
        catch (TimeoutException)
        {
            return "open";
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            return "refused";
        }
    }

    [Fact]
    public async Task TheSiloPortAdmitsTheSiloCertificateAndRefusesTheClientCertificate()
    {
        Assert.Equal("open", await ProbeSiloPortAsync(_certificates.SiloCertificate, _certificates.SiloKey));
        // A client certificate cannot join the cluster as a silo.
        Assert.Equal("refused", await ProbeSiloPortAsync(_certificates.ClientCertificate, _certificates.ClientKey));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void TheGeneratedFilesAreTheOwnersAlone()
    {
        Assert.Equal(Domain.Files.PrivateFiles.OwnerOnlyDirectory, File.GetUnixFileMode(_certificates.Directory));
        foreach (var file in Directory.GetFiles(_certificates.Directory))
            Assert.True(File.GetUnixFileMode(file) == Domain.Files.PrivateFiles.OwnerOnlyFile, $"{file}: {File.GetUnixFileMode(file)}");
    }
}
