using RedEducation.Deployment.Tests.Checks;
using RedEducation.Deployment.Tests.Infrastructure;

namespace RedEducation.Deployment.Tests;

/// <summary>The manifests' settings, ports and key mounts against RedEducationOptions and appsettings.json.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void OptionKeys_ShippedManifests_NameRealOptionsWithValuesOfTheirKind() =>
        Assert.Empty(ConfigurationChecks.OptionKeys(Repository.Manifests()));

    [Fact]
    public void OptionKeys_ShippedManifests_CoverTheProductionSettings()
    {
        var keys = Repository.Manifests().OfKind("ConfigMap").Concat(Repository.Manifests().OfKind("Secret"))
            .SelectMany(Container.DataOf).Select(d => d.Key).ToHashSet();
        foreach (var key in new[] { "Storage", "PostgresConnectionString", "Clustering", "RedisConnectionString", "ServiceId", "ClusterId", "KeyDirectory", "AdminPassword" })
        {
            Assert.Contains(OptionKeys.Prefix + key, keys);
        }
    }

    [Fact]
    public void OptionKeys_KeyOfNoOption_Reported()
    {
        Repository.AssertReported(b => ConfigurationChecks.OptionKeys(b), "RedEducation__ClusterMode names no setting",
            ("config.yaml", "RedEducation__Clustering:", "RedEducation__ClusterMode:"));
    }

    [Fact]
    public void OptionKeys_EnumValueNotDefined_Reported()
    {
        Repository.AssertReported(b => ConfigurationChecks.OptionKeys(b), "RedEducation__Storage=PostgreSQL is not a StorageKind",
            ("config.yaml", "RedEducation__Storage: Postgres", "RedEducation__Storage: PostgreSQL"));
    }

    [Fact]
    public void OptionKeys_PortNotANumber_Reported()
    {
        Repository.AssertReported(b => ConfigurationChecks.OptionKeys(b), "RedEducation__GatewayPort=gateway is not a whole number",
            ("config.yaml", "RedEducation__GatewayPort: \"30000\"", "RedEducation__GatewayPort: gateway"));
    }

    [Fact]
    public void OptionKeys_PortOutOfRange_Reported()
    {
        Repository.AssertReported(b => ConfigurationChecks.OptionKeys(b), "RedEducation__SiloPort=111111",
            ("config.yaml", "RedEducation__SiloPort: \"11111\"", "RedEducation__SiloPort: \"111111\""));
    }

    [Fact]
    public void Binding_ShippedManifests_BindAndValidateAsAtStartUp() =>
        Assert.Empty(ConfigurationChecks.Binding(Repository.Manifests()));

    [Fact]
    public void Binding_PostgresWithoutConnectionString_Reported()
    {
        Repository.AssertReported(b => ConfigurationChecks.Binding(b), "PostgresConnectionString is required",
            ("secret.template.yaml",
            "RedEducation__PostgresConnectionString: \"Host=postgres;Port=5432;Database=rededucation;Username=rededucation;Password=CHANGE-ME\"",
            "RedEducation__PostgresConnectionString: \"\""));
    }

    [Fact]
    public void Ports_ShippedManifests_AreThePortsTheServerListensOn() =>
        Assert.Empty(ConfigurationChecks.Ports(Repository.Manifests()));

    [Fact]
    public void Ports_SiloPortChangedInConfigurationOnly_Reported()
    {
        Repository.AssertReported(b => ConfigurationChecks.Ports(b), "container port silo is 11111, but the server listens on 11112",
            ("config.yaml", "RedEducation__SiloPort: \"11111\"", "RedEducation__SiloPort: \"11112\""));
    }

    [Fact]
    public void Ports_UrlsOnLocalhost_Reported()
    {
        Repository.AssertReported(b => ConfigurationChecks.Ports(b), "listens on localhost only",
            ("config.yaml", "Urls: http://+:8080", "Urls: http://localhost:8080"));
    }

    [Fact]
    public void Ports_AspNetCoreUrlsWithoutUrls_ReportedBecauseAppSettingsOutranksIt()
    {
        // ASPNETCORE_URLS is a host setting; the Urls of appsettings.json (localhost:5080) is read after it and wins.
        Repository.AssertReported(b => ConfigurationChecks.Ports(b), "Urls=http://localhost:5080: the server listens on localhost only",
            ("config.yaml", "Urls: http://+:8080", "ASPNETCORE_URLS: http://+:8080"),
            ("Dockerfile", "ENV Urls=http://+:8080 \\", "ENV \\"));
    }

    [Fact]
    public void Ports_ServiceTargetsAPortThePodsLack_Reported()
    {
        Repository.AssertReported(b => ConfigurationChecks.Ports(b), "targetPort web is no port",
            ("frontend.yaml", "targetPort: http", "targetPort: web"));
    }

    [Fact]
    public void Ports_ContainerPortNotExposedByTheImage_Reported()
    {
        Repository.AssertReported(b => ConfigurationChecks.Ports(b), "port gateway (30000) is not EXPOSEd",
            ("Dockerfile", "EXPOSE 8080 11111 30000", "EXPOSE 8080 11111"));
    }

    [Fact]
    public void KeyMounts_ShippedManifests_MountTheKeysSecretReadOnlyAtTheKeyDirectory() =>
        Assert.Empty(ConfigurationChecks.KeyMounts(Repository.Manifests()));

    [Fact]
    public void KeyMounts_MountedElsewhere_Reported()
    {
        Repository.AssertReported(b => ConfigurationChecks.KeyMounts(b), "nothing from a Secret is mounted at the key directory",
            ("silo.yaml", "mountPath: /etc/rededucation/keys", "mountPath: /etc/keys"));
    }
}
