using System.Globalization;
using Npgsql;
using OsmSharp;
using OsmSharp.Streams;
using RedEducation.Testing;

namespace RedEducation.Geo.Testing;

/// <summary>
/// Monaco loaded into pgRouting on a throwaway PostgreSQL: the PBF is converted to .osm XML with osmium, imported
/// with osm2pgrouting (car mapconfig), and queried with pgr_dijkstra on costs built here from <c>length_m</c> and
/// <c>one_way</c> (1 = forward only, -1 = backward only), not osm2pgrouting's <c>cost</c> columns, whose units vary
/// by version. Only the classes our importer keeps are given to pgr_dijkstra (no motorway_junction, no road).
/// </summary>
public sealed class PgRoutingMonaco : IDisposable
{
    public const string EdgesSql =
        "SELECT w.gid AS id, w.source, w.target, " +
        "CASE WHEN w.one_way = -1 THEN -1 ELSE w.length_m END AS cost, " +
        "CASE WHEN w.one_way = 1 THEN -1 ELSE w.length_m END AS reverse_cost " +
        "FROM ways w JOIN configuration c ON c.tag_id = w.tag_id " +
        "WHERE c.tag_value IN ('motorway','motorway_link','trunk','trunk_link','primary','primary_link','secondary'," +
        "'secondary_link','tertiary','tertiary_link','residential','living_street','service','unclassified')";

    private readonly ThrowawayPostgres server;
    private readonly NpgsqlConnection connection;

    private PgRoutingMonaco(ThrowawayPostgres server, NpgsqlConnection connection)
    {
        this.server = server;
        this.connection = connection;
    }

    public static PgRoutingMonaco Start()
    {
        var server = ThrowawayPostgres.Start();
        try
        {
            using (var admin = new NpgsqlConnection(server.ConnectionString()))
            {
                admin.Open();
                using var create = new NpgsqlCommand("CREATE DATABASE routing", admin);
                create.ExecuteNonQuery();
            }

            var connection = new NpgsqlConnection(server.ConnectionString("routing"));
            connection.Open();
            using (var extensions = new NpgsqlCommand("CREATE EXTENSION postgis; CREATE EXTENSION pgrouting;", connection))
            {
                extensions.ExecuteNonQuery();
            }

            var osm = Path.Combine(server.Root, "monaco.osm");
            Shell.Run("osmium", ["cat", GeoData.MonacoPbfPath, "-o", osm, "--overwrite"]);
            Shell.Run("osm2pgrouting", ["-f", osm, "-c", "/usr/share/osm2pgrouting/mapconfig_for_cars.xml", "-d", "routing",
                "-U", "postgres", "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "--clean"], server.Root);
            return new PgRoutingMonaco(server, connection);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>pgRouting vertices as (vertex id, OSM node id).</summary>
    public List<(long Id, long OsmId)> Vertices()
    {
        using var command = new NpgsqlCommand("SELECT id, osm_id FROM ways_vertices_pgr WHERE osm_id IS NOT NULL ORDER BY id", connection);
        using var reader = command.ExecuteReader();
        var list = new List<(long, long)>();
        while (reader.Read())
        {
            list.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return list;
    }

    /// <summary>The length in metres of pgr_dijkstra's path (directed), or null when it finds none.</summary>
    public double? DijkstraLength(long source, long target)
    {
        using var command = new NpgsqlCommand("SELECT sum(cost) FROM pgr_dijkstra($1, $2, $3, directed := true)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = EdgesSql });
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = target });
        var result = command.ExecuteScalar();
        return result is DBNull or null ? null : Convert.ToDouble(result, CultureInfo.InvariantCulture);
    }

    /// <summary>The OSM way ids along pgr_dijkstra's path.</summary>
    public List<long> DijkstraWays(long source, long target)
    {
        using var command = new NpgsqlCommand(
            "SELECT w.osm_id FROM pgr_dijkstra($1, $2, $3, directed := true) d JOIN ways w ON w.gid = d.edge ORDER BY d.seq", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = EdgesSql });
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = target });
        using var reader = command.ExecuteReader();
        var list = new List<long>();
        while (reader.Read())
        {
            list.Add(reader.GetInt64(0));
        }

        return list;
    }

    /// <summary>Tags of some OSM ways, read from the PBF (to explain why the two routers differ).</summary>
    public static Dictionary<long, Dictionary<string, string>> WayTags(IReadOnlySet<long> ids)
    {
        using var file = File.OpenRead(GeoData.MonacoPbfPath);
        var tags = new Dictionary<long, Dictionary<string, string>>();
        foreach (var geo in new PBFOsmStreamSource(file))
        {
            if (geo is Way { Id: { } id } way && ids.Contains(id))
            {
                tags[id] = way.Tags.ToDictionary(t => t.Key, t => t.Value);
            }
        }

        return tags;
    }

    public void Dispose()
    {
        connection.Dispose();
        server.Dispose();
    }
}
