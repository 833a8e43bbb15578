using System.Text;
using Pare.Cell.Domain.Common;
using SkiaSharp;

namespace Pare.Cell.Api.Photos;

/// <summary>A photo as it is kept: a re-encoded JPEG (no metadata left) and its thumbnail.</summary>
public sealed record ProcessedPhoto(byte[] Image, int Width, int Height, byte[] Thumbnail);

/// <summary>Why an uploaded file is refused (400, naming the field): never a 500, whatever the bytes.</summary>
public sealed class PhotoRejectedException(Bilingual reason) : Exception(reason.English)
{
    public Bilingual Reason { get; } = reason;
}

/// <summary>
/// Turns an uploaded file into the profile's photo. Only JPEG, PNG and WebP are read (SkiaSharp's
/// own decoders; its Linux build has no HEIC decoder, so a HEIC file is refused with that reason).
/// The file's real format (its first bytes) must be what its name and type say. Files carrying
/// another format's markers (a ZIP or PDF appended, HTML or script inside) are refused as polyglots.
/// The dimensions are read from the header before anything is decoded: a "100,000 × 100,000" PNG
/// of a few hundred bytes, or any decompression bomb, is refused before a pixel is allocated; a
/// JPEG is decoded already scaled down. The pixels are then re-encoded as a new JPEG (at most
/// 1600 px a side, and a 320 px thumbnail): EXIF, GPS, ICC and comments are not carried over,
/// the EXIF orientation is applied to the pixels first.
/// </summary>
public static class PhotoImages
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxSide = 1600;
    public const int ThumbnailSide = 320;
    private const int MaxHeaderSide = 16_000;
    private const long MaxHeaderPixels = 100_000_000;
    /// <summary>The most pixels ever decoded (64 MB as RGBA): PNG and WebP are decoded whole, JPEG scaled.</summary>
    private const long MaxDecodedPixels = 16_000_000;

    public static readonly Bilingual NotAnImage = new("The file is not a JPEG, PNG or WebP image.", "Le fichier n'est pas une image JPEG, PNG ou WebP.");
    public static readonly Bilingual Heic = new("HEIC photos cannot be read here: send a JPEG (phones convert when sharing).",
        "Les photos HEIC ne peuvent pas être lues ici : envoyez un JPEG (les téléphones convertissent au partage).");
    public static readonly Bilingual WrongType = new("The file's content does not match its name or declared type.", "Le contenu du fichier ne correspond pas à son nom ou à son type déclaré.");
    public static readonly Bilingual Polyglot = new("The file carries data of another format besides the image.", "Le fichier contient des données d'un autre format en plus de l'image.");
    public static readonly Bilingual TooLarge = new("The image's dimensions are too large (at most 16,000 px a side and 100 megapixels; 16 megapixels for PNG and WebP).",
        "Les dimensions de l'image sont trop grandes (16 000 px de côté et 100 mégapixels au plus ; 16 mégapixels pour le PNG et le WebP).");
    public static readonly Bilingual Damaged = new("The image is truncated or damaged.", "L'image est tronquée ou endommagée.");

    public enum Format { Jpeg, Png, Webp, Heic }

    /// <param name="fileName">As uploaded; its extension must agree with the content.</param>
    /// <param name="declaredType">The part's Content-Type; when present it must agree too.</param>
    public static ProcessedPhoto Process(byte[] bytes, string? fileName, string? declaredType)
    {
        var actual = Sniff(bytes) ?? throw new PhotoRejectedException(NotAnImage);
        if (actual == Format.Heic) throw new PhotoRejectedException(Heic);
        if (FromExtension(fileName) is { } named && named != actual) throw new PhotoRejectedException(WrongType);
        if (FromMediaType(declaredType) is { } declared && declared != actual) throw new PhotoRejectedException(WrongType);
        if (LooksPolyglot(bytes)) throw new PhotoRejectedException(Polyglot);

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw new PhotoRejectedException(Damaged);
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || info.Width > MaxHeaderSide || info.Height > MaxHeaderSide
            || (long)info.Width * info.Height > MaxHeaderPixels)
            throw new PhotoRejectedException(TooLarge);

        // JPEG decodes at 1/2, 1/4 or 1/8 directly: ask for no more than twice the kept size.
        var wanted = Math.Min(1f, 2f * MaxSide / Math.Max(info.Width, info.Height));
        var size = codec.GetScaledDimensions(wanted);
        if ((long)size.Width * size.Height > MaxDecodedPixels) throw new PhotoRejectedException(TooLarge);

        using var decoded = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result != SKCodecResult.Success) throw new PhotoRejectedException(Damaged);

        using var upright = Orient(decoded, codec.EncodedOrigin);
        var image = Encode(upright, MaxSide, 85, out var width, out var height);
        var thumbnail = Encode(upright, ThumbnailSide, 80, out _, out _);
        return new ProcessedPhoto(image, width, height, thumbnail);
    }

    public static Format? Sniff(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return Format.Jpeg;
        if (b.Length >= 8 && b[..8].SequenceEqual<byte>([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Format.Png;
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return Format.Webp;
        if (b.Length >= 12 && b[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(b[8..12]);
            if (brand is "heic" or "heix" or "hevc" or "heim" or "heis" or "mif1" or "msf1") return Format.Heic;
        }
        return null;
    }

    private static Format? FromExtension(string? fileName) => Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
    {
        "" => null,
        ".jpg" or ".jpeg" or ".jfif" => Format.Jpeg,
        ".png" => Format.Png,
        ".webp" => Format.Webp,
        ".heic" or ".heif" => Format.Heic,
        _ => throw new PhotoRejectedException(WrongType),
    };

    private static Format? FromMediaType(string? type) => (type ?? "").Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "" or "application/octet-stream" => null,
        "image/jpeg" or "image/jpg" or "image/pjpeg" => Format.Jpeg,
        "image/png" => Format.Png,
        "image/webp" => Format.Webp,
        "image/heic" or "image/heif" => Format.Heic,
        _ => throw new PhotoRejectedException(WrongType),
    };

    /// <summary>
    /// Another format's markers: markup or script anywhere (a JPEG comment holding HTML), a PDF
    /// header, or a ZIP's entry and directory signatures together (a JAR or archive appended).
    /// </summary>
    private static bool LooksPolyglot(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf("%PDF-"u8) >= 0) return true;
        if (bytes.IndexOf("PK\u0003\u0004"u8) >= 0 && bytes.IndexOf("PK\u0005\u0006"u8) >= 0) return true;
        foreach (var marker in Markup)
            if (IndexOfIgnoreCase(bytes, marker)) return true;
        return false;
    }

    private static readonly byte[][] Markup = [.. new[] { "<script", "<html", "<?php", "<svg", "<!doctype", "<iframe", "javascript:" }.Select(Encoding.ASCII.GetBytes)];

    private static bool IndexOfIgnoreCase(ReadOnlySpan<byte> bytes, byte[] marker)
    {
        var first = marker[0];
        for (var i = bytes.IndexOf(first); i >= 0 && i + marker.Length <= bytes.Length;)
        {
            var match = true;
            for (var j = 1; j < marker.Length && match; j++) match = char.ToLowerInvariant((char)bytes[i + j]) == marker[j];
            if (match) return true;
            var next = bytes[(i + 1)..].IndexOf(first);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return false;
    }

    /// <summary>The pixels turned as the EXIF orientation says, since the orientation tag itself is not kept.</summary>
    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        float w = source.Width, h = source.Height;
        // x' = a·x + b·y + c, y' = d·x + e·y + f: where each source pixel lands once upright.
        (float A, float B, float C, float D, float E, float F) m = origin switch
        {
            SKEncodedOrigin.TopRight => (-1, 0, w, 0, 1, 0),
            SKEncodedOrigin.BottomRight => (-1, 0, w, 0, -1, h),
            SKEncodedOrigin.BottomLeft => (1, 0, 0, 0, -1, h),
            SKEncodedOrigin.LeftTop => (0, 1, 0, 1, 0, 0),
            SKEncodedOrigin.RightTop => (0, -1, h, 1, 0, 0),
            SKEncodedOrigin.RightBottom => (0, -1, h, -1, 0, w),
            SKEncodedOrigin.LeftBottom => (0, 1, 0, -1, 0, w),
            _ => (1, 0, 0, 0, 1, 0),
        };
        var turned = m.A == 0;
        var result = new SKBitmap(turned ? source.Height : source.Width, turned ? source.Width : source.Height, source.ColorType, source.AlphaType);
        using var canvas = new SKCanvas(result);
        canvas.SetMatrix(new SKMatrix(m.A, m.B, m.C, m.D, m.E, m.F, 0, 0, 1));
        using (var image = SKImage.FromBitmap(source)) canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return result;
    }

    private static byte[] Encode(SKBitmap source, int maxSide, int quality, out int width, out int height)
    {
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(source.Width, source.Height));
        width = Math.Max(1, (int)Math.Round(source.Width * scale));
        height = Math.Max(1, (int)Math.Round(source.Height * scale));
        using var resized = scale < 1 ? source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell)) : null;
        // Flattened on white: a transparent PNG must not turn black in a JPEG.
        using var opaque = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(opaque))
        {
            canvas.Clear(SKColors.White);
            using var image = SKImage.FromBitmap(resized ?? source);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
        }
        using var encoded = opaque.Encode(SKEncodedImageFormat.Jpeg, quality);
        return encoded.ToArray();
    }
}
