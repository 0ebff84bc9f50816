using Microsoft.Extensions.Options;
using NSec.Cryptography;
using RedEducation.Domain.Booking;
using RedEducation.Domain.Tickets;
using RedEducation.Server.Hosting;
using RedEducation.Server.Tickets;
using RedEducation.Testing;

namespace RedEducation.Tickets.Tests;

/// <summary>The key store remembers codes it has verified; remembering must never let a code in that would fail in full.</summary>
public sealed class VerifiedCodeTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly TicketKeyStore _keys;

    public VerifiedCodeTests() => _keys = new TicketKeyStore(Options.Create(new RedEducationOptions { DataDirectory = _data.Path }));

    private static TicketClaims Claims(int serial = 0) =>
        new(BookingIds.From("unit-1", $"verified-code-test-{serial}"), serial, TicketClaims.TagOf("liaoshen-memorial"),
            new DateOnly(2026, 12, 8), new TimeOnly(10, 0), 30, -60, 180);

    [Fact]
    public void Verify_SameCodeAgain_SameClaims()
    {
        var code = _keys.Issue(Claims());

        var first = _keys.Verify(code);
        var again = _keys.Verify(code);

        Assert.Equal(TicketCodeStatus.Valid, first.Status);
        Assert.Equal(first, again);
        Assert.Equal(Claims(), again.Claims);
    }

    [Fact]
    public void Verify_EveryAlterationOfARememberedCode_Refused()
    {
        var code = _keys.Issue(Claims());
        Assert.Equal(TicketCodeStatus.Valid, _keys.Verify(code).Status);
        var altered = new List<string>();
        for (var i = 0; i < code.Length; i++)
        {
            altered.AddRange(Base32.Alphabet.Where(c => c != code[i]).Select(c => code[..i] + c + code[(i + 1)..]));
            altered.Add(code[..i]);
        }
        altered.Add(code + "A");
        altered.Add(" " + code);
        // The same claims signed by a key that is not the server's, under the server's key id.
        using var forger = Key.Create(TicketCode.Algorithm);
        altered.Add(TicketCode.Issue(Claims(), _keys.ActiveKeyId, forger));

        var admitted = altered.Where(a => _keys.Verify(a).Status == TicketCodeStatus.Valid).ToList();

        Assert.True(altered.Count > 4_000, $"only {altered.Count} alterations");
        Assert.Empty(admitted);
        Assert.Equal(TicketCodeStatus.Valid, _keys.Verify(code).Status);
    }

    [Fact]
    public void Verify_RememberedCodeAfterItsKeyIsRetired_UnknownKey()
    {
        var old = _keys.Issue(Claims(1));
        Assert.Equal(TicketCodeStatus.Valid, _keys.Verify(old).Status);
        var oldKey = _keys.ActiveKeyId;
        _keys.Rotate();
        var fresh = _keys.Issue(Claims(2));
        Assert.Equal(TicketCodeStatus.Valid, _keys.Verify(fresh).Status);
        Assert.Equal(TicketCodeStatus.Valid, _keys.Verify(old).Status);

        Assert.True(_keys.Retire(oldKey));

        Assert.Equal(TicketCodeStatus.UnknownKey, _keys.Verify(old).Status);
        Assert.Equal(TicketCodeStatus.Valid, _keys.Verify(fresh).Status);
    }

    public void Dispose()
    {
        _keys.Dispose();
        _data.Dispose();
    }
}
