using RedEducation.Contracts;

namespace RedEducation.Grains;

internal sealed class UnitState
{
    public List<string> BookingIds { get; set; } = [];
}

internal sealed class UnitGrain([PersistentState("unit", Stores.Main)] IPersistentState<UnitState> state) : Grain, IUnitGrain
{
    public async Task AddBookingAsync(string bookingId)
    {
        if (state.State.BookingIds.Contains(bookingId))
        {
            return;
        }
        state.State.BookingIds.Add(bookingId);
        await state.WriteStateAsync();
    }

    [ReadOnly]
    public Task<IReadOnlyList<string>> GetBookingIdsAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.BookingIds]);
}
