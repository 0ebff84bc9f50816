using NSec.Cryptography;
using RedEducation.Domain.Booking;
using RedEducation.Domain.CheckIn;
using RedEducation.Domain.Tickets;

namespace RedEducation.Domain.Tests.Tickets;

public sealed class TicketCodeTests
{
    private static readonly TicketClaims Claims = new(
        BookingIds.From("unit1", "key-1"), 3, TicketClaims.TagOf("liaoshen-memorial"), new DateOnly(2026, 12, 3), new TimeOnly(10, 0), 30, -60, 180);

    private static Key NewKey() => Key.Create(TicketCode.Algorithm);

    [Fact]
    public void Verify_IssuedCode_GivesBackEveryClaim()
    {
        using var key = NewKey();
        var code = TicketCode.Issue(Claims, 7, key);

        var (status, claims, keyId) = TicketCode.Verify(code, id => id == 7 ? key.PublicKey : null);

        Assert.Equal(TicketCodeStatus.Valid, status);
        Assert.Equal(Claims, claims);
        Assert.Equal(7, keyId);
        Assert.Equal(TicketCode.CodeLength, code.Length);
    }

    [Fact]
    public void Verify_UnknownKeyId_Refused()
    {
        using var key = NewKey();
        var code = TicketCode.Issue(Claims, 7, key);

        Assert.Equal(TicketCodeStatus.UnknownKey, TicketCode.Verify(code, _ => null).Status);
    }

    [Fact]
    public void Verify_SignedByAnotherKeyUnderTheSameId_BadSignature()
    {
        using var key = NewKey();
        using var forger = NewKey();
        var code = TicketCode.Issue(Claims with { Headcount = 300 }, 7, forger);

        Assert.Equal(TicketCodeStatus.BadSignature, TicketCode.Verify(code, _ => key.PublicKey).Status);
    }

    [Fact]
    public void Verify_EverySingleBitFlipped_NeverValid()
    {
        using var key = NewKey();
        var bytes = Base32.Decode(TicketCode.Issue(Claims, 1, key))!;

        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(TicketCodeStatus.Valid, TicketCode.Verify(Base32.Encode(flipped), _ => key.PublicKey).Status);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ABC")]
    [InlineData("not base32 at all, but long enough? no")]
    public void Verify_Garbage_Malformed(string? code) =>
        Assert.Equal(TicketCodeStatus.Malformed, TicketCode.Verify(code, _ => null).Status);

    [Fact]
    public void Window_FromSlotStartInTheVenueZone_OpensAnHourBeforeAndClosesThreeHoursAfter()
    {
        var (opens, closes) = Claims.Window(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 1, 0, 0, TimeSpan.Zero), opens);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 5, 0, 0, TimeSpan.Zero), closes);
    }

    [Fact]
    public void IsFor_OtherVenue_False()
    {
        Assert.True(Claims.IsFor("liaoshen-memorial"));
        Assert.False(Claims.IsFor("leifeng-memorial"));
    }

    [Theory]
    [InlineData(new byte[0], "")]
    [InlineData(new byte[] { 0 }, "AA")]
    [InlineData(new byte[] { 0xFF, 0xFF }, "777Q")]
    [InlineData(new byte[] { (byte)'f', (byte)'o', (byte)'o', (byte)'b', (byte)'a', (byte)'r' }, "MZXW6YTBOI")]
    public void Base32_KnownVectors_RoundTrip(byte[] data, string text)
    {
        // Vectors from RFC 4648, section 10, without padding.
        Assert.Equal(text, Base32.Encode(data));
        Assert.Equal(data, Base32.Decode(text));
        Assert.Equal(data, Base32.Decode(text.ToLowerInvariant()));
    }

    [Theory]
    [InlineData("A")]      // 5 bits: not a whole byte
    [InlineData("AB")]     // non-zero bits left over
    [InlineData("MZXW6YT1")] // '1' is not in the alphabet
    public void Base32_NonCanonicalOrForeign_Null(string text) => Assert.Null(Base32.Decode(text));
}

public sealed class ArrivalLedgerTests
{
    private static AdmissionRequest Ask(int admit, string? nonce = null, bool offline = false, int headcount = 30) =>
        new("bkaaaaaaaaaaaaaaaaaaaa", new TimeOnly(10, 0), headcount, admit, nonce, offline);

    [Fact]
    public void Admit_OnlineMoreThanRemain_AdmitsNobody()
    {
        var ledger = new ArrivalLedger();
        ledger.Admit(Ask(27));

        var result = ledger.Admit(Ask(5));

        Assert.Equal(ScanOutcome.OverHeadcount, result.Outcome);
        Assert.Equal(0, result.Admitted);
        Assert.Equal(27, result.Arrived);
    }

    [Fact]
    public void Admit_OfflineMoreThanRemain_KeptAndCountedAsForced()
    {
        var ledger = new ArrivalLedger();
        ledger.Admit(Ask(20, "a", offline: true));

        var result = ledger.Admit(Ask(20, "b", offline: true));

        Assert.Equal(ScanOutcome.Admitted, result.Outcome);
        Assert.Equal(40, result.Arrived);
        Assert.Equal(10, result.Forced);
        Assert.Equal(0, result.Remaining);
    }

    [Fact]
    public void Admit_SameNonceAgain_DuplicateAndNothingMore()
    {
        var ledger = new ArrivalLedger();
        ledger.Admit(Ask(4, "n"));

        var again = ledger.Admit(Ask(4, "n"));

        Assert.Equal(ScanOutcome.Duplicate, again.Outcome);
        Assert.Equal(4, again.Arrived);
        Assert.Equal(4, ledger.Find("bkaaaaaaaaaaaaaaaaaaaa")!.Arrived);
    }

    [Fact]
    public void Admit_RefusedScanWithNonce_DoesNotBlockARetryWithIt()
    {
        var ledger = new ArrivalLedger();
        ledger.Admit(Ask(28));

        Assert.Equal(ScanOutcome.OverHeadcount, ledger.Admit(Ask(5, "n")).Outcome);
        Assert.Equal(ScanOutcome.Admitted, ledger.Admit(Ask(2, "n")).Outcome);
    }
}
