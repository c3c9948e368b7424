// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chhaya.LogStore.Records;
using Chhaya.Node.Admin;
using Chhaya.Node.Api;
using Chhaya.Testing;
using Npgsql;

namespace Chhaya.Node.Tests;

public class NodeHostTests
{
    [Fact]
    public async Task A_fresh_node_serves_health_openapi_metrics_and_an_empty_dashboard_on_sqlite()
    {
        await using var node = await TestNode.StartAsync();

        Assert.True(File.Exists(Path.Combine(node.DataDirectory, "chhaya.db")));
        Assert.Equal("Healthy", await node.Http.GetStringAsync("/healthz"));

        using var openApi = JsonDocument.Parse(await node.Http.GetStringAsync("/openapi/v1.json"));
        var paths = openApi.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/directories", out _));
        Assert.True(paths.TryGetProperty("/api/v1/equivocations", out _));

        var dashboard = await node.Http.GetStringAsync("/");
        Assert.Contains("Nothing has been witnessed yet", dashboard, StringComparison.Ordinal);

        var status = await node.Http.GetFromJsonAsync<NodeStatus>("/api/v1/status");
        Assert.StartsWith("SQLite file", status!.Storage, StringComparison.Ordinal);
        Assert.Equal(0, status.Counts.EpochHeads);

        // The store's own counters reach the Prometheus endpoint through OpenTelemetry.
        await node.Store.AppendAsync(new AlertRecord { Kind = "test", Severity = "info", Message = "m" }, CancellationToken.None);
        var metrics = await node.Http.GetStringAsync("/metrics");
        Assert.Contains("chhaya_logstore_appends", metrics, StringComparison.Ordinal);
        Assert.Contains("chhaya_table=\"alerts\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_postgres_connection_string_the_history_lives_in_postgres()
    {
        var connectionString = await PostgresTestServer.CreateDatabaseAsync("node");
        await using var node = await TestNode.StartAsync(null, $"--Storage:PostgresConnectionString={connectionString}");

        var status = await node.Http.GetFromJsonAsync<NodeStatus>("/api/v1/status");
        Assert.StartsWith("PostgreSQL database", status!.Storage, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(node.DataDirectory, "chhaya.db")));

        await node.Store.AppendAsync(new EpochHeadRecord { DirectoryId = "ab", Epoch = 1, Root = [1], PreviousRoot = [0], SignedHead = [9], Source = "local" }, CancellationToken.None);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM epoch_heads", connection);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Witnessed_history_appears_in_the_api_and_the_dashboard_html_encoded()
    {
        await using var node = await TestNode.StartAsync();
        await node.Store.AppendAsync(new DirectoryRecord { DirectoryId = "c0ffee", DisplayName = "<script>alert(1)</script>", Configuration = "experimental", HeadPublicKey = [1], VrfPublicKey = [2] }, CancellationToken.None);
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            await node.Store.AppendAsync(new EpochHeadRecord { DirectoryId = "c0ffee", Epoch = epoch, Root = [(byte)epoch], PreviousRoot = [(byte)(epoch - 1)], HeadTimestampUnixMs = 1_700_000_000_000, SignedHead = [7], Source = "local" }, CancellationToken.None);
        }

        await node.Store.AppendAsync(new EquivocationEvidenceRecord { DirectoryId = "c0ffee", Epoch = 2, Kind = "conflicting-heads", Summary = "two roots for epoch 2", Evidence = [1, 2, 3] }, CancellationToken.None);

        var directories = await node.Http.GetFromJsonAsync<List<DirectorySummary>>("/api/v1/directories");
        var directory = Assert.Single(directories!);
        Assert.Equal(3, directory.LatestEpoch);
        Assert.Equal("03", directory.LatestRoot);
        Assert.Equal(1, directory.Equivocations);

        var page = await node.Http.GetFromJsonAsync<Page<EpochView>>("/api/v1/directories/c0ffee/epochs?limit=2");
        Assert.Equal([1L, 2L], page!.Items.Select(e => e.Epoch));
        Assert.NotNull(page.Next);
        var rest = await node.Http.GetFromJsonAsync<Page<EpochView>>($"/api/v1/directories/c0ffee/epochs?after={page.Next}&limit=2");
        Assert.Equal([3L], rest!.Items.Select(e => e.Epoch));
        Assert.Null(rest.Next);

        await node.Store.AppendAsync(new CoSignatureRecord { DirectoryId = "c0ffee", Epoch = 3, Root = [3], WitnessPublicKey = [0xAA], Signature = [0xBB], SignedHead = [7] }, CancellationToken.None);
        await node.Store.AppendAsync(new QuorumCertificateRecord { DirectoryId = "c0ffee", Epoch = 3, Root = [3], SignerBitmap = [1], AggregateSignature = [0xCC], Certificate = [0xDD] }, CancellationToken.None);
        var coSignature = Assert.Single((await node.Http.GetFromJsonAsync<Page<CoSignatureView>>("/api/v1/directories/c0ffee/cosignatures"))!.Items);
        Assert.Equal(("aa", "bb", 3L), (coSignature.WitnessPublicKey, coSignature.Signature, coSignature.Epoch));
        var certificate = Assert.Single((await node.Http.GetFromJsonAsync<Page<CertificateView>>("/api/v1/directories/c0ffee/certificates"))!.Items);
        Assert.Equal("dd", certificate.Certificate);

        var evidence = await node.Http.GetFromJsonAsync<Page<EquivocationView>>("/api/v1/equivocations");
        Assert.Equal(Convert.ToBase64String([1, 2, 3]), Assert.Single(evidence!.Items).Evidence);

        var html = await node.Http.GetStringAsync("/");
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Equivocation evidence", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/directories/xyz")]
    [InlineData("/api/v1/directories/abc")]
    [InlineData("/api/v1/directories/ab/epochs?limit=100000")]
    [InlineData("/api/v1/directories/ab/epochs?after=-1")]
    [InlineData("/api/v1/equivocations?limit=0")]
    [InlineData("/api/v1/directories/zz/cosignatures")]
    [InlineData("/api/v1/directories/ab/certificates?limit=0")]
    public async Task Bad_parameters_get_400_with_a_reason(string path)
    {
        await using var node = await TestNode.StartAsync();
        using var response = await node.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        Assert.False(string.IsNullOrWhiteSpace(error!.Error));
    }

    [Fact]
    public async Task An_unknown_directory_is_404()
    {
        await using var node = await TestNode.StartAsync();
        using var response = await node.Http.GetAsync("/api/v1/directories/abcd");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/v1/directories")]
    [InlineData("PUT", "/api/v1/status")]
    [InlineData("DELETE", "/api/v1/equivocations")]
    [InlineData("POST", "/admin/v1/history/verify")]
    public async Task The_public_listener_refuses_every_state_changing_method(string method, string path)
    {
        await using var node = await TestNode.StartAsync();
        using var response = await node.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Admin_routes_exist_only_on_the_private_socket()
    {
        await using var node = await TestNode.StartAsync();
        using var publicResponse = await node.Http.GetAsync("/admin/v1/status");
        Assert.Equal(HttpStatusCode.NotFound, publicResponse.StatusCode);

        var socket = Path.Combine(node.DataDirectory, "admin.sock");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(node.DataDirectory));

        using var admin = AdminClient.Create(socket);
        var status = await admin.GetFromJsonAsync<NodeStatus>("/admin/v1/status");
        Assert.Equal((await node.Http.GetFromJsonAsync<NodeStatus>("/api/v1/status"))!.IdentityPublicKey, status!.IdentityPublicKey);
        using var verify = await admin.PostAsync("/admin/v1/history/verify", null);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        await using var node = await TestNode.StartAsync();
        using var response = await node.Http.GetAsync("/");
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Clients_over_the_rate_limit_get_429()
    {
        await using var node = await TestNode.StartAsync(null, "--Http:RequestsPerWindow=5", "--Http:WindowSeconds=60");
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await node.Http.GetAsync("/healthz");
            codes.Add(response.StatusCode);
        }

        Assert.Equal(5, codes.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(3, codes.Count(c => c == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task The_identity_survives_a_restart_and_a_second_node_on_one_directory_is_refused()
    {
        using var directory = new TempDirectory();
        string first;
        await using (var node = await TestNode.StartAsync(directory.Path))
        {
            first = (await node.Http.GetFromJsonAsync<NodeStatus>("/api/v1/status"))!.IdentityPublicKey;
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(directory.Path));
            Assert.Contains("already running", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory.Path, "identity.key")));
        await using var restarted = await TestNode.StartAsync(directory.Path);
        Assert.Equal(first, (await restarted.Http.GetFromJsonAsync<NodeStatus>("/api/v1/status"))!.IdentityPublicKey);
    }
}
