using RedEducation.Deployment.Tests.Checks;
using RedEducation.Deployment.Tests.Infrastructure;

namespace RedEducation.Deployment.Tests;

/// <summary>Labels, selectors, downward API and RBAC against what Orleans Kubernetes hosting does.</summary>
public sealed class ClusterTests
{
    [Fact]
    public void Labels_ShippedManifests_SelectTheirPodsAndNameTheConfiguredCluster() =>
        Assert.Empty(ClusterChecks.Labels(Repository.Manifests()));

    [Fact]
    public void Labels_DeploymentSelectorDiffersFromPodLabels_Reported()
    {
        Repository.AssertReported(b => ClusterChecks.Labels(b), "spec.selector does not match the pod template's labels",
            ("silo.yaml", "    matchLabels:\n      app.kubernetes.io/name: rededucation-silo\n  strategy:", "    matchLabels:\n      app.kubernetes.io/name: silo\n  strategy:"));
    }

    [Fact]
    public void Labels_ClusterIdLabelDiffersFromConfiguration_Reported()
    {
        Repository.AssertReported(b => ClusterChecks.Labels(b), "pod label orleans/clusterId is 'rededucation-dev', but the silo is configured with 'rededucation-prod'",
            ("silo.yaml", "orleans/clusterId: rededucation-prod", "orleans/clusterId: rededucation-dev"));
    }

    [Fact]
    public void Labels_FrontEndPodsWithOrleansLabels_Reported()
    {
        Repository.AssertReported(b => ClusterChecks.Labels(b), "runs no silo but carries both orleans labels",
            ("frontend.yaml",
            "        app.kubernetes.io/name: rededucation-frontend\n        app.kubernetes.io/part-of: rededucation\n    spec:",
            "        app.kubernetes.io/name: rededucation-frontend\n        app.kubernetes.io/part-of: rededucation\n        orleans/serviceId: rededucation\n        orleans/clusterId: rededucation-prod\n    spec:"));
    }

    [Fact]
    public void Labels_DisruptionBudgetSelectsNothing_Reported()
    {
        Repository.AssertReported(b => ClusterChecks.Labels(b), "PodDisruptionBudget rededucation-silo: selects the pods of 0 workloads",
            ("silo.yaml", "  minAvailable: 2\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: rededucation-silo", "  minAvailable: 2\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: rededucation-silos"));
    }

    [Fact]
    public void DownwardApi_ShippedManifests_GiveSilosTheirPodFields() =>
        Assert.Empty(ClusterChecks.DownwardApiEnvironment(Repository.Manifests()));

    [Fact]
    public void DownwardApi_PodIpFromTheWrongField_Reported()
    {
        Repository.AssertReported(b => ClusterChecks.DownwardApiEnvironment(b), "POD_IP must come from the pod field status.podIP",
            ("silo.yaml", "fieldPath: status.podIP", "fieldPath: status.hostIP"));
    }

    [Fact]
    public void PodVerbsUsedByHosting_ReadFromThePackage_FindTheWatchingAndDeleting()
    {
        var verbs = ClusterChecks.PodVerbsUsedByHosting();
        Assert.Superset(new SortedSet<string>(["get", "list", "watch", "delete"], StringComparer.Ordinal), new SortedSet<string>(verbs, StringComparer.Ordinal));
    }

    [Fact]
    public void Rbac_ShippedManifests_GrantEveryVerbTheHostingPackageUses() =>
        Assert.Empty(ClusterChecks.Rbac(Repository.Manifests(), ClusterChecks.PodVerbsUsedByHosting()));

    [Fact]
    public void Rbac_DeleteNotGranted_Reported()
    {
        Repository.AssertReported(b => ClusterChecks.Rbac(b, ClusterChecks.PodVerbsUsedByHosting()), "may not delete pods",
            ("rbac.yaml", "verbs: [\"get\", \"list\", \"watch\", \"patch\", \"delete\"]", "verbs: [\"get\", \"list\", \"watch\", \"patch\"]"));
    }

    [Fact]
    public void Rbac_RoleBoundToAnotherAccount_Reported()
    {
        Repository.AssertReported(b => ClusterChecks.Rbac(b, ClusterChecks.PodVerbsUsedByHosting()), "service account rededucation-silo may not",
            ("rbac.yaml", "  - kind: ServiceAccount\n    name: rededucation-silo", "  - kind: ServiceAccount\n    name: default"));
    }
}
