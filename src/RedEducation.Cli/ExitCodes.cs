namespace RedEducation.Cli;

/// <summary>What <c>redu</c> returns to the shell.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The server understood the request and refused it (a 4xx with a problem document).</summary>
    public const int Refused = 1;

    /// <summary>The command line was wrong, or the command cannot be carried out here.</summary>
    public const int Usage = 2;

    /// <summary>No answer from the server: nothing listens there, or the network failed.</summary>
    public const int Unreachable = 3;

    /// <summary>The server answered with a 5xx: it failed, not the request.</summary>
    public const int ServerFault = 4;
}
