using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RedEducation.Tickets.Tests;

/// <summary>A venue desk as tests drive it: scan a code, read what came back.</summary>
internal static class Desk
{
    public static async Task<(HttpStatusCode Status, JsonObject Body)> ScanAsync(
        HttpClient staff, string code, int? admit, string? nonce = null, string venue = TicketServer.Venue)
    {
        var response = await staff.PostAsJsonAsync($"/api/venues/{venue}/checkins", new { code, admit, nonce });
        return (response.StatusCode, await TicketServer.JsonAsync(response));
    }

    public static string? ProblemType(JsonObject body) => body["type"]?.GetValue<string>();

    public static string Code(JsonObject booking) => booking["ticket"]!["code"]!.GetValue<string>();

    public static string Id(JsonObject booking) => booking["id"]!.GetValue<string>();
}
