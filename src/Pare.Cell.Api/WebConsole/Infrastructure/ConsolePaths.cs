namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>Where the console lives: every page under <c>/app</c>, its stylesheet and script under <c>/app/static</c>.</summary>
public static class ConsolePaths
{
    public const string Root = "/app";
    public const string Static = "/app/static";
    public const string Live = "/app/maintenant/flux";

    public static bool IsConsole(this HttpRequest request) => request.Path.StartsWithSegments(Root);

    public static bool IsConsoleAsset(this HttpRequest request) => request.Path.StartsWithSegments(Static);

    public static bool IsLive(HttpRequest request) => request.Path.StartsWithSegments(Live);
}
