# syntax=docker/dockerfile:1
# DarwinGrid dashboard as a cluster client: `darwin web --urls http://0.0.0.0:8080`.
# DEPENDS ON the `darwin web` verb (the dashboard helper's work; `darwin serve --urls` co-hosts it
# today). Build from the repository root:
#   docker build -f deploy/docker/web.Dockerfile -t darwingrid/web:dev .
# It is the same `darwin` build as the silo image, without OpenMP and never serving grains.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN --mount=type=cache,id=darwingrid-nuget,target=/root/.nuget/packages \
    dotnet publish src/Silo/DarwinGrid.Silo.csproj -c Release -o /out --nologo -p:DarwinGpu=none \
 && find /out/runtimes -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /out ./
# The apphost: `docker compose exec <service> darwin models ...` works.
ENV PATH=/app:$PATH
USER $APP_UID
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/darwin.dll"]
CMD ["web", "--urls", "http://0.0.0.0:8080"]
