using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DarwinGrid.Domain.Files;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// Makes what mutual TLS in a cluster needs (<c>darwin cluster certs</c>): a private CA, one silo
/// certificate (server + client authentication, shared by every silo) and one client certificate
/// (client authentication only: the web app and CLI clients), as PEM files of mode 600 in a
/// folder of mode 700. The CA's private key is not kept: nothing else can be issued later, so a
/// stolen or leaked CA key cannot mint silos; to rotate, make a new set and roll it out.
/// </summary>
public static class ClusterCertificates
{
    public const string CaFile = "ca.pem";
    public const string SiloCertificateFile = "silo.pem";
    public const string SiloKeyFile = "silo.key";
    public const string ClientCertificateFile = "client.pem";
    public const string ClientKeyFile = "client.key";

    /// <summary>The files written, by name.</summary>
    public sealed record Files(string Directory)
    {
        public string Ca => Path.Combine(Directory, CaFile);
        public string SiloCertificate => Path.Combine(Directory, SiloCertificateFile);
        public string SiloKey => Path.Combine(Directory, SiloKeyFile);
        public string ClientCertificate => Path.Combine(Directory, ClientCertificateFile);
        public string ClientKey => Path.Combine(Directory, ClientKeyFile);

        /// <summary>The settings of a silo (<paramref name="silo"/>) or a client, in configuration form.</summary>
        public IReadOnlyDictionary<string, string?> Settings(bool silo) => new Dictionary<string, string?>
        {
            ["DarwinGrid:Cluster:Tls:Certificate"] = silo ? SiloCertificate : ClientCertificate,
            ["DarwinGrid:Cluster:Tls:Key"] = silo ? SiloKey : ClientKey,
            ["DarwinGrid:Cluster:Tls:CertificateAuthority"] = Ca,
        };
    }

    /// <summary>Writes a new CA, silo and client certificate into <paramref name="directory"/> (refuses to overwrite unless <paramref name="force"/>).</summary>
    /// <exception cref="IOException">Files exist and <paramref name="force"/> is false.</exception>
    public static Files Generate(string directory, TimeSpan validity, string clusterName = "darwingrid", bool force = false)
    {
        var files = new Files(Path.GetFullPath(directory));
        var existing = new[] { files.Ca, files.SiloCertificate, files.SiloKey, files.ClientCertificate, files.ClientKey }.Where(File.Exists).ToList();
        if (existing.Count > 0 && !force)
            throw new IOException($"{string.Join(", ", existing)} exist already; pass --force to replace them (every silo and client then needs the new set).");
        PrivateFiles.CreateDirectory(files.Directory);

        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5); // clocks of the machines differ a little
        var notAfter = notBefore + validity;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={clusterName} cluster CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1));

        PrivateFiles.WriteAllText(files.Ca, ca.ExportCertificatePem() + "\n");
        Issue(ca, caKey, $"CN={clusterName}-silo", [ClusterTls.ServerAuthentication, ClusterTls.ClientAuthentication], notBefore, notAfter, files.SiloCertificate, files.SiloKey);
        Issue(ca, caKey, $"CN={clusterName}-client", [ClusterTls.ClientAuthentication], notBefore, notAfter, files.ClientCertificate, files.ClientKey);
        return files;
    }

    private static void Issue(X509Certificate2 ca, ECDsa caKey, string subject, string[] usages, DateTimeOffset notBefore, DateTimeOffset notAfter,
        string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        var oids = new OidCollection();
        foreach (var usage in usages)
            oids.Add(new Oid(usage));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var certificate = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore, notAfter, serial);
        PrivateFiles.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        PrivateFiles.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
