using System.Security.Cryptography.X509Certificates;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// <c>DarwinGrid:Cluster:Tls</c>: mutual TLS on every silo-to-silo and client-to-gateway connection.
/// This process's certificate comes from files (<see cref="Certificate"/> as PEM with
/// <see cref="Key"/>, or a PFX with <see cref="Password"/>) or from a certificate store
/// (<see cref="StoreSubject"/>); the other side must present a certificate issued by
/// <see cref="CertificateAuthority"/>. <c>darwin cluster certs --out DIR</c> makes a private CA,
/// a silo certificate and a client certificate.
/// </summary>
public sealed class ClusterTlsSettings
{
    /// <summary>This process's certificate: a PEM file (with <see cref="Key"/>) or a PFX/PKCS#12 file.</summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key of <see cref="Certificate"/> (unless the PEM file holds the key too).</summary>
    public string? Key { get; set; }

    /// <summary>The password of a PFX file or of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>Instead of files: the subject name of a certificate (with its private key) in <see cref="StoreName"/>/<see cref="StoreLocation"/>.</summary>
    public string? StoreSubject { get; set; }

    public StoreName StoreName { get; set; } = StoreName.My;

    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>PEM file of the CA certificate(s) that issue the cluster's certificates: the only trust anchor (the system store is not used).</summary>
    public string? CertificateAuthority { get; set; }

    /// <summary>Whether TLS is configured at all (a certificate from a file or a store).</summary>
    public bool Enabled => Certificate is { Length: > 0 } || StoreSubject is { Length: > 0 };
}
