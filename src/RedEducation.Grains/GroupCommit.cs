namespace RedEducation.Grains;

/// <summary>
/// Group commit for a reentrant grain: changes made while a write is on its way to disk are stored together by the
/// next write. Callers record a change with <see cref="Changed"/> and await <see cref="DurableAsync"/> before answering.
/// After a failed write the grain's memory holds decisions the store does not, so it is deactivated to reload, and no
/// further decision may be taken here.
/// </summary>
internal sealed class GroupCommit(Func<Task> write, Action deactivate)
{
    private long _changes;
    private long _durable;
    private Task? _writing;
    private bool _broken;

    /// <summary>Throws once a write has failed; the grain is on its way out and must not decide anything more.</summary>
    public void EnsureUsable() => ObjectDisposedException.ThrowIf(_broken, this);

    public void Changed() => _changes++;

    /// <summary>
    /// Returns once every change recorded before the call is stored, starting a write when none is under way. Once a
    /// write has failed, throws instead of writing again: the failed write's changes are still in memory, and a later
    /// write (for a request that had passed <see cref="EnsureUsable"/> before the failure) would store them without
    /// whatever was to be stored beside them.
    /// </summary>
    public async Task DurableAsync()
    {
        var target = _changes;
        while (_durable < target)
        {
            EnsureUsable();
            if (_writing is null || _writing.IsCompleted)
            {
                _writing = WriteAsync();
            }
            await _writing;
        }
    }

    private async Task WriteAsync()
    {
        // Whatever the write delegate captures before its first await is what this write stores: every change so far.
        var covered = _changes;
        try
        {
            await write();
            _durable = Math.Max(_durable, covered);
        }
        catch
        {
            _broken = true;
            deactivate();
            throw;
        }
        if (_changes > _durable)
        {
            // Changes made while this write was on its way start the next write now, in this turn, before the callers
            // this write answers take their turns (they wait for it in DurableAsync): otherwise the store sits idle while
            // a busy grain answers the batch it just stored.
            _writing = WriteAsync();
        }
    }
}
