namespace RedEducation.Domain.Accounts;

/// <summary>What a user name and a password must be for an account an administrator makes or resets.</summary>
public static class AccountRules
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;

    /// <summary>
    /// Passwords people pick first. A short list on purpose: length does most of the work (NIST SP 800-63B asks for a
    /// minimum length and a blocklist of common choices rather than rules about character classes).
    /// </summary>
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "1234567890", "12345678901", "123456789012", "0123456789", "1q2w3e4r5t", "qwertyuiop", "1qaz2wsx3edc",
        "password12", "password123", "password1234", "passw0rd123", "iloveyou12", "abcdefghij", "abc1234567",
        "admin12345", "administrator", "welcome123", "changeme123", "letmein123", "woaini1314", "demo123456",
        "rededucation", "rededucation1", "qwerty12345", "11111111111", "a123456789", "aa123456789",
    };

    /// <summary>Lower-case letters, digits, '.', '_' and '-', 3-64 characters, starting with a letter or digit.</summary>
    public static bool IsValidUsername(string? username) =>
        username is { Length: >= 3 and <= 64 }
        && (char.IsAsciiLetterLower(username[0]) || char.IsAsciiDigit(username[0]))
        && username.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');

    /// <summary>Why <paramref name="password"/> is too weak for <paramref name="username"/>, or null when it will do.</summary>
    public static string? PasswordProblem(string? password, string username)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "required";
        }
        if (password.Length < MinPasswordLength)
        {
            return $"at least {MinPasswordLength} characters";
        }
        if (password.Length > MaxPasswordLength)
        {
            return $"at most {MaxPasswordLength} characters";
        }
        if (password.Any(char.IsControl))
        {
            return "no control characters";
        }
        if (password.Distinct().Count() < 5)
        {
            return "at least 5 different characters";
        }
        if (username.Length > 0 && password.Contains(username, StringComparison.OrdinalIgnoreCase))
        {
            return "must not contain the user name";
        }
        return Common.Contains(password) ? "too common" : null;
    }
}
