using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace DarwinGrid.TestSupport.Servers;

/// <summary>External servers a test class needs (started by the tests themselves from the installed binaries).</summary>
public enum ExternalServer
{
    PostgreSql,
    Redis,
}

/// <summary>
/// Marks a test class whose <see cref="ServerFactAttribute"/> / <see cref="ServerTheoryAttribute"/>
/// tests need the given servers. Put on the concrete class, so a contract base class can run once
/// against SQLite (no servers) and once against PostgreSQL.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresServersAttribute(params ExternalServer[] servers) : Attribute
{
    public IReadOnlyList<ExternalServer> Servers { get; } = servers;

    /// <summary>Why the servers cannot run here (their binaries are missing), or null.</summary>
    public string? MissingReason =>
        string.Join("; ", Servers.Distinct().Select(s => s switch
        {
            ExternalServer.PostgreSql => PostgresServer.MissingReason,
            ExternalServer.Redis => RedisServer.MissingReason,
            _ => null,
        }).Where(r => r is not null)) is { Length: > 0 } reasons ? reasons : null;

    internal static string? MissingFor(ITestMethod testMethod) =>
        testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresServersAttribute)).FirstOrDefault() is IReflectionAttributeInfo { Attribute: RequiresServersAttribute requires }
            ? requires.MissingReason is { } reason ? $"{reason} (CI installs it; see .ci/run)." : null
            : null;
}

/// <summary>A fact that fails at once, naming what to install, when its class's <see cref="RequiresServersAttribute"/> servers are not installed (never a silent skip: CI installs them).</summary>
[XunitTestCaseDiscoverer("DarwinGrid.TestSupport.Servers.ServerFactDiscoverer", "DarwinGrid.TestSupport")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ServerFactAttribute : FactAttribute;

/// <summary>A theory that fails at once, naming what to install, when its class's <see cref="RequiresServersAttribute"/> servers are not installed.</summary>
[XunitTestCaseDiscoverer("DarwinGrid.TestSupport.Servers.ServerTheoryDiscoverer", "DarwinGrid.TestSupport")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ServerTheoryAttribute : TheoryAttribute;

public sealed class ServerFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        RequiresServersAttribute.MissingFor(testMethod) is { } reason
            ? [new ExecutionErrorTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class ServerTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        RequiresServersAttribute.MissingFor(testMethod) is { } reason
            ? [new ExecutionErrorTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
