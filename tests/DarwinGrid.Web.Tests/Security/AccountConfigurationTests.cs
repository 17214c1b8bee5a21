using DarwinGrid.Web.Hosting;
using DarwinGrid.Web.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Tests.Security;

/// <summary>The first-run admin password, and configuration that must be refused with the entry named.</summary>
public sealed class AccountConfigurationTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("web-accounts-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void WithoutAConfiguredPasswordTheAdminPasswordIsGeneratedPrintedOnceAndOnlyItsHashStored()
    {
        var options = new DarwinGridWebOptions { StateDirectory = _home };
        var first = new StringWriter();
        var admin = AdminAccount.Resolve(options, new FirstRunNotice(first), NullLogger.Instance);
        var password = System.Text.RegularExpressions.Regex.Match(first.ToString(), "password '([^']+)'").Groups[1].Value;
        Assert.True(password.Length >= 20, first.ToString());
        Assert.True(PasswordHashing.Verify(admin.PasswordHash, password));

        var file = Path.Combine(_home, AdminAccount.FileName);
        Assert.DoesNotContain(password, File.ReadAllText(file));
        using (var stored = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file)))
            Assert.Equal(admin.PasswordHash, stored.RootElement.GetProperty("passwordHash").GetString());
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var second = new StringWriter();
        var again = AdminAccount.Resolve(options, new FirstRunNotice(second), NullLogger.Instance);
        Assert.Equal("", second.ToString());
        Assert.True(PasswordHashing.Verify(again.PasswordHash, password));
    }

    [Fact]
    public void AConfiguredAdminPasswordIsUsedAndNothingIsWrittenOrPrinted()
    {
        var output = new StringWriter();
        var admin = AdminAccount.Resolve(new DarwinGridWebOptions { StateDirectory = _home, AdminPassword = "chosen-password" }, new FirstRunNotice(output), NullLogger.Instance);
        Assert.True(PasswordHashing.Verify(admin.PasswordHash, "chosen-password"));
        Assert.False(PasswordHashing.Verify(admin.PasswordHash, "chosen-passwore"));
        Assert.Equal("", output.ToString());
        Assert.False(File.Exists(Path.Combine(_home, AdminAccount.FileName)));
    }

    [Theory]
    [InlineData("viewer", null, "plain", "Users:0 (alice): a plain Password is not accepted")]
    [InlineData("viewer", "not-a-hash", null, "Users:0 (alice): PasswordHash is missing")]
    [InlineData("root", "HASH", null, "Users:0 (alice): role 'root' is not one of viewer, operator, admin")]
    public void BadUsersAreRefusedWithTheEntryNamed(string role, string? hash, string? password, string expected)
    {
        var options = new DarwinGridWebOptions
        {
            AdminPassword = "x-admin-password", Users = [new WebUserOptions { Name = "alice", Role = role, PasswordHash = hash == "HASH" ? PasswordHashing.Hash("pw") : hash, Password = password }],
        };
        var e = Assert.Throws<InvalidOperationException>(() => new DashboardUserStore(Options.Create(options), new FirstRunNotice(TextWriter.Null), NullLogger<DashboardUserStore>.Instance));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(null, null, "give exactly one of KeyHash (preferred) and Key")]
    [InlineData("short", null, "use at least 16")]
    [InlineData(null, "abc", "KeyHash must be 64 hex digits")]
    public void BadApiKeysAreRefusedWithTheEntryNamed(string? key, string? hash, string expected)
    {
        var options = new DarwinGridWebOptions { ApiKeys = [new ApiKeyOptions { Name = "svc", Role = "viewer", Key = key, KeyHash = hash }] };
        var e = Assert.Throws<InvalidOperationException>(() => new ApiKeyStore(Options.Create(options)));
        Assert.Contains("ApiKeys:0 (svc)", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AKeyIsFoundByItsHashAndAnotherKeyIsNot()
    {
        var key = ApiKeyStore.NewKey();
        var store = new ApiKeyStore(Options.Create(new DarwinGridWebOptions
        {
            ApiKeys = [new ApiKeyOptions { Name = "svc", Role = "Operator", KeyHash = ApiKeyStore.HashHex(key) }],
        }));
        Assert.Equal(new ApiKeyIdentity("svc", DashboardRoles.Operator), store.Find(key));
        Assert.Null(store.Find(key + "x"));
        Assert.Null(store.Find(""));
    }
}
