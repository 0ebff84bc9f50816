using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using RedEducation.CheckInBench;

namespace RedEducation.SeasonBench;

/// <summary>A booking the season holds, as the server last answered about it.</summary>
internal sealed class Held(string id, PlannedVisit visit, int headcount, string code)
{
    public string Id => id;

    public PlannedVisit Visit => visit;

    public int Headcount { get; set; } = headcount;

    public string Code { get; set; } = code;

    public bool Cancelled { get; set; }

    public int Arrived { get; set; }
}

/// <summary>What one season at one scale found.</summary>
internal sealed record SeasonResult(
    int Scale, int Units, int Venues, int Days, int PlannedGroups, long PlannedPeople, VisitPlan Today, TimeSpan ServerStart,
    IReadOnlyList<PhaseResult> Phases, IReadOnlyList<string> Problems, SeasonTotals Totals,
    double ResidentMiB, double PeakResidentMiB, IReadOnlyDictionary<string, long> DataFiles, TimeSpan Duration, string LoadBefore, string LoadAfter)
{
    public long DataBytes => DataFiles.Values.Sum();

    /// <summary>The time of the measured phases alone (no server start, no warm-up).</summary>
    public TimeSpan Measured => TimeSpan.FromTicks(Phases.Sum(p => p.Wall.Ticks));

    /// <summary>The server's CPU time over the measured phases.</summary>
    public double ServerCpuSeconds => Phases.Sum(p => p.Cpu.ServerMicrosPerRequest * p.Requests / 1e6);

    public PhaseResult Phase(string kind) => Phases.Single(p => p.Kind == kind);
}

/// <summary>The end state the checks compare: what the clients hold against what the server reports.</summary>
internal sealed record SeasonTotals(
    int Confirmed, long ConfirmedPeople, long BookedPerServer, int SlotsChecked, int SlotsOverCapacity, int SlotsMismatched,
    int Waitlisted, long CheckedInPeople, long ArrivedPerServer);

internal static class Simulation
{
    private const string Contact = "王老师";
    private const string Phone = "13912345678";

    public static async Task<SeasonResult> RunAsync(string root, Settings settings, int scale, CancellationToken ct)
    {
        var loadBefore = Machine.LoadAverage();
        var total = Stopwatch.StartNew();
        var today = VisitPlan.For(TimeProvider.System.GetUtcNow());
        if (today is null || today.SlotMinutes != 60)
        {
            throw new InvalidOperationException("too late in the day in Asia/Shanghai for an hourly slot that can be checked in before midnight; run before 22:50 there");
        }
        await using var server = await ServerProcess.StartAsync(ServerProcess.ReleaseDirectory(root), today.ServerArguments, new Dictionary<string, string>(), ct);
        var serverStart = total.Elapsed;
        Console.WriteLine(F($"{scale}x: started {server} in {serverStart.TotalSeconds:F1} s; today's slot {today.DateText} {today.SlotText}."));
        using var api = new Api(server.BaseAddress);
        var admin = await api.SignInAsync("admin", ct);

        // The venues as seeded, opened for the season: all day (so that tonight's slot exists), booking from today up to
        // the last day of the season, capacities scaled with the season; group limits, unit caps and closed days kept.
        var venues = new List<VenueRules>();
        foreach (var venue in (await admin.GetFromJsonAsync<JsonElement>("api/venues", ct)).EnumerateArray())
        {
            var id = venue.GetProperty("id").GetString()!;
            var rules = new VenueRules(
                id,
                venue.GetProperty("closedWeekdays").EnumerateArray().Select(d => Enum.Parse<DayOfWeek>(d.GetString()!, ignoreCase: true)).ToHashSet(),
                venue.GetProperty("slotCapacity").GetInt32() * scale,
                venue.GetProperty("dailyCap").GetInt32() * scale,
                venue.GetProperty("groupMin").GetInt32(),
                venue.GetProperty("groupMax").GetInt32(),
                venue.GetProperty("unitCapPerDay").GetInt32());
            using var patched = await admin.PatchAsJsonAsync($"api/venues/{id}", new
            {
                hours = new { open = "00:00", lastEntry = today.LastEntry.ToString("HH:mm", CultureInfo.InvariantCulture), close = "23:59" },
                slotMinutes = 60,
                slotCapacity = rules.SlotCapacity,
                dailyCap = rules.DailyCap,
                leadMinDays = 0,
                leadMaxDays = settings.Days + WarmupDays,
            }, ct);
            await EnsureAsync(patched, $"PATCH {id}", ct);
            venues.Add(rules);
        }
        var units = settings.Units * scale;
        var run = Guid.NewGuid().ToString("N")[..8];

        // Warm-up, not counted: the same operations on the day after the season, so that both scales are measured with
        // compiled code, grown pools and a warm cache rather than charging the first season for the JIT.
        var warmup = SeasonPlan.Make(venues, today.Date, today.Slot, units, WarmupPeople, settings.Days, WarmupDays, new Random(settings.Seed - 1));
        var warmHeld = new Held?[warmup.Visits.Count];
        var warmRandom = new Random(settings.Seed - 1);
        await Phase.RunAsync("warm-up: book", warmup.Visits, settings.Parallel, server, (v, token) => BookAsync(admin, v, $"warm-{run}", warmHeld, token), ct);
        var warmConfirmed = warmHeld.OfType<Held>().ToList();
        await Phase.RunAsync("warm-up: resize", PlanResizes(warmConfirmed.Take(warmConfirmed.Count / 10).ToList(), warmConfirmed, venues, warmRandom), settings.Parallel, server,
            (r, token) => ResizeAsync(admin, r, token), ct);
        await Phase.RunAsync("warm-up: cancel", warmConfirmed.Skip(warmConfirmed.Count / 10).Take(warmConfirmed.Count / 20).ToList(), settings.Parallel, server,
            (h, token) => CancelAsync(admin, h, token), ct);

        var plan = SeasonPlan.Make(venues, today.Date, today.Slot, units, settings.People * scale, 0, settings.Days, new Random(settings.Seed));
        Console.WriteLine(F($"{scale}x: {plan.Visits.Count:N0} groups, {plan.People:N0} people, {units:N0} units, {venues.Count} venues, {settings.Days} days."));

        var phases = new List<PhaseResult>();
        var held = new Held?[plan.Visits.Count];

        // Booking: the administrator books for each unit (unitId in the body), one Idempotency-Key per group.
        phases.Add(await Phase.RunAsync("book", plan.Visits, settings.Parallel, server, (v, token) => BookAsync(admin, v, run, held, token), ct));

        // A share resized (half grow, half shrink, within the slot's, day's and unit's room), another share cancelled.
        var random = new Random(settings.Seed + 1);
        var confirmed = held.OfType<Held>().OrderBy(_ => random.Next()).ToList();
        var resizeCount = (int)(confirmed.Count * settings.ResizeShare);
        var cancelCount = (int)(confirmed.Count * settings.CancelShare);
        var resizes = PlanResizes(confirmed.Take(resizeCount).ToList(), held.OfType<Held>().ToList(), venues, random);
        phases.Add(await Phase.RunAsync("resize", resizes, settings.Parallel, server, (r, token) => ResizeAsync(admin, r, token), ct));
        phases.Add(await Phase.RunAsync("cancel", confirmed.Skip(resizeCount).Take(cancelCount).ToList(), settings.Parallel, server,
            (h, token) => CancelAsync(admin, h, token), ct));

        // Check-in of today's groups at each venue's desk: most of a group first, the latecomers in a second scan.
        var staff = new Dictionary<string, HttpClient>();
        foreach (var venue in venues)
        {
            staff[venue.Id] = await api.SignInAsync($"staff-{venue.Id}", ct);
        }
        var arriving = held.OfType<Held>().Where(h => h.Visit.Day == 0 && !h.Cancelled).ToList();
        var late = arriving.ToDictionary(h => h, _ => random.Next(1, 4));
        var first = arriving.Select(h => (Held: h, Admit: (int?)(h.Headcount - late[h]), Nonce: $"{run}-{h.Id}-1")).ToList();
        var second = arriving.Select(h => (Held: h, Admit: (int?)null, Nonce: $"{run}-{h.Id}-2")).ToList();
        foreach (var (kind, scans) in new[] { ("check-in", first), ("check-in, latecomers", second) })
        {
            phases.Add(await Phase.RunAsync(kind, scans, settings.Parallel, server, async (s, token) =>
            {
                using var response = await staff[s.Held.Visit.VenueId].PostAsJsonAsync($"api/venues/{s.Held.Visit.VenueId}/checkins",
                    new { code = s.Held.Code, admit = s.Admit, nonce = s.Nonce, desk = "A" }, token);
                var (outcome, answer) = await OutcomeAsync(response, token);
                if (answer is { } a)
                {
                    lock (s.Held)
                    {
                        s.Held.Arrived = Math.Max(s.Held.Arrived, a.GetProperty("arrived").GetInt32());
                    }
                    return "ok: admitted";
                }
                return outcome;
            }, ct));
        }

        // Reading it all back: every venue-day's availability, which the checks below compare with what the clients hold.
        var days = (from v in venues from d in Enumerable.Range(0, settings.Days) select (Venue: v.Id, Date: today.Date.AddDays(d))).ToList();
        var slots = new List<(string Venue, DateOnly Date, string Slot, int Capacity, int Booked, int Waitlisted)>();
        phases.Add(await Phase.RunAsync("availability", days, settings.Parallel, server, async (d, token) =>
        {
            using var response = await admin.GetAsync(new Uri($"api/venues/{d.Venue}/availability?date={d.Date:yyyy-MM-dd}", UriKind.Relative), token);
            var (outcome, answer) = await OutcomeAsync(response, token);
            if (answer is not { } a)
            {
                return outcome;
            }
            lock (slots)
            {
                slots.AddRange(a.GetProperty("slots").EnumerateArray().Select(s => (d.Venue, d.Date, s.GetProperty("start").GetString()![..5],
                    s.GetProperty("capacity").GetInt32(), s.GetProperty("booked").GetInt32(), s.GetProperty("waitlisted").GetInt32())));
            }
            return "ok: read";
        }, ct));

        var (problems, totals) = await CheckAsync(held, slots, venues, staff, today, ct);
        foreach (var problem in problems.Take(20))
        {
            Console.WriteLine("PROBLEM " + problem);
        }
        var files = Directory.EnumerateFiles(server.DataDirectory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(server.DataDirectory, f), f => new FileInfo(f).Length);
        return new SeasonResult(scale, units, venues.Count, settings.Days, plan.Visits.Count, plan.People, today, serverStart, phases, problems, totals,
            server.ResidentMiB, PeakResidentMiB(server.Id), files, total.Elapsed, loadBefore, Machine.LoadAverage());
    }

    /// <summary>
    /// Booked for the warm-up on the days after the season, about as many as those days hold at 1x: some 8,000 groups,
    /// because on this loaded 2-core machine a fresh server's cost per booking settles only after 5,000–8,000 of them
    /// (the JIT's tiering; see the tenths table of the results).
    /// </summary>
    private const long WarmupPeople = 240_000;

    private const int WarmupDays = 20;

    private sealed record Resize(Held Booking, int From, int Headcount);

    /// <summary>The administrator books for the group's unit (unitId in the body), one Idempotency-Key per group.</summary>
    private static async Task<string> BookAsync(HttpClient admin, PlannedVisit v, string run, Held?[] held, CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/bookings")
        {
            Content = JsonContent.Create(new
            {
                venueId = v.VenueId,
                date = v.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                slot = v.Slot.ToString("HH:mm", CultureInfo.InvariantCulture),
                headcount = v.Headcount,
                contactName = Contact,
                contactPhone = Phone,
                unitId = v.UnitId,
            }),
        };
        request.Headers.Add("Idempotency-Key", $"season-{run}-{v.Index}");
        using var response = await admin.SendAsync(request, token);
        var (outcome, booking) = await OutcomeAsync(response, token);
        if (booking is { } b && b.GetProperty("status").GetString() == "confirmed")
        {
            held[v.Index] = new Held(b.GetProperty("id").GetString()!, v, b.GetProperty("headcount").GetInt32(), b.GetProperty("ticket").GetProperty("code").GetString()!);
            return "ok: confirmed";
        }
        return booking is { } w ? "booked as " + w.GetProperty("status").GetString() : outcome;
    }

    private static async Task<string> ResizeAsync(HttpClient admin, Resize r, CancellationToken token)
    {
        using var response = await admin.PatchAsJsonAsync($"api/bookings/{r.Booking.Id}", new { headcount = r.Headcount }, token);
        var (outcome, booking) = await OutcomeAsync(response, token);
        if (booking is { } b && b.GetProperty("status").GetString() == "confirmed")
        {
            r.Booking.Headcount = b.GetProperty("headcount").GetInt32();
            r.Booking.Code = b.GetProperty("ticket").GetProperty("code").GetString()!;
            return r.Headcount > r.From ? "ok: grown" : "ok: shrunk";
        }
        return outcome;
    }

    private static async Task<string> CancelAsync(HttpClient admin, Held h, CancellationToken token)
    {
        using var response = await admin.PostAsync(new Uri($"api/bookings/{h.Id}/cancel", UriKind.Relative), null, token);
        var (outcome, booking) = await OutcomeAsync(response, token);
        if (booking is { } b && b.GetProperty("status").GetString() == "cancelled")
        {
            h.Cancelled = true;
            return "ok: cancelled";
        }
        return outcome;
    }

    /// <summary>New headcounts for the chosen bookings: grow by 1–5 where the slot, day and unit have room, else shrink by 1–5.</summary>
    private static List<Resize> PlanResizes(List<Held> chosen, List<Held> all, List<VenueRules> venues, Random random)
    {
        var rules = venues.ToDictionary(v => v.Id);
        var slot = all.GroupBy(h => (h.Visit.VenueId, h.Visit.Date, h.Visit.Slot)).ToDictionary(g => g.Key, g => g.Sum(h => h.Headcount));
        var day = all.GroupBy(h => (h.Visit.VenueId, h.Visit.Date)).ToDictionary(g => g.Key, g => g.Sum(h => h.Headcount));
        var unit = all.GroupBy(h => (h.Visit.VenueId, h.Visit.Date, h.Visit.UnitId)).ToDictionary(g => g.Key, g => g.Sum(h => h.Headcount));
        var resizes = new List<Resize>();
        foreach (var h in chosen)
        {
            var v = rules[h.Visit.VenueId];
            var (s, d, u) = ((v.Id, h.Visit.Date, h.Visit.Slot), (v.Id, h.Visit.Date), (v.Id, h.Visit.Date, h.Visit.UnitId));
            var delta = random.Next(1, 6);
            var grow = random.Next(2) == 0 && h.Headcount + delta <= v.GroupMax && slot[s] + delta <= v.SlotCapacity
                && day[d] + delta <= v.DailyCap && unit[u] + delta <= v.UnitCapPerDay;
            if (!grow)
            {
                delta = -Math.Min(delta, h.Headcount - v.GroupMin);
            }
            if (delta == 0)
            {
                continue;
            }
            slot[s] += delta;
            day[d] += delta;
            unit[u] += delta;
            resizes.Add(new Resize(h, h.Headcount, h.Headcount + delta));
        }
        return resizes;
    }

    /// <summary>
    /// The season's end state: no slot over its capacity, the server's booked count of every slot equal to the sum of the
    /// confirmed groups the clients hold there, nobody waitlisted, and today's arrivals equal to today's groups.
    /// </summary>
    private static async Task<(List<string>, SeasonTotals)> CheckAsync(
        Held?[] held, List<(string Venue, DateOnly Date, string Slot, int Capacity, int Booked, int Waitlisted)> slots,
        List<VenueRules> venues, Dictionary<string, HttpClient> staff, VisitPlan today, CancellationToken ct)
    {
        var problems = new List<string>();
        var live = held.OfType<Held>().Where(h => !h.Cancelled).ToList();
        var expected = live.GroupBy(h => (h.Visit.VenueId, h.Visit.Date, Slot: h.Visit.Slot.ToString("HH:mm", CultureInfo.InvariantCulture)))
            .ToDictionary(g => g.Key, g => g.Sum(h => h.Headcount));
        var over = 0;
        var mismatched = 0;
        foreach (var s in slots)
        {
            if (s.Booked > s.Capacity)
            {
                over++;
                problems.Add($"{s.Venue} {s.Date:yyyy-MM-dd} {s.Slot}: {s.Booked} booked over a capacity of {s.Capacity}");
            }
            var want = expected.GetValueOrDefault((s.Venue, s.Date, s.Slot));
            if (s.Booked != want)
            {
                mismatched++;
                problems.Add($"{s.Venue} {s.Date:yyyy-MM-dd} {s.Slot}: the server has {s.Booked} booked, the confirmed groups hold {want}");
            }
        }
        var seen = slots.Select(s => (s.Venue, s.Date, s.Slot)).ToHashSet();
        foreach (var missing in expected.Keys.Where(k => !seen.Contains(k)))
        {
            problems.Add($"{missing.VenueId} {missing.Date:yyyy-MM-dd} {missing.Slot}: confirmed groups in a slot the server does not list");
        }
        var waitlisted = slots.Sum(s => s.Waitlisted);
        if (waitlisted > 0)
        {
            problems.Add($"{waitlisted} people waitlisted, though every group was planned to fit");
        }
        var todays = live.Where(h => h.Visit.Day == 0).ToList();
        foreach (var h in todays.Where(h => h.Arrived != h.Headcount))
        {
            problems.Add($"{h.Id}: {h.Arrived} of {h.Headcount} arrived after both scans");
        }
        long arrivedPerServer = 0;
        foreach (var venue in venues.Where(v => todays.Any(h => h.Visit.VenueId == v.Id)))
        {
            using var response = await staff[venue.Id].GetAsync(new Uri($"api/venues/{venue.Id}/occupancy?date={today.DateText}", UriKind.Relative), ct);
            await EnsureAsync(response, $"occupancy of {venue.Id}", ct);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            arrivedPerServer += json.RootElement.GetProperty("slots").EnumerateArray().Sum(s => s.GetProperty("arrived").GetInt32());
        }
        var checkedIn = todays.Sum(h => (long)h.Headcount);
        if (arrivedPerServer != checkedIn)
        {
            problems.Add($"today the server counts {arrivedPerServer} arrived, the groups that checked in hold {checkedIn}");
        }
        var bookedPerServer = slots.Sum(s => (long)s.Booked);
        var confirmedPeople = live.Sum(h => (long)h.Headcount);
        if (bookedPerServer != confirmedPeople)
        {
            problems.Add($"the server counts {bookedPerServer} booked in all, the confirmed groups hold {confirmedPeople}");
        }
        return (problems, new SeasonTotals(live.Count, confirmedPeople, bookedPerServer, slots.Count, over, mismatched, waitlisted, checkedIn, arrivedPerServer));
    }

    /// <summary>"ok" and the JSON body of a 2xx answer, or the status and problem type of a refusal.</summary>
    private static async Task<(string Outcome, JsonElement? Body)> OutcomeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            using var json = JsonDocument.Parse(text);
            return ("ok", json.RootElement.Clone());
        }
        var type = "";
        try
        {
            using var problem = JsonDocument.Parse(text);
            type = problem.RootElement.TryGetProperty("type", out var t) ? " " + t.GetString() : "";
        }
        catch (JsonException)
        {
            // Not a problem document: the status says it.
        }
        return ($"HTTP {(int)response.StatusCode}{type}", null);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    /// <summary>The server's peak resident memory (VmHWM), in MiB.</summary>
    private static double PeakResidentMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
