using System.Text;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// The name recorded with a stored grain state: namespace-qualified, nested types with '+',
/// generic arguments spelled out (<c>Ns.Box&lt;System.Int32&gt;</c>), no assembly or version, so a
/// rebuild or an assembly rename keeps stored state readable but a type rename is noticed.
/// </summary>
public static class StateTypeName
{
    public static string Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var builder = new StringBuilder();
        Append(builder, type);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, Type type)
    {
        if (type.IsArray)
        {
            Append(builder, type.GetElementType()!);
            builder.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }
        if (type.IsNested && !type.IsGenericParameter)
        {
            // A type nested in a generic type names its outer type by its open definition (Outer<T>+Inner).
            Append(builder, type.DeclaringType!);
            builder.Append('+');
        }
        else if (!string.IsNullOrEmpty(type.Namespace))
        {
            builder.Append(type.Namespace).Append('.');
        }

        var name = type.Name;
        var tick = name.IndexOf('`');
        builder.Append(tick < 0 ? name : name[..tick]);
        if (!type.IsGenericType)
            return;

        var arguments = type.GetGenericArguments();
        var own = type.IsNested ? arguments[type.DeclaringType!.GetGenericArguments().Length..] : arguments;
        if (own.Length == 0)
            return;
        builder.Append('<');
        for (var i = 0; i < own.Length; i++)
        {
            if (i > 0)
                builder.Append(',');
            Append(builder, own[i]);
        }
        builder.Append('>');
    }
}
