namespace Polyarch.Invoker.Actions;

/// <summary>What an action's code is: how it is sent at /init and how a runtime treats it.</summary>
public enum ActionCodeKind
{
    /// <summary>Source text (a module with a main function), sent as text with <c>binary: false</c>.</summary>
    Text,

    /// <summary>A zip archive, sent base64-encoded with <c>binary: true</c>.</summary>
    Binary,

    /// <summary>A Jupyter notebook (.ipynb JSON), sent as text; the runtime detects it and runs its code cells.</summary>
    Notebook,
}
