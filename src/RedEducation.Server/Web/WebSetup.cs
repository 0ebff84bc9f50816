using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace RedEducation.Server.Web;

/// <summary>
/// The web pages: plain files from WebApp/ beside the binary (the libraries under /vendor come from npm at build time),
/// one page per kind of user — / (sign in), /unit/, /staff/, /planner/, /admin/.
/// </summary>
public static class WebSetup
{
    /// <summary>Everything the pages load comes from this server: no CDN, no map tiles, nothing inline but styles.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; media-src 'self' blob:; " +
        "connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static void MapRedEducationWeb(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "WebApp");
        if (!Directory.Exists(root))
        {
            return;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Revalidate every time (ETag makes that cheap), so a new release is seen at once.
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                if (context.File.Name.EndsWith(".html", StringComparison.Ordinal))
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers[HeaderNames.XFrameOptions] = "DENY";
                }
            },
        });
    }
}
