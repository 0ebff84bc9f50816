using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

/// <summary>One run of a command: where the server is, how to print, the stored token, and the HTTP calls.</summary>
public sealed class Session(Uri server, bool json, TokenStore tokens, TextWriter output, TextWriter error, CancellationToken cancellationToken) : IDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private HttpClient? _http;

    public Uri Server { get; } = server;

    /// <summary>Print the server's JSON unchanged instead of text.</summary>
    public bool Json { get; } = json;

    public TokenStore Tokens { get; } = tokens;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    private HttpClient Http => _http ??= CreateClient();

    public void Dispose() => _http?.Dispose();

    public Task<Reply> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, null, accept);

    public Task<Reply> PostAsync(string path, object? body, string? idempotencyKey = null, string? accept = null) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonContent(body), accept, idempotencyKey);

    public Task<Reply> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, JsonContent(body), null);

    public Task<Reply> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null, null);

    public Task<Reply> PostContentAsync(string path, HttpContent content) => SendAsync(HttpMethod.Post, path, content, null);

    /// <summary>Prints the reply's JSON exactly as the server sent it.</summary>
    public int WriteJson(Reply reply)
    {
        Out.WriteLine(reply.Text);
        return ExitCodes.Ok;
    }

    public static string Escape(string value) => Uri.EscapeDataString(value);

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, Web), Encoding.UTF8, "application/json");

    private async Task<Reply> SendAsync(HttpMethod method, string path, HttpContent? content, string? accept, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (Tokens.Read() is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await Http.SendAsync(request, CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(CancellationToken);
        var reply = new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, bytes);
        if (!response.IsSuccessStatusCode)
        {
            throw new ApiRefusalException(response.StatusCode, reply.Text, reply.TryJson() as JsonObject)
            {
                Challenge = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString())),
                RetryAfter = response.Headers.RetryAfter?.Delta,
            };
        }
        return reply;
    }

    private HttpClient CreateClient() => new() { BaseAddress = Server, Timeout = TimeSpan.FromSeconds(100) };

    /// <summary>Reports a refusal the way a person reads it (or the problem document itself under --json) and picks the exit code.</summary>
    public int Report(ApiRefusalException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var code = (int)refusal.Status >= 500 ? ExitCodes.ServerFault : ExitCodes.Refused;
        if (Json && refusal.Problem is not null)
        {
            Out.WriteLine(refusal.Body);
        }
        var problem = refusal.Problem;
        var title = (string?)problem?["title"] ?? refusal.Status.ToString();
        Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"错误 error {(int)refusal.Status}: {title}"));
        if ((string?)problem?["detail"] is { Length: > 0 } detail)
        {
            Error.WriteLine($"  说明 detail: {detail}");
        }
        if (problem?["errors"] is JsonObject errors)
        {
            foreach (var (field, messages) in errors)
            {
                var text = messages is JsonArray list ? string.Join("; ", list.Select(m => m?.ToString())) : messages?.ToString();
                Error.WriteLine($"  {field}: {text}");
            }
        }
        foreach (var extra in new[] { "reason", "venueId", "stop" })
        {
            if (problem?[extra] is { } value)
            {
                Error.WriteLine($"  {extra}: {value.ToJsonString()}");
            }
        }
        if ((string?)problem?["type"] is { Length: > 0 } type)
        {
            Error.WriteLine($"  类型 type: {type}");
        }
        if (refusal.Status == HttpStatusCode.TooManyRequests)
        {
            Error.WriteLine(refusal.RetryAfter is { } wait
                ? string.Create(CultureInfo.InvariantCulture, $"  稍后重试 try again in {Math.Ceiling(wait.TotalSeconds)} s")
                : "  稍后重试 try again shortly");
        }
        if (refusal.Status == HttpStatusCode.Unauthorized)
        {
            Error.WriteLine(SignInAdvice(refusal.Challenge));
        }
        return code;
    }

    /// <summary>
    /// Why a 401 happened, from what the server said (its WWW-Authenticate challenge) and the stored token's own expiry:
    /// not signed in, signed in but the sign-in has expired, or a token this server does not accept.
    /// </summary>
    private string SignInAdvice(string? challenge)
    {
        if (Tokens.Read() is not { } token)
        {
            return "  先登录 sign in first: redu login <user>";
        }
        var claims = TokenStore.Claims(token);
        var user = claims?["sub"]?.ToString() is { Length: > 0 } sub ? sub : "<user>";
        var expiresAt = TokenStore.ExpiresAt(claims);
        if (expiresAt <= DateTimeOffset.UtcNow || challenge?.Contains("expired", StringComparison.OrdinalIgnoreCase) == true)
        {
            var when = expiresAt is { } at ? string.Create(CultureInfo.InvariantCulture, $" at {at.ToLocalTime():yyyy-MM-dd HH:mm zzz}") : "";
            return $"  登录已过期 your sign-in expired{when}; sign in again: redu login {user}";
        }
        return $"  服务器不接受已保存的令牌 the server does not accept the stored token (another server's, or its key changed); sign in again: redu login {user}";
    }

    public int Unreachable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Error.WriteLine($"无法连接服务器 cannot reach the server at {Server}: {exception.Message}");
        Error.WriteLine("  检查地址 check --server or REDU_SERVER, and that the server runs (dotnet run --project src/RedEducation.Server)");
        return ExitCodes.Unreachable;
    }
}

/// <summary>A successful answer: its status, media type and body.</summary>
public sealed class Reply(HttpStatusCode status, string? mediaType, byte[] bytes)
{
    public HttpStatusCode Status { get; } = status;

    public string? MediaType { get; } = mediaType;

    public IReadOnlyList<byte> Bytes => bytes;

    public byte[] ToArray() => [.. bytes];

    public string Text => Encoding.UTF8.GetString(bytes);

    public JsonNode Node => TryJson() ?? throw new InvalidDataException($"the server sent no JSON ({MediaType})");

    public JsonNode? TryJson()
    {
        if (bytes.Length == 0)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
