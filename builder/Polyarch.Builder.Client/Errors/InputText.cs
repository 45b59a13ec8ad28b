using System.Text;

namespace Polyarch.Builder.Errors;

/// <summary>User input quoted in a message: control characters escaped, long values shortened.</summary>
internal static class InputText
{
    private const int MaxChars = 80;

    public static string Printable(string? input)
    {
        if (input is null)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var c in input.Length > MaxChars ? input[..MaxChars] : input)
        {
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return input.Length > MaxChars ? text.Append($"… ({input.Length} characters)").ToString() : text.ToString();
    }
}
