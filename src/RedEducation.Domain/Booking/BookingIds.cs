using System.Security.Cryptography;
using System.Text;

namespace RedEducation.Domain.Booking;

/// <summary>
/// Booking ids derived from the unit and its idempotency key, so that a retried request finds the booking it made
/// (even after a restart) instead of making a second one.
/// </summary>
public static class BookingIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string From(string unitId, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{unitId}\n{idempotencyKey}"));
        var text = new StringBuilder("bk", 22);
        for (var i = 0; i < 20; i++)
        {
            text.Append(Alphabet[hash[i] & 31]);
        }
        return text.ToString();
    }

    public static bool IsWellFormed(string? id) =>
        id is { Length: 22 } && id.StartsWith("bk", StringComparison.Ordinal) && id.Skip(2).All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>The booking a placement belongs to.</summary>
    public static string OfPlacement(string placementId) => placementId.Split('.')[0];

    /// <summary>The id of a booking's n-th placement (0: the first); a reschedule makes a new placement.</summary>
    public static string Placement(string bookingId, int generation) => generation == 0 ? bookingId : $"{bookingId}.{generation}";
}
