using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// Mutual TLS on the cluster's connections (<c>DarwinGrid:Cluster:Tls</c>). Trust is the private CA
/// alone, and the certificate's extended key usage is its role: a silo certificate (server and
/// client authentication) is accepted on the silo port and by clients; a client certificate (client
/// authentication only) is accepted by gateways but never joins as a silo. Host names are not
/// checked: silos are reached by IP address, and the CA issues nothing else.
/// </summary>
public static class ClusterTls
{
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>This process's certificate (with its private key) and the CA certificates it trusts.</summary>
    public sealed record Material(X509Certificate2 Certificate, X509Certificate2Collection Authorities);

    /// <summary>Whether a silo with these settings may run without TLS: only while it listens on loopback alone.</summary>
    public static bool ListensOnLoopbackOnly(ClusterSettings cluster) =>
        cluster.Mode == ClusterMode.Localhost || IPAddress.IsLoopback(ClusterHosting.AdvertisedAddress(cluster.AdvertisedIp));

    /// <summary>Reads the certificate and the CA the settings name.</summary>
    /// <exception cref="ArgumentException">A setting is missing, a file is missing or unreadable; the message names the setting.</exception>
    public static Material Load(ClusterTlsSettings tls)
    {
        const string Section = "DarwinGrid:Cluster:Tls";
        if (tls.CertificateAuthority is not { Length: > 0 } caPath)
            throw new ArgumentException($"{Section}:CertificateAuthority (the PEM file of the CA that issued the cluster's certificates) is not set; 'darwin cluster certs --out DIR' makes one.");
        var authorities = new X509Certificate2Collection();
        Read($"{Section}:CertificateAuthority", caPath, () => authorities.ImportFromPemFile(caPath));
        if (authorities.Count == 0)
            throw new ArgumentException($"{Section}:CertificateAuthority '{caPath}' holds no PEM certificate.");

        X509Certificate2 certificate;
        if (tls.StoreSubject is { Length: > 0 } subject)
        {
            using var store = new X509Store(tls.StoreName, tls.StoreLocation);
            store.Open(OpenFlags.ReadOnly);
            certificate = store.Certificates.Find(X509FindType.FindBySubjectName, subject, validOnly: false)
                .Where(c => c.HasPrivateKey).OrderByDescending(c => c.NotAfter).FirstOrDefault()
                ?? throw new ArgumentException($"{Section}:StoreSubject: no certificate with a private key for '{subject}' in {tls.StoreLocation}/{tls.StoreName}.");
        }
        else
        {
            var path = tls.Certificate ?? throw new ArgumentException($"{Section}:Certificate is not set.");
            certificate = Read($"{Section}:Certificate", path, () => IsPkcs12(path)
                ? X509CertificateLoader.LoadPkcs12FromFile(path, tls.Password)
                : tls.Password is { Length: > 0 } password
                    ? X509Certificate2.CreateFromEncryptedPemFile(path, password, tls.Key)
                    : X509Certificate2.CreateFromPemFile(path, tls.Key));
        }
        if (!certificate.HasPrivateKey)
            throw new ArgumentException($"{Section}: the certificate '{certificate.Subject}' comes without its private key ({Section}:Key).");
        if (!IsTrusted(certificate, authorities, ClientAuthentication))
            throw new ArgumentException($"{Section}: the certificate '{certificate.Subject}' is not issued by the CA in {Section}:CertificateAuthority, has expired, or lacks client authentication.");
        return new Material(certificate, authorities);
    }

    /// <summary>A silo: its silo port accepts silos only, its gateway any certificate of the CA, and it connects to other silos with its certificate.</summary>
    public static void ConfigureSilo(ISiloBuilder silo, Material material)
    {
        if (!IsTrusted(material.Certificate, material.Authorities, ServerAuthentication))
            throw new ArgumentException("DarwinGrid:Cluster:Tls: a silo needs a silo certificate (server and client authentication); this one is for clients only.");
        var silos = Options(material, remoteUsage: ServerAuthentication);
        var clients = Options(material, remoteUsage: ClientAuthentication);
        silo.Configure<SiloConnectionOptions>(o =>
        {
            o.ConfigureSiloInboundConnection(b => b.UseServerTls(silos));
            o.ConfigureSiloOutboundConnection(b => b.UseClientTls(silos));
            o.ConfigureGatewayInboundConnection(b => b.UseServerTls(clients));
        });
    }

    /// <summary>A client: presents its certificate and talks only to gateways holding a silo certificate of the CA.</summary>
    public static void ConfigureClient(IClientBuilder client, Material material) =>
        client.UseTls(o => Configure(o, material, remoteUsage: ServerAuthentication));

    /// <summary>Whether <paramref name="certificate"/> chains to one of <paramref name="authorities"/> (and nothing else), is valid now, and allows <paramref name="usage"/>.</summary>
    public static bool IsTrusted(X509Certificate2 certificate, X509Certificate2Collection authorities, string usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        return chain.Build(certificate);
    }

    private static TlsOptions Options(Material material, string remoteUsage)
    {
        var options = new TlsOptions();
        Configure(options, material, remoteUsage);
        return options;
    }

    private static void Configure(TlsOptions options, Material material, string remoteUsage)
    {
        options.LocalCertificate = material.Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // The platform's verdict (system roots, host name) is replaced by the CA check: see the class remarks.
        options.RemoteCertificateValidation = (certificate, _, _) => IsTrusted(certificate, material.Authorities, remoteUsage);
    }

    private static bool IsPkcs12(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12";

    private static T Read<T>(string setting, string path, Func<T> read)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"{setting}: '{path}' does not exist.");
        try
        {
            return read();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{setting}: '{path}' cannot be read as a certificate ({e.Message}).", e);
        }
    }

    private static void Read(string setting, string path, Action read) => Read(setting, path, () => { read(); return 0; });
}
