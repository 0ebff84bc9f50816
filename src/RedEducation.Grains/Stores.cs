namespace RedEducation.Grains;

/// <summary>Names of the grain storage providers the grains use.</summary>
public static class Stores
{
    public const string Main = "main";
}
