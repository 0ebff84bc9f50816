using RedEducation.Geo.Testing;

namespace RedEducation.Geo.Tests;

public sealed class RouterCorrectnessTests
{
    private static readonly Lazy<(RoadGraph Graph, Router Router)> Grid = new(() =>
    {
        var graph = SyntheticRoads.Grid(140, 140, seed: 7);
        return (graph, Router.Create(graph));
    });

    [Theory]
    [InlineData(RouteMetric.Time)]
    [InlineData(RouteMetric.Distance)]
    public void NodeToNodeCost_MonacoRandomPairs_EqualsPlainDijkstra(RouteMetric metric)
    {
        AssertSameAsDijkstra(GeoData.MonacoGraph, GeoData.MonacoRouter, metric, pairs: 400, seed: 11);
    }

    [Theory]
    [InlineData(RouteMetric.Time)]
    [InlineData(RouteMetric.Distance)]
    public void NodeToNodeCost_GeneratedGridRandomPairs_EqualsPlainDijkstra(RouteMetric metric)
    {
        var (graph, router) = Grid.Value;
        Assert.True(graph.NodeCount >= 19_000);
        AssertSameAsDijkstra(graph, router, metric, pairs: 300, seed: 5);
    }

    [Fact]
    public void ShortestBetweenNodes_GeneratedGrid_RouteLengthAndTimeMatchDijkstraRoute()
    {
        var (graph, router) = Grid.Value;
        var dijkstra = new DijkstraRouter(graph);
        var random = new Random(3);
        for (var i = 0; i < 50; i++)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var (a, b) = (random.Next(graph.NodeCount), random.Next(graph.NodeCount));
            var ours = router.ShortestBetweenNodes(a, b, RouteMetric.Distance);
            var baseline = dijkstra.ShortestBetweenNodes(a, b, RouteMetric.Distance);
            Assert.Equal(baseline is null, ours is null);
            if (ours is null || baseline is null)
            {
                continue;
            }

            // Equal-cost ties may pick different paths; lengths agree to the centimetre rounding of each edge.
            Assert.Equal(baseline.DistanceMeters, ours.DistanceMeters, tolerance: 0.01 * (ours.Geometry.NumPoints + 1));
            Assert.Equal(graph.NodeCoordinate(a), ours.Geometry.Coordinates[0]);
            Assert.Equal(graph.NodeCoordinate(b), ours.Geometry.Coordinates[^1]);
        }
    }

    private static void AssertSameAsDijkstra(RoadGraph graph, Router router, RouteMetric metric, int pairs, int seed)
    {
        var dijkstra = new DijkstraRouter(graph);
        var random = new Random(seed);
        var reachable = 0;
        for (var i = 0; i < pairs; i++)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var (a, b) = (random.Next(graph.NodeCount), random.Next(graph.NodeCount));
            var expected = dijkstra.NodeToNodeCost(a, b, metric);
            var actual = router.NodeToNodeCost(a, b, metric);
            Assert.True(expected == actual, $"pair {i}: {a} -> {b}: Dijkstra {expected}, router {actual}");
            reachable += expected.HasValue ? 1 : 0;
        }

        Assert.True(reachable > pairs / 2, $"only {reachable} of {pairs} pairs reachable");
    }
}
