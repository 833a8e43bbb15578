namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>Stream versions as HTTP entity tags: <c>"7"</c> (strong, quoted).</summary>
public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    public static void Set(HttpContext context, long version) => context.Response.Headers.ETag = For(version);
}
