using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using RedEducation.Domain.Booking;

namespace RedEducation.Domain.Tickets;

/// <summary>
/// What a ticket says: which booking (and which issue of its ticket), where, when, for how many, and the window
/// around the slot in which it admits. The venue travels as a 32-bit tag of its id; a scanner compares tags.
/// </summary>
public sealed record TicketClaims(
    string BookingId,
    int Serial,
    uint VenueTag,
    DateOnly Date,
    TimeOnly Slot,
    int Headcount,
    int OpensMinutes,
    int ClosesMinutes)
{
    public static uint TagOf(string venueId) => BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(venueId)));

    public bool IsFor(string venueId) => VenueTag == TagOf(venueId);

    /// <summary>The instants between which the ticket admits, from the slot start in the venue's zone.</summary>
    public (DateTimeOffset Opens, DateTimeOffset Closes) Window(TimeZoneInfo zone)
    {
        var local = Date.ToDateTime(Slot);
        var start = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return (start.AddMinutes(OpensMinutes), start.AddMinutes(ClosesMinutes));
    }
}

/// <summary>Why a code did not verify.</summary>
public enum TicketCodeStatus
{
    Valid,
    Malformed,
    UnknownKey,
    BadSignature,
}

/// <summary>
/// The signed ticket code: a 32-byte payload (version, key id, booking id, ticket serial, venue tag, date, slot,
/// headcount, window) and its Ed25519 signature, as 154 characters of upper-case base32 — a version 6 QR code at
/// error correction M in alphanumeric mode.
/// </summary>
public static class TicketCode
{
    public const byte Version = 1;
    public const int PayloadLength = 32;
    public const int CodeLength = ((PayloadLength + 64) * 8 + 4) / 5;
    public static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private static readonly DateOnly Epoch = new(2000, 1, 1);
    private const int BookingIdBytes = 13; // 20 base32 characters, 100 bits

    public static string Issue(TicketClaims claims, ushort keyId, Key key)
    {
        Span<byte> signed = stackalloc byte[PayloadLength + 64];
        Write(claims, keyId, signed[..PayloadLength]);
        Algorithm.Sign(key, signed[..PayloadLength], signed[PayloadLength..]);
        return Base32.Encode(signed);
    }

    /// <summary>Checks the code's form and signature; the claims are returned only for a valid code.</summary>
    public static (TicketCodeStatus Status, TicketClaims? Claims, ushort KeyId) Verify(string? code, Func<ushort, PublicKey?> keys)
    {
        if (code is null || code.Length != CodeLength || Base32.Decode(code) is not { Length: PayloadLength + 64 } bytes)
        {
            return (TicketCodeStatus.Malformed, null, 0);
        }
        if (bytes[0] != Version)
        {
            return (TicketCodeStatus.Malformed, null, 0);
        }
        var keyId = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(1));
        if (keys(keyId) is not { } publicKey)
        {
            return (TicketCodeStatus.UnknownKey, null, keyId);
        }
        if (!Algorithm.Verify(publicKey, bytes.AsSpan(0, PayloadLength), bytes.AsSpan(PayloadLength)))
        {
            return (TicketCodeStatus.BadSignature, null, keyId);
        }
        var claims = Read(bytes);
        return claims is null ? (TicketCodeStatus.Malformed, null, keyId) : (TicketCodeStatus.Valid, claims, keyId);
    }

    private static void Write(TicketClaims c, ushort keyId, Span<byte> p)
    {
        if (!BookingIds.IsWellFormed(c.BookingId))
        {
            throw new ArgumentException("not a booking id", nameof(c));
        }
        p[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(p[1..], keyId);
        Base32.Repack(IdValues(c.BookingId), 5, 8).CopyTo(p[3..]);
        BinaryPrimitives.WriteUInt16BigEndian(p[16..], checked((ushort)c.Serial));
        BinaryPrimitives.WriteUInt32BigEndian(p[18..], c.VenueTag);
        BinaryPrimitives.WriteUInt16BigEndian(p[22..], checked((ushort)(c.Date.DayNumber - Epoch.DayNumber)));
        BinaryPrimitives.WriteUInt16BigEndian(p[24..], (ushort)(c.Slot.Hour * 60 + c.Slot.Minute));
        BinaryPrimitives.WriteUInt16BigEndian(p[26..], checked((ushort)c.Headcount));
        BinaryPrimitives.WriteInt16BigEndian(p[28..], checked((short)c.OpensMinutes));
        BinaryPrimitives.WriteInt16BigEndian(p[30..], checked((short)c.ClosesMinutes));
    }

    private static TicketClaims? Read(byte[] p)
    {
        var values = Base32.Repack(p.AsSpan(3, BookingIdBytes), 8, 5, padTail: false);
        var bookingId = "bk" + string.Concat(values.Take(20).Select(v => char.ToLowerInvariant(Base32.Alphabet[v])));
        var minute = BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(24));
        if (minute >= 24 * 60 || !BookingIds.IsWellFormed(bookingId))
        {
            return null;
        }
        return new TicketClaims(
            bookingId,
            BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(16)),
            BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(18)),
            Epoch.AddDays(BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(22))),
            new TimeOnly(minute / 60, minute % 60),
            BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(26)),
            BinaryPrimitives.ReadInt16BigEndian(p.AsSpan(28)),
            BinaryPrimitives.ReadInt16BigEndian(p.AsSpan(30)));
    }

    private static byte[] IdValues(string bookingId) =>
        [.. bookingId[2..].Select(ch => (byte)Base32.Alphabet.IndexOf(char.ToUpperInvariant(ch), StringComparison.Ordinal))];
}
