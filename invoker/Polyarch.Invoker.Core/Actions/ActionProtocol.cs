namespace Polyarch.Invoker.Actions;

/// <summary>How the invoker talks to an action's container.</summary>
public enum ActionProtocol
{
    /// <summary>OpenWhisk action proxy: POST /init once per container, then POST /run per activation.</summary>
    Http,

    /// <summary>One-shot container: params JSON as the last argument and on stdin; the last stdout line is the result.</summary>
    Exec,
}
