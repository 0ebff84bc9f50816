using RedEducation.Contracts;

namespace RedEducation.Grains;

internal sealed class AccountState
{
    public Account? Account { get; set; }
}

/// <summary>
/// One account. After each change it stores, it updates its entry in the account index; the account grain is the truth
/// and the index a copy for listing, so an index write that fails is repaired by the next change or by <see cref="IndexAsync"/>.
/// </summary>
internal sealed class AccountGrain([PersistentState("account", Stores.Main)] IPersistentState<AccountState> state) : Grain, IAccountGrain
{
    [ReadOnly]
    public Task<Account?> GetAsync() => Task.FromResult(state.State.Account);

    public async Task<bool> CreateAsync(Account account)
    {
        if (state.State.Account is not null)
        {
            return false;
        }
        state.State.Account = account;
        await state.WriteStateAsync();
        await IndexAsync();
        return true;
    }

    public async Task<Account?> UpdateAsync(AccountChange change)
    {
        if (state.State.Account is not { } account)
        {
            return null;
        }
        var changed = account with
        {
            DisplayName = change.DisplayName ?? account.DisplayName,
            VenueIds = change.VenueIds ?? account.VenueIds,
            PasswordHash = change.PasswordHash ?? account.PasswordHash,
            Disabled = change.Disabled ?? account.Disabled,
        };
        // A new password or a disabling ends every token issued before; enabling again does not bring them back.
        if (change.PasswordHash is not null || (changed.Disabled && !account.Disabled))
        {
            changed = changed with { Stamp = Guid.NewGuid().ToString("N") };
        }
        state.State.Account = changed;
        await state.WriteStateAsync();
        await IndexAsync();
        return changed;
    }

    public Task IndexAsync() => state.State.Account is { } account
        ? GrainFactory.GetGrain<IAccountIndexGrain>(AccountIndex.Key).PutAsync(account.Summary)
        : Task.CompletedTask;
}
