namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// <c>dotnet Pare.Cell.Api.dll --health-probe</c>: the container health check, for images that
/// ship no curl. Asks this instance's <c>/health/ready</c>; exit code 0 when ready.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync()
    {
        var url = (Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? "http://localhost:8080").Split(';')[0]
            .Replace("+", "localhost", StringComparison.Ordinal)
            .Replace("*", "localhost", StringComparison.Ordinal)
            .Replace("0.0.0.0", "localhost", StringComparison.Ordinal);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            var response = await client.GetAsync(new Uri(new Uri(url), "/health/ready"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
