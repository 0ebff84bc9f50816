using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;

namespace RedEducation.Grains;

/// <summary>
/// One month of administrators' changes. Append-only, so it is a journal: a write stores only the open segment, and
/// changes recorded while a write is under way go to disk together with the next one.
/// </summary>
[Reentrant]
internal sealed class AuditGrain([FromKeyedServices(Stores.Main)] IGrainStorage storage) : Grain, IAuditGrain
{
    private readonly List<AuditEntry> _entries = [];
    private DurableJournal<AuditEntry> _journal = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _journal = new DurableJournal<AuditEntry>(storage, "audit-journal", this.GetGrainId(), DeactivateOnIdle);
        await _journal.LoadAsync(_entries.Add);
    }

    public async Task RecordAsync(AuditEntry entry)
    {
        _journal.EnsureUsable();
        _entries.Add(entry);
        _journal.Append(entry);
        await _journal.DurableAsync();
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync()
    {
        await _journal.DurableAsync();
        return [.. _entries];
    }
}
