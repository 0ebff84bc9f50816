using RedEducation.Deployment.Tests.Checks;
using RedEducation.Deployment.Tests.Infrastructure;

namespace RedEducation.Deployment.Tests;

/// <summary>The Dockerfile, the kustomization and the secret template.</summary>
public sealed class ImageTests
{
    [Fact]
    public void Dockerfile_Shipped_PublishesAndStartsTheServerAsNonRoot() =>
        Assert.Empty(ImageChecks.Dockerfile(Repository.Manifests(), Repository.Root));

    [Fact]
    public void Dockerfile_EntrypointNamesAnotherAssembly_Reported()
    {
        Repository.AssertReported(b => ImageChecks.Dockerfile(b, Repository.Root), "does not start RedEducation.Server.dll",
            ("Dockerfile", "\"RedEducation.Server.dll\"", "\"RedEducation.Api.dll\""));
    }

    [Fact]
    public void Dockerfile_RunsAsRoot_Reported()
    {
        Repository.AssertReported(b => ImageChecks.Dockerfile(b, Repository.Root), "the image runs as root",
            ("Dockerfile", "USER $APP_UID", "USER root"));
    }

    [Fact]
    public void Dockerfile_PublishesAProjectThatDoesNotExist_Reported()
    {
        Repository.AssertReported(b => ImageChecks.Dockerfile(b, Repository.Root), "not a project of the repository",
            ("Dockerfile", "dotnet publish src/RedEducation.Server/RedEducation.Server.csproj", "dotnet publish src/RedEducation.Web/RedEducation.Web.csproj"));
    }

    [Fact]
    public void Kustomization_Shipped_ListsEveryManifestButTheTemplates() =>
        Assert.Empty(ImageChecks.Kustomization(Repository.Manifests()));

    [Fact]
    public void Kustomization_ManifestLeftOut_Reported()
    {
        Repository.AssertReported(b => ImageChecks.Kustomization(b), "redis.yaml is not listed",
            ("kustomization.yaml", "  - redis.yaml\n", ""));
    }

    [Fact]
    public void SecretTemplate_Shipped_HoldsOnlyPlaceholders() =>
        Assert.Empty(ImageChecks.SecretTemplate(Repository.Manifests()));

    [Fact]
    public void SecretTemplate_RealPassword_Reported()
    {
        Repository.AssertReported(b => ImageChecks.SecretTemplate(b), "RedEducation__AdminPassword holds a value",
            ("secret.template.yaml", "RedEducation__AdminPassword: \"CHANGE-ME\"", "RedEducation__AdminPassword: \"hunter2\""));
    }
}
