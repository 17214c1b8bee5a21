# syntax=docker/dockerfile:1
# DarwinGrid silo, CPU inference (llama.cpp CPU backend from LLamaSharp.Backend.Cpu).
# Build from the repository root:
#   docker build -f deploy/docker/silo.Dockerfile -t darwingrid/silo:dev .
# Runs `darwin serve` as the non-root user `app` (uid 1654, from the .NET base image).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# A portable (RID-less) publish keeps LLamaSharp's runtimes/linux-x64/native/{avx,avx2,avx512,noavx}
# layout, from which it picks the build matching the CPU at run time; other platforms' natives are dropped.
RUN --mount=type=cache,id=darwingrid-nuget,target=/root/.nuget/packages \
    dotnet publish src/Silo/DarwinGrid.Silo.csproj -c Release -o /out --nologo -p:DarwinGpu=none \
 && find /out/runtimes -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# ggml (under llama.cpp and the trainer) links OpenMP (libgomp.so.1), which the .NET image lacks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/*
# Home (per-silo scratch: SQLite when not clustered), the shared model store and the data folder.
# Owned by app so named volumes mounted here start out writable by it.
RUN mkdir -p /var/lib/darwingrid /models /data \
 && chown "$APP_UID:$APP_UID" /var/lib/darwingrid /models
WORKDIR /app
COPY --from=build /out ./
# The apphost: `docker compose exec <service> darwin models ...` works.
ENV PATH=/app:$PATH
ENV DarwinGrid__Home=/var/lib/darwingrid \
    DarwinGrid__ModelStoreDir=/models \
    DarwinGrid__DataDir=/data \
    DarwinGrid__Silo__Role=cpu \
    DarwinGrid__Devices__0=cpu0 \
    DarwinGrid__SiloPort=11111 \
    DarwinGrid__GatewayPort=30000
USER $APP_UID
# 11111: silo-to-silo, 30000: gateway (clients), 8080: dashboard when started with --urls.
EXPOSE 11111 30000 8080
# SIGTERM (docker stop, Kubernetes) cancels `serve`, which stops the silo within 30 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/darwin.dll"]
CMD ["serve"]
