using System.Diagnostics;
using NSec.Cryptography;
using RedEducation.Domain.Tickets;

namespace RedEducation.CheckInBench;

/// <summary>Verifications per second on one thread and on two, each the median of several rounds.</summary>
internal sealed record VerifyRates(double SingleThread, double TwoThreads, IReadOnlyList<double> SingleRounds, IReadOnlyList<double> TwoRounds);

/// <summary>
/// The baseline: offline verification alone, as a desk scanner would do it — <see cref="TicketCode.Verify"/> (base32
/// decode, Ed25519 signature check, claims read) over the run's real ticket codes with the server's public keys.
/// </summary>
internal static class VerifyBaseline
{
    private const int Rounds = 7;
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(400);

    public static VerifyRates Measure(IReadOnlyList<string> codes, IReadOnlyDictionary<ushort, byte[]> rawKeys)
    {
        var keys = rawKeys.ToDictionary(k => k.Key, k => PublicKey.Import(TicketCode.Algorithm, k.Value, KeyBlobFormat.RawPublicKey));
        PublicKey? Lookup(ushort id) => keys.GetValueOrDefault(id);
        var all = codes.ToArray();
        // Every code must verify, or the baseline would time a failure path.
        foreach (var code in all)
        {
            if (TicketCode.Verify(code, Lookup).Status != TicketCodeStatus.Valid)
            {
                throw new InvalidOperationException("a ticket code of the run does not verify with the manifest's public keys");
            }
        }
        Rate(all, Lookup, 1); // warm-up: JIT, tiering, caches
        var single = Enumerable.Range(0, Rounds).Select(_ => Rate(all, Lookup, 1)).ToList();
        var two = Enumerable.Range(0, Rounds).Select(_ => Rate(all, Lookup, 2)).ToList();
        return new VerifyRates(Median(single), Median(two), single, two);
    }

    private static double Rate(string[] codes, Func<ushort, PublicKey?> keys, int threads)
    {
        var counts = new long[threads];
        var failures = 0;
        using var ready = new Barrier(threads + 1);
        var stop = 0;
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var n = 0L;
            var i = t * codes.Length / threads;
            ready.SignalAndWait();
            while (Volatile.Read(ref stop) == 0)
            {
                if (TicketCode.Verify(codes[i], keys).Status != TicketCodeStatus.Valid)
                {
                    Interlocked.Increment(ref failures);
                }
                i = i + 1 == codes.Length ? 0 : i + 1;
                n++;
            }
            counts[t] = n;
        })
        { IsBackground = true }).ToList();
        workers.ForEach(w => w.Start());
        ready.SignalAndWait();
        var started = Stopwatch.GetTimestamp();
        Thread.Sleep(Round);
        Volatile.Write(ref stop, 1);
        var elapsed = Stopwatch.GetElapsedTime(started);
        workers.ForEach(w => w.Join());
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} verifications failed");
        }
        return counts.Sum() / elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
