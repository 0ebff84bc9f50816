namespace RedEducation.Contracts;

/// <summary>
/// The clock that booking rules, tickets and check-in read, registered as a keyed <see cref="TimeProvider"/>. It is
/// kept apart from the unkeyed one Orleans itself runs on, so tests can set the business date without stopping the
/// runtime's timers.
/// </summary>
public static class BusinessClock
{
    public const string Key = "business";
}
