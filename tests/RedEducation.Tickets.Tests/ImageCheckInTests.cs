using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RedEducation.Server.Tickets;

namespace RedEducation.Tickets.Tests;

public sealed class ImageCheckInTests(TicketServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Photos() => ["scaled-down", "scaled-up", "rotated-90", "rotated-17", "blurred", "noisy", "jpeg-q35", "rotated-blurred-noisy-jpeg"];

    private static byte[] Make(string kind, byte[] png)
    {
        var clean = Photo.FromPng(png);
        return kind switch
        {
            "scaled-down" => clean.Scale(0.55).Png(),
            "scaled-up" => clean.Scale(2.3).Png(),
            "rotated-90" => clean.Rotate(90).Png(),
            "rotated-17" => clean.Rotate(17).Png(),
            "blurred" => clean.Blur(2).Png(),
            "noisy" => clean.Noise(40, seed: 7).Png(),
            "jpeg-q35" => clean.Jpeg(35),
            "rotated-blurred-noisy-jpeg" => clean.Scale(1.4).Rotate(-11).Blur(1).Noise(25, seed: 3).Jpeg(60),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    [Theory]
    [MemberData(nameof(Photos))]
    public async Task CheckInImage_PhotoOfTheTicket_DecodedAndAdmitted(string kind)
    {
        var booking = await server.BookAsync(5);
        var unit = await server.SignInAsync("unit1");
        var png = await unit.GetByteArrayAsync(new Uri($"/api/bookings/{Desk.Id(booking)}/ticket.png", UriKind.Relative), Ct);
        var photo = Make(kind, png);
        server.AtVisit();

        var response = await PostImageAsync(photo, kind.Contains("jpeg", StringComparison.Ordinal) ? "image/jpeg" : "image/png", admit: 2);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TicketServer.JsonAsync(response);
        Assert.Equal(Desk.Id(booking), body["bookingId"]!.GetValue<string>());
        Assert.Equal(2, body["admitted"]!.GetValue<int>());
    }

    [Fact]
    public async Task CheckInImage_NoQrCodeOrNotAnImage_Unprocessable()
    {
        server.AtVisit();
        var blank = Photo.FromPng(QrImages.Png("X")).Scale(0.1).Noise(60, seed: 1).Png();

        var noQr = await PostImageAsync(blank, "image/png", admit: 1);
        var garbage = await PostImageAsync("this is not an image"u8.ToArray(), "image/png", admit: 1);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noQr.StatusCode);
        Assert.EndsWith("/no-qr-code", Desk.ProblemType(await TicketServer.JsonAsync(noQr)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, garbage.StatusCode);
    }

    [Fact]
    public async Task CheckInImage_QrOfAForgedCode_RefusedAsInvalid()
    {
        server.AtVisit();

        var response = await PostImageAsync(QrImages.Png(new string('B', 154)), "image/png", admit: 1);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.EndsWith("/invalid-code", Desk.ProblemType(await TicketServer.JsonAsync(response)));
    }

    private async Task<HttpResponseMessage> PostImageAsync(byte[] image, string contentType, int admit)
    {
        var staff = await server.SignInAsync("staff-liaoshen-memorial");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "image", "photo");
        form.Add(new StringContent(admit.ToString(System.Globalization.CultureInfo.InvariantCulture)), "admit");
        return await staff.PostAsync(new Uri($"/api/venues/{TicketServer.Venue}/checkins/image", UriKind.Relative), form, Ct);
    }
}
