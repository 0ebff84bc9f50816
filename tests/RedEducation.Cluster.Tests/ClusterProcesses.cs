namespace RedEducation.Cluster.Tests;

/// <summary>
/// Every class here starts its own server processes: they run one class at a time, so that a failover is measured on a
/// machine not also busy starting another cluster.
/// </summary>
public static class ClusterProcesses
{
    public const string Collection = "cluster processes";
}
