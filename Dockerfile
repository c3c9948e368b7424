# syntax=docker/dockerfile:1
# Build: docker build -t chhaya .
# Run:   docker run -p 127.0.0.1:8080:8080 -v chhaya-data:/var/lib/chhaya chhaya
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Chhaya.Node/Chhaya.Node.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN groupadd --system chhaya && useradd --system --gid chhaya --home-dir /var/lib/chhaya chhaya \
    && mkdir -p /var/lib/chhaya && chown chhaya:chhaya /var/lib/chhaya && chmod 700 /var/lib/chhaya
COPY --from=build /app /app
USER chhaya
ENV CHHAYA__NODE__DATADIRECTORY=/var/lib/chhaya \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
VOLUME ["/var/lib/chhaya"]
EXPOSE 8080 4001
HEALTHCHECK --interval=30s --timeout=10s CMD ["dotnet", "/app/chhaya.dll", "status"]
ENTRYPOINT ["dotnet", "/app/chhaya.dll"]
CMD ["run", "--urls", "http://0.0.0.0:8080"]
