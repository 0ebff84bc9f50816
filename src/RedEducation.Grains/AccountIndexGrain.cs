using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;

namespace RedEducation.Grains;

/// <summary>
/// The list of accounts, kept as a journal of summaries: a province has thousands of unit accounts, and rewriting the
/// whole list at each change would make every account change cost as much as the list is long.
/// </summary>
[Reentrant]
internal sealed class AccountIndexGrain([FromKeyedServices(Stores.Main)] IGrainStorage storage) : Grain, IAccountIndexGrain
{
    private readonly SortedDictionary<string, AccountSummary> _accounts = new(StringComparer.Ordinal);
    private DurableJournal<AccountSummary> _journal = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _journal = new DurableJournal<AccountSummary>(storage, "account-index", this.GetGrainId(), DeactivateOnIdle);
        await _journal.LoadAsync(s => _accounts[s.Username] = s);
    }

    public async Task PutAsync(AccountSummary summary)
    {
        _journal.EnsureUsable();
        if (!summary.SameAs(_accounts.GetValueOrDefault(summary.Username)))
        {
            _accounts[summary.Username] = summary;
            _journal.Append(summary);
        }
        await _journal.DurableAsync();
    }

    public async Task<IReadOnlyList<AccountSummary>> ListAsync(string? role)
    {
        await _journal.DurableAsync();
        return [.. _accounts.Values.Where(a => role is null || a.Role == role)];
    }
}
