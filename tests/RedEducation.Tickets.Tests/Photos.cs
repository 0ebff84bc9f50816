using StbImageSharp;
using StbImageWriteSharp;

namespace RedEducation.Tickets.Tests;

/// <summary>Turns a clean ticket PNG into the kind of picture a phone camera takes: scaled, turned, blurred, noisy, JPEG.</summary>
internal sealed class Photo
{
    private Photo(byte[] rgb, int width, int height)
    {
        Rgb = rgb;
        Width = width;
        Height = height;
    }

    public byte[] Rgb { get; }
    public int Width { get; }
    public int Height { get; }

    public static Photo FromPng(byte[] png)
    {
        var image = ImageResult.FromMemory(png, StbImageSharp.ColorComponents.RedGreenBlue);
        return new Photo(image.Data, image.Width, image.Height);
    }

    public Photo Scale(double factor)
    {
        var w = Math.Max(1, (int)(Width * factor));
        var h = Math.Max(1, (int)(Height * factor));
        return Map(w, h, (x, y) => Sample(x / factor, y / factor));
    }

    /// <summary>Turns the picture by <paramref name="degrees"/> about its centre onto a larger light-grey canvas.</summary>
    public Photo Rotate(double degrees)
    {
        var a = degrees * Math.PI / 180;
        var (cos, sin) = (Math.Cos(a), Math.Sin(a));
        var size = (int)Math.Ceiling(Math.Sqrt(Width * Width + Height * Height)) + 20;
        double cx = Width / 2.0, cy = Height / 2.0, c = size / 2.0;
        return Map(size, size, (x, y) =>
        {
            var dx = x - c;
            var dy = y - c;
            return Sample(cos * dx + sin * dy + cx, -sin * dx + cos * dy + cy);
        });
    }

    public Photo Blur(int radius)
    {
        var source = this;
        return Map(Width, Height, (x, y) =>
        {
            var sum = 0.0;
            var n = 0;
            for (var dy = -radius; dy <= radius; dy++)
            {
                for (var dx = -radius; dx <= radius; dx++)
                {
                    sum += source.Pixel((int)x + dx, (int)y + dy);
                    n++;
                }
            }
            return sum / n;
        });
    }

    public Photo Noise(double sigma, int seed)
    {
        var random = new Random(seed);
        return Map(Width, Height, (x, y) =>
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Pixel((int)x, (int)y) + sigma * gaussian;
        });
    }

    public byte[] Png()
    {
        using var stream = new MemoryStream();
        new ImageWriter().WritePng(Rgb, Width, Height, StbImageWriteSharp.ColorComponents.RedGreenBlue, stream);
        return stream.ToArray();
    }

    public byte[] Jpeg(int quality)
    {
        using var stream = new MemoryStream();
        new ImageWriter().WriteJpg(Rgb, Width, Height, StbImageWriteSharp.ColorComponents.RedGreenBlue, stream, quality);
        return stream.ToArray();
    }

    /// <summary>Grey level at a pixel; outside the picture is the light grey of a table top.</summary>
    private double Pixel(int x, int y) =>
        x < 0 || y < 0 || x >= Width || y >= Height ? 200 : Rgb[(y * Width + x) * 3];

    private double Sample(double x, double y)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        return Pixel(x0, y0) * (1 - fx) * (1 - fy) + Pixel(x0 + 1, y0) * fx * (1 - fy)
            + Pixel(x0, y0 + 1) * (1 - fx) * fy + Pixel(x0 + 1, y0 + 1) * fx * fy;
    }

    private static Photo Map(int width, int height, Func<double, double, double> grey)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = (byte)Math.Clamp(Math.Round(grey(x, y)), 0, 255);
                var i = (y * width + x) * 3;
                rgb[i] = rgb[i + 1] = rgb[i + 2] = v;
            }
        }
        return new Photo(rgb, width, height);
    }
}
