using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DarwinGrid.Grains.Tests")]
