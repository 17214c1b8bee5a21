using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace DarwinGrid.Web.Hosting;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, believed only from the proxies listed in
/// <see cref="DarwinGridWebOptions.KnownProxies"/> / <see cref="DarwinGridWebOptions.KnownNetworks"/>
/// (ASP.NET Core would otherwise trust loopback by default). With none listed nothing is read, so a
/// client cannot choose its own address for the sign-in throttle or claim HTTPS.
/// </summary>
public static class ForwardedHeadersSetup
{
    /// <summary>The middleware's options, or null when no proxy is configured.</summary>
    public static ForwardedHeadersOptions? Options(DarwinGridWebOptions web)
    {
        if (web.KnownProxies.Count == 0 && web.KnownNetworks.Count == 0)
            return null;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // One proxy hop: the address it saw is the client's; anything further left is the client's own claim.
            ForwardLimit = 1,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        for (var i = 0; i < web.KnownProxies.Count; i++)
        {
            options.KnownProxies.Add(IPAddress.TryParse(web.KnownProxies[i], out var address) ? address
                : throw new InvalidOperationException($"{DarwinGridWebOptions.SectionName}:KnownProxies:{i}: '{web.KnownProxies[i]}' is not an IP address."));
        }
        for (var i = 0; i < web.KnownNetworks.Count; i++)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(web.KnownNetworks[i], out var network) ? network
                : throw new InvalidOperationException($"{DarwinGridWebOptions.SectionName}:KnownNetworks:{i}: '{web.KnownNetworks[i]}' is not a network in CIDR form (10.42.0.0/16)."));
        }
        return options;
    }
}
