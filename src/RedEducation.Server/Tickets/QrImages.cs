using QRCoder;
using StbImageSharp;
using ZXing;
using ZXing.Common;

namespace RedEducation.Server.Tickets;

/// <summary>QR codes of ticket codes: drawn with QRCoder, read back from photos with ZXing over pixels decoded by StbImageSharp.</summary>
public static class QrImages
{
    public static byte[] Png(string text, int pixelsPerModule = 8)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    public static string Svg(string text, int pixelsPerModule = 8)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(pixelsPerModule);
    }

    /// <summary>The QR version QRCoder chooses for <paramref name="text"/> at error correction M.</summary>
    public static int Version(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return data.Version;
    }

    /// <summary>Pictures larger than this (a 12-megapixel phone photo is well under) are not decoded: a tiny compressed file could otherwise claim gigabytes of pixels.</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>The text of the first QR code found in a PNG or JPEG, or null when the image holds none, is not an image or is too large.</summary>
    public static string? Decode(byte[] image)
    {
        ImageResult pixels;
        try
        {
            using var header = new MemoryStream(image, writable: false);
            if (ImageInfo.FromStream(header) is not { } info || (long)info.Width * info.Height > MaxPixels)
            {
                return null;
            }
            pixels = ImageResult.FromMemory(image, ColorComponents.RedGreenBlue);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            return null; // StbImageSharp reports undecodable input in several ways
        }
        if (pixels is null || pixels.Width <= 0 || pixels.Height <= 0)
        {
            return null;
        }
        var source = new RGBLuminanceSource(pixels.Data, pixels.Width, pixels.Height, RGBLuminanceSource.BitmapFormat.RGB24);
        var reader = new BarcodeReaderGeneric
        {
            AutoRotate = true,
            Options = new DecodingOptions
            {
                PossibleFormats = [BarcodeFormat.QR_CODE],
                TryHarder = true,
                TryInverted = true,
            },
        };
        return reader.Decode(source)?.Text;
    }
}
