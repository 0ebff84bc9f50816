using RedEducation.Contracts;

namespace RedEducation.Grains;

internal sealed class AccountState
{
    public Account? Account { get; set; }
}

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
        return true;
    }
}
