using Orleans.Configuration;

namespace DarwinGrid.Grains.Tests;

/// <summary>
/// Membership settings of the in-process test clusters: a killed silo is declared dead within about a
/// second (the notes' fast-failover figures), so failover tests finish in seconds.
/// </summary>
internal static class FastFailover
{
    public static void Apply(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }
}
