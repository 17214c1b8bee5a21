# syntax=docker/dockerfile:1
# DarwinGrid silo with CUDA 12 inference (LLamaSharp.Backend.Cuda12, every layer offloaded).
# Build from the repository root (needs a package source that has LLamaSharp.Backend.Cuda12 0.30.0):
#   docker build -f deploy/docker/silo-cuda.Dockerfile -t darwingrid/silo-cuda:dev .
# Run with the NVIDIA container toolkit (compose: a device reservation; Kubernetes: nvidia.com/gpu).

ARG CUDA_IMAGE=nvidia/cuda:12.6.3-runtime-ubuntu24.04

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN --mount=type=cache,id=darwingrid-nuget,target=/root/.nuget/packages \
    dotnet publish src/Silo/DarwinGrid.Silo.csproj -c Release -o /out --nologo -p:DarwinGpu=cuda12 \
 && find /out/runtimes -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +

# The ASP.NET Core runtime (the silo co-hosts the dashboard) comes from Microsoft's image, on the
# same Ubuntu 24.04 as the CUDA runtime image below.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS dotnet

FROM ${CUDA_IMAGE} AS runtime
# .NET's own dependencies (no ICU: the build is InvariantGlobalization) and OpenMP for llama.cpp.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3t64 libstdc++6 tzdata libgomp1 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
# The same non-root user as the .NET images (uid 1654), so volumes work across both variants.
ENV APP_UID=1654 \
    DOTNET_RUNNING_IN_CONTAINER=true
RUN groupadd --gid "$APP_UID" app \
 && useradd --no-log-init --uid "$APP_UID" --gid "$APP_UID" --create-home app \
 && mkdir -p /var/lib/darwingrid /models /data \
 && chown "$APP_UID:$APP_UID" /var/lib/darwingrid /models
WORKDIR /app
COPY --from=build /out ./
# The apphost: `docker compose exec <service> darwin models ...` works.
ENV PATH=/app:$PATH
ENV DarwinGrid__Home=/var/lib/darwingrid \
    DarwinGrid__ModelStoreDir=/models \
    DarwinGrid__DataDir=/data \
    DarwinGrid__Silo__Role=gpu \
    DarwinGrid__Devices__0=gpu0 \
    DarwinGrid__SiloPort=11111 \
    DarwinGrid__GatewayPort=30000 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
USER $APP_UID
EXPOSE 11111 30000 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/darwin.dll"]
CMD ["serve"]
