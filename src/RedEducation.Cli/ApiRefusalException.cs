using System.Net;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

/// <summary>The server answered with an error status; <see cref="Problem"/> is its problem document when it sent one.</summary>
public sealed class ApiRefusalException : Exception
{
    public ApiRefusalException()
    {
    }

    public ApiRefusalException(string message)
        : base(message)
    {
    }

    public ApiRefusalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ApiRefusalException(HttpStatusCode status, string body, JsonObject? problem)
        : base($"the server answered {(int)status}")
    {
        Status = status;
        Body = body;
        Problem = problem;
    }

    public HttpStatusCode Status { get; }

    public string Body { get; } = "";

    public JsonObject? Problem { get; }

    /// <summary>The WWW-Authenticate challenge of a 401, which says why the token was refused (e.g. that it expired).</summary>
    public string? Challenge { get; init; }

    /// <summary>How long a 429 asks the client to wait (its Retry-After), when it says.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
