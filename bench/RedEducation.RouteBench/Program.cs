using RedEducation.Geo;
using RedEducation.Geo.Testing;

var g = GeoData.MonacoGraph;
var p = 7;
var (a, b) = (g.PieceFrom[p], g.PieceTo[p]);
Console.WriteLine($"piece {p} {a}->{b} len {g.PieceLength[p]} fwd {g.PieceForwardEdge[p]} bwd {g.PieceBackwardEdge[p]} osm {g.OsmNodeId(a)} {g.OsmNodeId(b)}");
var d = new DijkstraRouter(g);
Console.WriteLine($"dijkstra b->a {d.NodeToNodeCost(b, a, RouteMetric.Distance)} a->b {d.NodeToNodeCost(a, b, RouteMetric.Distance)}");
var r = d.ShortestBetweenNodes(b, a, RouteMetric.Distance);
Console.WriteLine(r?.Geometry);
foreach (var e in Enumerable.Range(g.FirstEdge[b], g.FirstEdge[b + 1] - g.FirstEdge[b])) Console.WriteLine($"edge {e} -> {g.EdgeTarget[e]} piece {g.EdgePiece[e]} len {g.EdgeLength[e]}");
