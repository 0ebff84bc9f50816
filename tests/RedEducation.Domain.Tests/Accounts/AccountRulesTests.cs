using RedEducation.Domain.Accounts;

namespace RedEducation.Domain.Tests.Accounts;

public sealed class AccountRulesTests
{
    [Theory]
    [InlineData("unit1")]
    [InlineData("staff-liaoshen-memorial-b")]
    [InlineData("zhang.san_02")]
    [InlineData("007")]
    public void IsValidUsername_LowerCaseNames_AreAccepted(string username) => Assert.True(AccountRules.IsValidUsername(username));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("Admin")]
    [InlineData("-leading-dash")]
    [InlineData(".hidden")]
    [InlineData("with space")]
    [InlineData("../etc")]
    [InlineData("名字")]
    [InlineData("a\u0000b")]
    public void IsValidUsername_OtherNames_AreRefused(string? username) => Assert.False(AccountRules.IsValidUsername(username));

    [Fact]
    public void IsValidUsername_65Characters_IsRefused()
    {
        Assert.True(AccountRules.IsValidUsername(new string('a', 64)));
        Assert.False(AccountRules.IsValidUsername(new string('a', 65)));
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("Sh0rt!pw", "at least 10 characters")]
    [InlineData("aaaabbbbaaaabbbb", "at least 5 different characters")]
    [InlineData("my-planner-7-pass", "must not contain the user name")]
    [InlineData("PASSWORD123", "too common")]
    [InlineData("1q2w3e4r5t", "too common")]
    [InlineData("tab\there-is-bad", "no control characters")]
    public void PasswordProblem_WeakPasswords_SayWhy(string? password, string problem) =>
        Assert.Equal(problem, AccountRules.PasswordProblem(password, "planner"));

    [Theory]
    [InlineData("红色教育-Visit-2026!")]
    [InlineData("correct horse battery staple")]
    [InlineData("1948-Liaoshen-campaign")]
    public void PasswordProblem_StrongPasswords_AreAccepted(string password) => Assert.Null(AccountRules.PasswordProblem(password, "planner"));

    [Fact]
    public void PasswordProblem_Over256Characters_IsRefused() =>
        Assert.Equal("at most 256 characters", AccountRules.PasswordProblem(string.Concat(Enumerable.Repeat("abcdefgh", 33)), "planner"));
}
