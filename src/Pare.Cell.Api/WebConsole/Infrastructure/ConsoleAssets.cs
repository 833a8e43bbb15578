using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// The console's stylesheet and script, embedded in the assembly and served under <c>/app/static</c> with
/// a content hash in their URL: cached for a year, replaced the moment they change. Two small files, no
/// bundle: a poor connection loads them once.
/// </summary>
public sealed class ConsoleAssets
{
    public IFileProvider Files { get; } = new EmbeddedFileProvider(typeof(ConsoleAssets).Assembly, "Pare.Cell.Api.WebConsole.Assets");

    private readonly ConcurrentDictionary<string, string> _urls = new();

    public string Url(string file) => _urls.GetOrAdd(file, name =>
    {
        var info = Files.GetFileInfo(name);
        if (!info.Exists) throw new InvalidOperationException($"No console asset named {name}.");
        using var stream = info.CreateReadStream();
        var hash = Convert.ToHexString(SHA256.HashData(stream))[..12].ToLowerInvariant();
        return $"{ConsolePaths.Static}/{name}?v={hash}";
    });

    public StaticFileOptions StaticFileOptions => new()
    {
        RequestPath = ConsolePaths.Static,
        FileProvider = Files,
        OnPrepareResponse = context =>
            context.Context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=31536000, immutable",
    };
}
