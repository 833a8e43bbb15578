using System.Net;
using MimeKit;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Photos;

[Collection(AlertingCollection.Name)]
public sealed class PhotoAlertTests(AlertingApp app)
{
    [Fact]
    public async Task The_prosecutor_alert_carries_the_photo_and_the_aliases_and_the_photo_read_is_journaled()
    {
        var cell = $"cell-ph-{Guid.NewGuid():N}"[..18];
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Zoé", "Photographiée", "2013-03-09"));
        (await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", new { aliases = new[] { "Zozo" } }, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var uploaded = await PhotoApiTests.UploadAsync(worker, opened.Id, 2, TestImages.JpegWithMetadata(1200, 900, 1, "GPS 48.8566N"), "zoe.jpg", "image/jpeg");
        uploaded.StatusCode.ShouldBe(HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync());

        await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-1));
        var email = await app.Smtp.WaitForAsync(m => m.Subject!.Contains(opened.Reference));

        var attachment = email.Attachments.OfType<MimePart>().ShouldHaveSingleItem();
        attachment.ContentType.MimeType.ShouldBe("image/jpeg");
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        content.ToArray()[..3].ShouldBe(new byte[] { 0xFF, 0xD8, 0xFF });
        System.Text.Encoding.Latin1.GetString(content.ToArray()).ShouldNotContain("48.8566");
        email.TextBody!.ShouldContain("Zozo");
        email.HtmlBody!.ShouldContain("Zozo");
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'photo.alert-attachment'", opened.Id))
            .ShouldBeGreaterThanOrEqualTo(1);
    }
}
