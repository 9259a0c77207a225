using System.Reflection;
using System.Text;
using Google.Protobuf.Reflection;

namespace ResolutionGateway.Tools.Rgctl.Cli;

/// <summary>
/// Friendly lower-case names for proto enums: <c>CATEGORY_FOOD_SAFETY</c> (C# <c>FoodSafety</c>) is
/// "food-safety". Parsing also accepts underscores and the full proto name; the UNSPECIFIED value
/// is never accepted.
/// </summary>
internal static class EnumNames
{
    public static string Name<T>(T value)
        where T : struct, System.Enum => Kebab(value.ToString());

    public static IReadOnlyList<string> Names<T>()
        where T : struct, System.Enum =>
        [.. System.Enum.GetValues<T>().Where(v => !IsDefault(v)).Select(Name)];

    public static T Parse<T>(string option, string text, string? command = null)
        where T : struct, System.Enum =>
        TryParse<T>(text, out var value)
            ? value
            : throw new UsageException(
                $"invalid --{option} '{text}'; valid values: {string.Join(", ", Names<T>())}", command);

    /// <summary>As <see cref="Parse{T}"/> without throwing: false for unknown names and UNSPECIFIED.</summary>
    public static bool TryParse<T>(string text, out T value)
        where T : struct, System.Enum
    {
        var wanted = text.Trim().ToLowerInvariant().Replace('_', '-');
        foreach (var candidate in System.Enum.GetValues<T>())
        {
            if (IsDefault(candidate))
            {
                continue;
            }

            if (wanted == Name(candidate) || wanted == ProtoName(candidate))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static bool IsDefault<T>(T value)
        where T : struct => EqualityComparer<T>.Default.Equals(value, default);

    private static string? ProtoName<T>(T value)
        where T : struct, System.Enum =>
        typeof(T).GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static)
            ?.GetCustomAttribute<OriginalNameAttribute>()?.Name.ToLowerInvariant().Replace('_', '-');

    private static string Kebab(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }
}
