using System.Collections.Concurrent;
using RedEducation.Contracts;

namespace RedEducation.Server.Auth;

/// <summary>
/// The accounts that <see cref="AccountCheck"/> compares bearer tokens with, remembered for a few seconds so that a desk
/// scanning thousands of tickets does not read its account from the account grain on every scan (that extra grain call
/// was the largest part of the check-in tail: bench/results/check-in.md). A change made through this process is seen
/// at its next request (the change forgets the entry); a change made through another front end of a cluster within
/// <see cref="Lifetime"/>.
/// </summary>
public sealed class AccountMemory(IGrainFactory grains, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (Account Account, DateTimeOffset Until)> _accounts = new(StringComparer.Ordinal);
    private long _changes;

    public async ValueTask<Account?> GetAsync(string username)
    {
        var now = clock.GetUtcNow();
        if (_accounts.TryGetValue(username, out var known) && known.Until > now)
        {
            return known.Account;
        }
        // An account read while a change is being made may be the old one: it is used for this request, not kept.
        var changes = Interlocked.Read(ref _changes);
        var account = await grains.GetGrain<IAccountGrain>(username).GetAsync();
        if (account is not null && Interlocked.Read(ref _changes) == changes)
        {
            _accounts[username] = (account, now + Lifetime);
        }
        return account;
    }

    /// <summary>Called after an account changed: its next request reads it anew.</summary>
    public void Forget(string username)
    {
        Interlocked.Increment(ref _changes);
        _accounts.TryRemove(username, out _);
    }
}
