namespace RedEducation.Testing;

/// <summary>A business clock that tests set to any instant, forwards or back; it stands still in between.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Sets the clock to <paramref name="time"/> on <paramref name="date"/> in Asia/Shanghai.</summary>
    public void SetLocal(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        Now = new DateTimeOffset(local, TimeSpan.FromHours(8));
    }
}
