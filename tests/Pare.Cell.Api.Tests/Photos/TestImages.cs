using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace Pare.Cell.Api.Tests.Photos;

/// <summary>Images made on the spot: honest ones, with metadata to strip, and hostile ones.</summary>
public static class TestImages
{
    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg);

    public static byte[] Png(int width, int height) => Encode(width, height, SKEncodedImageFormat.Png);

    public static byte[] Webp(int width, int height) => Encode(width, height, SKEncodedImageFormat.Webp);

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SteelBlue);
            using var paint = new SKPaint { Color = SKColors.Orange };
            canvas.DrawRect(0, 0, width / 2f, height / 3f, paint); // top-left: tells orientation apart
        }
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>A JPEG with an EXIF block (orientation, and a GPS position in its text) and a comment, as phones write them.</summary>
    public static byte[] JpegWithMetadata(int width, int height, ushort orientation, string gpsText)
    {
        var jpeg = Jpeg(width, height);
        var tiff = new List<byte>();
        tiff.AddRange("II*\0"u8.ToArray());
        tiff.AddRange(BitConverter.GetBytes(8u));
        tiff.AddRange(BitConverter.GetBytes((ushort)1)); // one entry: orientation
        tiff.AddRange(BitConverter.GetBytes((ushort)0x0112));
        tiff.AddRange(BitConverter.GetBytes((ushort)3));
        tiff.AddRange(BitConverter.GetBytes(1u));
        tiff.AddRange(BitConverter.GetBytes((uint)orientation));
        tiff.AddRange(BitConverter.GetBytes(0u));
        tiff.AddRange(Encoding.ASCII.GetBytes(gpsText));
        var exif = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var comment = Encoding.ASCII.GetBytes($"Taken at {gpsText}");
        return [.. jpeg[..2], .. Segment(0xE1, exif), .. Segment(0xFE, comment), .. jpeg[2..]];
    }

    private static byte[] Segment(byte marker, byte[] payload)
    {
        var length = payload.Length + 2;
        return [0xFF, marker, (byte)(length >> 8), (byte)length, .. payload];
    }

    /// <summary>A PNG that says it is width × height, with a few bytes of compressed zeros: a decompression bomb.</summary>
    public static byte[] PngHeader(int width, int height)
    {
        var png = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        var ihdr = new List<byte>();
        ihdr.AddRange(BigEndian((uint)width));
        ihdr.AddRange(BigEndian((uint)height));
        ihdr.AddRange([8, 6, 0, 0, 0]); // 8 bits, RGBA
        png.AddRange(Chunk("IHDR", [.. ihdr]));
        using var zipped = new MemoryStream();
        using (var z = new ZLibStream(zipped, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(new byte[1 << 20]);
        png.AddRange(Chunk("IDAT", zipped.ToArray()));
        png.AddRange(Chunk("IEND", []));
        return [.. png];
    }

    public static byte[] WithZipAppended(byte[] image)
    {
        using var archive = new MemoryStream();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = new StreamWriter(zip.CreateEntry("payload.html").Open())) entry.Write("<p>hello</p>");
        return [.. image, .. archive.ToArray()];
    }

    public static byte[] Heic() => [0, 0, 0, 24, .. "ftypheic"u8.ToArray(), 0, 0, 0, 0, .. "mif1heic"u8.ToArray(), .. new byte[64]];

    private static byte[] Chunk(string type, byte[] data)
    {
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        return [.. BigEndian((uint)data.Length), .. typed, .. BigEndian(Crc32(typed))];
    }

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
