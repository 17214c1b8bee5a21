using DarwinGrid.Domain.Tasks;
using FsCheck.Xunit;

namespace DarwinGrid.Domain.Tests.Tasks;

public class PythonFloatTests
{
    [Theory]
    // Expected strings are CPython's str(float) of the value.
    [InlineData(0.0, "0.0")]
    [InlineData(1.51, "1.51")]
    [InlineData(1036.9, "1036.9")]
    [InlineData(2.0, "2.0")]
    [InlineData(-3.04, "-3.04")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(5.888436553555884e-05, "5.888436553555884e-05")]
    [InlineData(0.9647829909344999, "0.9647829909344999")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(123456.0, "123456.0")]
    [InlineData(-0.0, "-0.0")]
    public void WritesLikePython(double value, string expected) => Assert.Equal(expected, PythonFloat.Format(value));

    [Fact]
    public void RejectsNonFiniteNumbers() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PythonFloat.Format(double.NaN));

    [Property]
    public bool Round_trips_every_finite_double(double value) =>
        !double.IsFinite(value) || double.Parse(PythonFloat.Format(value), System.Globalization.CultureInfo.InvariantCulture).Equals(value);
}
