using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Pare.Cell.Api.Cases.Profile;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using SkiaSharp;

namespace Pare.Cell.Api.Tests.Photos;

[Collection(ApiCollection.Name)]
public sealed class PhotoApiTests(PareApp app)
{
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid caseId, long version, byte[] bytes, string fileName, string contentType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var form = new MultipartFormDataContent { { file, "photo", fileName } };
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/cases/{caseId}/profile/photo") { Content = form };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task An_uploaded_photo_is_re_encoded_without_metadata_size_limited_versioned_with_the_profile_and_every_read_journaled()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        // 3000 × 2000 as stored, shown upright as 2000 × 3000 (EXIF orientation 6: turn 90° clockwise).
        var original = TestImages.JpegWithMetadata(3000, 2000, orientation: 6, gpsText: "GPS 45.18851N 5.72455E");

        var uploaded = await UploadAsync(worker, opened.Id, opened.Version, original, "IMG_0042.JPG", "image/jpeg");
        uploaded.StatusCode.ShouldBe(HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync());
        uploaded.Headers.ETag!.Tag.ShouldBe("\"2\"");
        var photo = (await uploaded.ReadAsync<MinorProfileView>()).Profile.Photo!;
        (photo.Width, photo.Height).ShouldBe((1067, 1600));

        var read = await worker.GetAsync($"/api/v1/cases/{opened.Id}/photos/{photo.Id}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        read.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        var stored = await read.Content.ReadAsByteArrayAsync();
        using (var codec = SKCodec.Create(new SKMemoryStream(stored)))
        {
            (codec.Info.Width, codec.Info.Height).ShouldBe((1067, 1600));
            codec.EncodedOrigin.ShouldBe(SKEncodedOrigin.TopLeft);
        }
        var text = Encoding.Latin1.GetString(stored);
        text.ShouldNotContain("Exif");
        text.ShouldNotContain("45.18851");
        var thumbnail = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/photos/{photo.Id}?size=thumbnail")).Content.ReadAsByteArrayAsync();
        using (var codec = SKCodec.Create(new SKMemoryStream(thumbnail))) Math.Max(codec.Info.Width, codec.Info.Height).ShouldBe(320);
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'photo.read'", opened.Id)).ShouldBe(2);
        (await app.ScalarAsync("select count(*) from pare.case_photos where case_id = $1 and cell_id = 'cell-a'", opened.Id)).ShouldBe(1);

        // A profile update keeps the photo; removing it is a new version; the old photo stays readable by its id.
        (await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", new { phones = new[] { "0611111111" } }, 2)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var history = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/profile")).ReadAsync<MinorProfileHistory>();
        history.Current.Profile.Photo!.Id.ShouldBe(photo.Id);
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/cases/{opened.Id}/profile/photo"))
        {
            delete.Headers.TryAddWithoutValidation("If-Match", "\"3\"");
            (await worker.SendAsync(delete)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        history = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/profile")).ReadAsync<MinorProfileHistory>();
        history.Current.Profile.Photo.ShouldBeNull();
        history.History.Select(h => h.Profile.Photo?.Id).ShouldBe([null, photo.Id, photo.Id]);
        (await worker.GetAsync($"/api/v1/cases/{opened.Id}/photos/{photo.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Another cell sees nothing, and that read is not journaled.
        (await app.Worker(PareApp.CellB).GetAsync($"/api/v1/cases/{opened.Id}/photos/{photo.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and cell_id = $2", opened.Id, PareApp.CellB)).ShouldBe(0);
    }

    [Fact]
    public async Task PNG_and_WebP_are_accepted_and_re_encoded_as_JPEG()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var png = await UploadAsync(worker, opened.Id, 1, TestImages.Png(640, 480), "photo.png", "image/png");
        png.StatusCode.ShouldBe(HttpStatusCode.OK, await png.Content.ReadAsStringAsync());
        var webp = await UploadAsync(worker, opened.Id, 2, TestImages.Webp(800, 600), "photo.webp", "image/webp");
        webp.StatusCode.ShouldBe(HttpStatusCode.OK, await webp.Content.ReadAsStringAsync());
        var photo = (await webp.ReadAsync<MinorProfileView>()).Profile.Photo!;
        var bytes = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/photos/{photo.Id}")).Content.ReadAsByteArrayAsync();
        bytes[..3].ShouldBe(new byte[] { 0xFF, 0xD8, 0xFF });
    }

    public static TheoryData<string, string, string> Hostile => new()
    {
        { "bomb: 20,000 × 20,000 PNG of a few kB", "bomb.png", "image/png" },
        { "100,000 × 100,000 header", "huge.png", "image/png" },
        { "PNG too large to decode whole", "big.png", "image/png" },
        { "truncated JPEG", "cut.jpg", "image/jpeg" },
        { "JPEG with a ZIP appended", "poly.jpg", "image/jpeg" },
        { "JPEG with HTML in a comment", "html.jpg", "image/jpeg" },
        { "PNG named .jpg", "photo.jpg", "image/jpeg" },
        { "JPEG declared as PNG", "photo.png", "image/png" },
        { "text named .jpg", "notes.jpg", "image/jpeg" },
        { "HEIC", "IMG_0001.HEIC", "image/heic" },
        { "JPEG named .exe", "photo.exe", "application/octet-stream" },
        { "PNG header then garbage", "garbage.png", "image/png" },
    };

    private static byte[] HostileBytes(string label) => label switch
    {
        "bomb: 20,000 × 20,000 PNG of a few kB" => TestImages.PngHeader(20_000, 20_000),
        "100,000 × 100,000 header" => TestImages.PngHeader(100_000, 100_000),
        "PNG too large to decode whole" => TestImages.PngHeader(6_000, 6_000),
        "truncated JPEG" => TestImages.Jpeg(800, 600)[..3000],
        "JPEG with a ZIP appended" => TestImages.WithZipAppended(TestImages.Jpeg(200, 200)),
        "JPEG with HTML in a comment" => [0xFF, 0xD8, 0xFF, 0xFE, 0, 30, .. "<html><script>x</script>   "u8.ToArray(), .. TestImages.Jpeg(200, 200)[2..]],
        "PNG named .jpg" => TestImages.Png(100, 100),
        "JPEG declared as PNG" => TestImages.Jpeg(100, 100),
        "text named .jpg" => "Not an image at all"u8.ToArray(),
        "HEIC" => TestImages.Heic(),
        "JPEG named .exe" => TestImages.Jpeg(100, 100),
        "PNG header then garbage" => [.. TestImages.PngHeader(100, 100)[..33], .. Enumerable.Repeat((byte)0xAB, 500)],
        _ => throw new ArgumentOutOfRangeException(nameof(label)),
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_file_is_a_400_naming_the_photo_and_changes_nothing(string label, string fileName, string contentType)
    {
        var worker = app.Worker(language: "fr");
        var opened = await worker.OpenCaseAsync();
        var events = await app.EventCountAsync();

        var response = await UploadAsync(worker, opened.Id, opened.Version, HostileBytes(label), fileName, contentType);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{label}: {await response.Content.ReadAsStringAsync()}");
        (await response.ProblemFieldsAsync()).Keys.ShouldBe(["photo"]);
        (await app.EventCountAsync()).ShouldBe(events);
        (await app.ScalarAsync("select count(*) from pare.case_photos where case_id = $1", opened.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Over_10_MB_is_refused_and_a_photo_needs_If_Match()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var tooBig = await UploadAsync(worker, opened.Id, 1, new byte[11 * 1024 * 1024], "big.jpg", "image/jpeg");
        ((int)tooBig.StatusCode).ShouldBeOneOf(400, 413);

        var file = new ByteArrayContent(TestImages.Jpeg(100, 100));
        using var form = new MultipartFormDataContent { { file, "photo", "p.jpg" } };
        (await worker.PutAsync($"/api/v1/cases/{opened.Id}/profile/photo", form)).StatusCode.ShouldBe((HttpStatusCode)428);
    }
}
