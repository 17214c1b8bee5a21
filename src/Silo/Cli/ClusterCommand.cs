using System.CommandLine;
using DarwinGrid.Silo.Hosting;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin cluster certs --out DIR</c>: the certificates of a cluster's mutual TLS.</summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var command = new Command("cluster", "Set up a multi-silo cluster (docs/cluster.md, docs/security.md).");
        command.Subcommands.Add(Certs());
        return command;
    }

    private static Command Certs()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder to write ca.pem, silo.pem/.key and client.pem/.key to (created with mode 700).", Required = true };
        var days = new Option<int>("--days") { Description = "Validity of the certificates in days.", DefaultValueFactory = _ => 825 };
        var name = new Option<string>("--name") { Description = "The cluster's name in the certificates' subjects.", DefaultValueFactory = _ => "darwingrid" };
        var force = new Option<bool>("--force") { Description = "Replace certificates that exist in the folder." };
        var command = new Command("certs",
            "Make a private CA, a silo certificate and a client certificate for mutual TLS between silos and clients (DarwinGrid:Cluster:Tls:*). The CA's key is not kept.");
        command.Options.Add(output);
        command.Options.Add(days);
        command.Options.Add(name);
        command.Options.Add(force);
        command.SetAction(r =>
        {
            var error = r.InvocationConfiguration.Error;
            if (r.GetValue(days) is var d && d < 1)
            {
                error.WriteLine($"--days must be at least 1 (got {d}).");
                return 2;
            }
            ClusterCertificates.Files files;
            try
            {
                files = ClusterCertificates.Generate(r.GetValue(output)!.FullName, TimeSpan.FromDays(d), r.GetValue(name)!, r.GetValue(force));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                error.WriteLine(e.Message);
                return 1;
            }
            var o = r.InvocationConfiguration.Output;
            o.WriteLine($"Wrote {files.Directory}: {ClusterCertificates.CaFile}, {ClusterCertificates.SiloCertificateFile} + {ClusterCertificates.SiloKeyFile}, " +
                $"{ClusterCertificates.ClientCertificateFile} + {ClusterCertificates.ClientKeyFile} (mode 600).");
            o.WriteLine("Silos:   DarwinGrid__Cluster__Tls__Certificate=" + files.SiloCertificate);
            o.WriteLine("         DarwinGrid__Cluster__Tls__Key=" + files.SiloKey);
            o.WriteLine("Clients: DarwinGrid__Cluster__Tls__Certificate=" + files.ClientCertificate);
            o.WriteLine("         DarwinGrid__Cluster__Tls__Key=" + files.ClientKey);
            o.WriteLine("Both:    DarwinGrid__Cluster__Tls__CertificateAuthority=" + files.Ca);
            return 0;
        });
        return command;
    }
}
