using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RedEducation.Server.Tests.Infrastructure;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

/// <summary>
/// A corpus of bad input against every route of <see cref="RouteTable"/> (itself checked against the server's endpoints):
/// malformed JSON, wrong JSON types, zero, negative and huge numbers, far dates, path tricks, very long ids, wrong content
/// types and bodies over the limit. Each request is sent as a caller the route admits, so the input, not the role, is
/// what is judged. Every answer must be a 4xx problem document (the ContractGuard of every test client fails any 5xx and
/// any error that is not one), and the server's state must be the same before and after each route's refused requests.
/// A 2xx is accepted only for the inputs listed in <see cref="Valid"/>, which are in fact valid.
/// </summary>
[Collection(SecuritySuite.Name)]
public sealed partial class BadInputCorpusTests(SecurityServer server)
{
    /// <summary>Who sends each route's corpus: the first caller, in this order, that the route admits.</summary>
    private static readonly Who[] Senders = [Who.Admin, Who.Staff, Who.Unit, Who.Planner, Who.Anonymous];

    private static readonly string[] PathTricks =
    [
        "no-such-id", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fkeys", "a%00b", "%00", "%F0%9F%98%80", "-1",
        "99999999999999999999", "%252e%252e%252f", "CON", new string('a', 4096), "x%20y", "%E7%BA%A2%E8%89%B2",
    ];

    private static readonly string[] Malformed =
    [
        "{", "}", "[", "nul", "{\"a\":}", "{'single':'quotes'}", "{\"a\":1,}", "\u0000", "{\"a\":\"\\uZZZZ\"}",
        new string('[', 10_000) + new string(']', 10_000), "{\"a\":" + new string('1', 100_000) + "}",
    ];

    private static readonly JsonNode?[] Numbers = [0, -1, 2_147_483_648L, -2_147_483_649L, 1e308, 1.5, -0.0];

    private static readonly string[] Dates = ["0001-01-01", "9999-12-31", "1900-01-01", "2026-02-30", "2026-13-01", "", "today", "2026-1-1", "2026-01-01T00:00:00Z"];

    private static readonly string[] Texts =
    [
        "王老师👨‍👩‍👧‍👦", "\u202Eevil\u202C", "zero\u200Bwidth", "a\u0000b", "\uD800", "<script>alert(1)</script>",
        "'; DROP TABLE bookings; --", "=cmd|' /C calc'!A0", new string('长', 5000),
    ];

    private static readonly string[] ContentTypes = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "application/octet-stream"];

    /// <summary>
    /// Inputs of the corpus that are valid, so that a 2xx is right. Keyed by route and case name; each says why.
    /// </summary>
    private static readonly Dictionary<string, string> Valid = new()
    {
        // Names are free text in any script; emoji, bidi marks and markup are stored and shown as text, never run.
        ["text:contactName"] = "a contact's name is any text of 1-100 characters",
        ["text:displayName"] = "a display name is any text of 1-100 characters",
        ["text:name"] = "a study route's name is any text of 1-100 characters",
        ["text:desk"] = "a desk's label is free text of 1-64 characters",
        ["text:notes"] = "notes are free text up to 2000 characters",
        ["text:nonce"] = "a nonce is any string of 1-128 characters",
        ["text:password"] = "a password may be any text (sign-in answers 401, which is not a 2xx; creation checks strength)",
        // Any well-formed calendar day can be read (availability, occupancy, check-ins); far days are closed or empty.
        // AvailabilityTests asserts the same. Booking such a day is refused (too-soon, too-far-ahead).
        ["query:date=0001-01-01"] = "a well-formed date, however far back, names a day that can be read",
        ["query:date=9999-12-31"] = "a well-formed date, however far ahead, names a day that can be read",
        ["query:date=1900-01-01"] = "a well-formed date, however far back, names a day that can be read",
        // A unit id is an opaque name: a well-formed one that no unit uses lists no bookings (malformed ones are refused).
        ["query:unitId=no-such-id"] = "a well-formed unit id of no unit: an empty list",
        ["query:unitId=9999999999999999"] = "a well-formed unit id of no unit: an empty list",
        ["query:unitId=1e308"] = "a well-formed unit id of no unit: an empty list",
        // A desk uploads whatever its camera read: the sync answers each scan, an unreadable code as invalid-code (logged);
        // a single check-in answers such a code with 422.
        ["text:code"] = "a scanned code is any text; the sync judges it per item",
        ["unknown-id:code"] = "a scanned code is any text; the sync judges it per item",
        // Planning books nothing; like availability it can be asked for any calendar day.
        ["date:date=9999-12-31"] = "a plan for a well-formed day, however far ahead, is a read",
        // Filters of the audit query are free text; one that matches nothing gives an empty page.
        ["query:actor="] = "an actor filter matching nobody answers an empty page",
        ["query:action="] = "an action filter matching nothing answers an empty page",
    };

    [Fact]
    public async Task Corpus_EveryRoute_AnswersEveryBadInputWith4xxAndChangesNothing()
    {
        using var world = await SecurityWorld.CreateAsync(server);
        var mapped = AccessMatrixTests.MappedRoutes(server);
        var accepted = new List<string>();
        var sent = 0;
        foreach (var row in RouteTable.Rows(world))
        {
            Assert.Contains(row.Route, mapped);
            var who = Senders.First(w => RouteTable.IsAllowed(row.Expect(w)));
            var client = world.Client(who);
            using var bare = new HttpClient { BaseAddress = server.BaseAddress };
            bare.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
            var cases = Cases(row.Route, await row.Request(who)).ToList();
            // The invalid inputs first, between two snapshots; then those that are in fact valid, which may change state.
            var before = await world.SnapshotAsync();
            foreach (var bad in cases.Where(c => !IsValid(c)))
            {
                sent++;
                if (await SendAsync(client, bare, bad) is { } status and >= 200 and < 300)
                {
                    accepted.Add($"{row.Route} [{bad.Name}] as {who}: {status}");
                }
            }
            var after = await world.SnapshotAsync();
            var changed = before.Select(p => p.Key).Where(k => !JsonNode.DeepEquals(before[k], after[k]) && !(Scans(row.Route) && k is "audit" or "checkins/today")).ToList();
            Assert.True(changed.Count == 0, $"{row.Route}: a refused request changed {string.Join(", ", changed)}; accepted so far:\n{string.Join("\n", accepted)}");
            foreach (var valid in cases.Where(IsValid))
            {
                sent++;
                await SendAsync(client, bare, valid);
            }
        }

        Assert.True(accepted.Count == 0, $"{accepted.Count} bad inputs accepted:\n{string.Join("\n", accepted)}");
        Assert.True(sent > 1000, $"only {sent} requests");
    }

    /// <summary>
    /// Scan routes record every scan that reaches a ticket check, refusals included, in the day's check-in log (which the
    /// audit reads): a refused scan adds a log line by design, and must change nothing else (no arrivals, no bookings).
    /// </summary>
    private static bool Scans(string route) => route.StartsWith("POST /api/venues/{venueId}/checkins", StringComparison.Ordinal);

    private static bool IsValid(Bad bad) => Valid.Keys.Any(k => bad.Name.StartsWith(k, StringComparison.Ordinal));

    /// <summary>
    /// Sends one case; any status but a 2xx must be a 4xx (the client's ContractGuard checks the problem document).
    /// A NUL in the path is the exception: Kestrel refuses such a request line itself, with a bare 400, before any of the
    /// application runs, so no problem document can be written; those cases go through a client without the guard and
    /// must get exactly that 400.
    /// </summary>
    private static async Task<int> SendAsync(HttpClient client, HttpClient bare, Bad bad)
    {
        using var request = bad.ToRequest();
        if (bad.Name.Contains("%00", StringComparison.Ordinal))
        {
            using var refused = await bare.SendAsync(request, Ct);
            Assert.True(refused.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{bad.Name}: {(int)refused.StatusCode}");
            return 400;
        }
        using var response = await client.SendAsync(request, Ct);
        var status = (int)response.StatusCode;
        Assert.True(status is (>= 200 and < 300) or (>= 400 and < 500), $"{bad.Name}: {status}");
        return status;
    }

    /// <summary>The bad variants of one route's valid request.</summary>
    private static IEnumerable<Bad> Cases(string route, Probe probe)
    {
        var pattern = route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        var (path, query) = Split(probe.Path);

        // Path tricks in every route parameter.
        var patternSegments = pattern.Split('/');
        var pathSegments = path.Split('/');
        for (var i = 0; i < patternSegments.Length && i < pathSegments.Length; i++)
        {
            if (!patternSegments[i].Contains('{', StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var trick in PathTricks)
            {
                var segments = (string[])pathSegments.Clone();
                segments[i] = ParameterPattern().Replace(patternSegments[i], trick);
                yield return new Bad($"path:{trick[..Math.Min(trick.Length, 24)]}", probe with { Path = string.Join('/', segments) + query });
            }
        }

        // Bad values in every query parameter; dates far back, far ahead and malformed.
        var parameters = System.Web.HttpUtility.ParseQueryString(query);
        foreach (var name in parameters.AllKeys.OfType<string>())
        {
            var values = name is "date" or "from" or "to" ? Dates : [.. PathTricks, "", "1e308", "-1"];
            foreach (var value in values)
            {
                var changed = System.Web.HttpUtility.ParseQueryString(query);
                changed[name] = value;
                yield return new Bad($"query:{name}={value[..Math.Min(value.Length, 16)]}", probe with { Path = path + "?" + changed });
            }
        }

        if (probe.ImageBytes is not null)
        {
            yield return new Bad("image:too-large", probe with { ImageBytes = new byte[11 << 20] });
            yield return new Bad("image:empty", probe with { ImageBytes = [] });
            yield return new Bad("image:json", probe with { ImageBytes = null, Body = new JsonObject { ["image"] = "AAAA" } });
            yield break;
        }
        if (probe.Body is null)
        {
            // The route takes no body (a read, a cancel, a key rotation): there is no body to get wrong.
            yield break;
        }

        // The body: malformed, of the wrong kind, too large, of the wrong content type.
        foreach (var text in Malformed)
        {
            yield return new Bad($"malformed:{text[..Math.Min(text.Length, 12)]}", probe with { Body = null, RawBody = text });
        }
        yield return new Bad("body:empty", probe with { Body = null, RawBody = "" });
        yield return new Bad("body:too-large", probe with { Body = null, RawBody = "{\"a\":\"" + new string('x', 2 << 20) + "\"}" });
        foreach (var kind in Kinds())
        {
            if (Kind(probe.Body) != Kind(kind))
            {
                yield return new Bad($"body:{kind.GetValueKind()}", probe with { Body = kind });
            }
        }
        foreach (var type in ContentTypes)
        {
            yield return new Bad($"content-type:{type}", probe with { ContentType = type, Body = null, RawBody = probe.Body.ToJsonString() });
        }

        // Every field of the body: the wrong JSON kind, bad numbers, bad dates, and (valid for free text) unusual text.
        foreach (var (field, value, replace) in Fields(probe.Body))
        {
            foreach (var kind in Kinds().Where(k => Kind(k) != Kind(value)))
            {
                yield return new Bad($"type:{field}:{kind.GetValueKind()}", probe with { Body = replace(kind) });
            }
            if (value?.GetValueKind() is System.Text.Json.JsonValueKind.Number)
            {
                foreach (var number in Numbers)
                {
                    yield return new Bad($"number:{field}={number}", probe with { Body = replace(number?.DeepClone()) });
                }
            }
            if (value?.GetValueKind() is System.Text.Json.JsonValueKind.String)
            {
                var values = field is "date" || field.EndsWith("At", StringComparison.Ordinal) ? Dates : Texts;
                foreach (var text in values)
                {
                    yield return new Bad(values == Texts ? $"text:{field}" : $"date:{field}={text}", probe with { Body = replace(text) });
                }
                yield return new Bad($"unknown-id:{field}", probe with { Body = replace("no-such-" + new string('z', 200)) });
            }
        }
    }

    /// <summary>Every string, number and boolean in the body, with a function that makes a copy of the body with it replaced.</summary>
    private static IEnumerable<(string Field, JsonNode? Value, Func<JsonNode?, JsonNode> Replace)> Fields(JsonNode? body)
    {
        if (body is null)
        {
            yield break;
        }
        foreach (var (pathTo, value) in Leaves(body, []))
        {
            var field = pathTo.OfType<string>().LastOrDefault() ?? "item";
            yield return (field, value, replacement =>
            {
                var copy = body.DeepClone();
                var parent = copy;
                foreach (var step in pathTo[..^1])
                {
                    parent = step is string name ? parent![name] : parent![(int)step];
                }
                if (pathTo[^1] is string last)
                {
                    parent![last] = replacement;
                }
                else
                {
                    parent!.AsArray()[(int)pathTo[^1]] = replacement;
                }
                return copy;
            });
        }
    }

    private static IEnumerable<(object[] Path, JsonNode? Value)> Leaves(JsonNode node, object[] path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    if (child is JsonObject or JsonArray)
                    {
                        foreach (var leaf in Leaves(child, [.. path, name]))
                        {
                            yield return leaf;
                        }
                    }
                    yield return ([.. path, name], child);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonObject or JsonArray)
                    {
                        foreach (var leaf in Leaves(a[i]!, [.. path, i]))
                        {
                            yield return leaf;
                        }
                    }
                }
                break;
        }
    }

    /// <summary>The JSON kind of a value, true and false being one kind (a boolean).</summary>
    private static System.Text.Json.JsonValueKind? Kind(JsonNode? node) =>
        node?.GetValueKind() is System.Text.Json.JsonValueKind.True ? System.Text.Json.JsonValueKind.False : node?.GetValueKind();

    private static JsonNode[] Kinds() => ["text", 7, true, new JsonArray(), new JsonObject()];

    private static (string Path, string Query) Split(string path) =>
        path.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? (path[..q], path[q..]) : (path, "");

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex ParameterPattern();

    /// <summary>One bad request: its case name and what is sent.</summary>
    private sealed record Bad(string Name, Probe Probe)
    {
        public HttpRequestMessage ToRequest() => Probe.ToRequest();
    }
}
