using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Playwright;
using Polyarch.Testing;

namespace Polyarch.Dashboard.Tests;

/// <summary>The dashboard in Debian's chromium against a real builder and invoker on the real host.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DashboardTests(DashboardFixture fixture)
{
    private static readonly string Screenshots = RepositoryRoot.Combine("docs", "images");

    [Fact]
    public async Task The_overview_lists_amd64_native_and_arm64_ppc64le_emulated()
    {
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        (await page.InnerTextAsync("#platforms tr[data-platform='linux/amd64']")).ShouldContain("native");
        (await page.InnerTextAsync("#platforms tr[data-platform='linux/arm64']")).ShouldContain("emulated");
        (await page.InnerTextAsync("#platforms tr[data-platform='linux/ppc64le']")).ShouldContain("emulated");
        // Failures first: the broken build's row comes before the green one.
        var rows = await page.Locator("#build-matrix tbody tr").AllInnerTextsAsync();
        rows.Count.ShouldBeGreaterThanOrEqualTo(3);
        rows[0].ShouldContain(fixture.Broken.ShortCommit);
        await ScreenshotAsync(page, "overview.png");
    }

    [Fact]
    public async Task A_three_platform_build_shows_three_green_cells_and_a_failed_ppc64le_step_a_red_cell_with_its_error()
    {
        fixture.Green.ExitCode.ShouldBe(0, fixture.Green.ToString());
        fixture.Broken.ExitCode.ShouldBe(1, fixture.Broken.ToString());
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/builds");

        var green = page.Locator("#build-matrix tbody tr", new() { HasText = fixture.Green.ShortCommit });
        foreach (var platform in new[] { "linux/amd64", "linux/arm64", "linux/ppc64le" })
        {
            var cell = green.Locator($"td[data-platform='{platform}']");
            (await cell.GetAttributeAsync("data-state")).ShouldBe("succeeded", platform);
            (await cell.GetAttributeAsync("class"))!.ShouldContain("ok");
            (await cell.Locator("code.digest").GetAttributeAsync("title")).ShouldBe(fixture.Green.ChildDigest(platform), platform);
        }

        var broken = page.Locator("#build-matrix tbody tr", new() { HasText = fixture.Broken.ShortCommit });
        var red = broken.Locator("td[data-platform='linux/ppc64le']");
        (await red.GetAttributeAsync("data-state")).ShouldBe("failed");
        (await red.GetAttributeAsync("class"))!.ShouldContain("bad");
        (await red.Locator(".why").InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();
        (await red.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).ShouldBe("rgb(253, 224, 224)");
        (await broken.Locator("td[data-platform='linux/amd64']").GetAttributeAsync("data-state")).ShouldNotBe("failed");
        await ScreenshotAsync(page, "builds.png");

        // The failed build's page: its error and its log.
        await broken.Locator("th a").ClickAsync();
        (await page.InnerTextAsync("main")).ShouldContain("this function does not support ppc64le");
    }

    [Fact]
    public async Task A_running_build_shows_each_platforms_progress_live_then_its_green_cells_without_a_reload()
    {
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/builds");
        await page.WaitForFunctionAsync("() => document.getElementById('live-status')?.textContent.startsWith('Live')");
        await page.EvaluateAsync("() => { window.polyarchSameDocument = true; }");
        var platforms = new[] { "linux/amd64", "linux/arm64", "linux/ppc64le" };

        // A slow step per platform: the build runs long enough to be watched (the run id keeps it out of the build cache).
        var build = fixture.BuildAsync("slow", $"RUN echo {TestRun.Id} && sleep 8", string.Join(',', platforms));
        var row = page.Locator("#build-matrix tbody tr", new() { HasText = $"{fixture.Repository}-slow" });
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var sleeping = false;
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(90);
        while ((seen.Count < platforms.Length || !sleeping) && !build.IsCompleted && TimeProvider.System.GetUtcNow() < deadline)
        {
            foreach (var platform in platforms)
            {
                var cell = row.Locator($"td[data-platform='{platform}'][data-state='running']");
                if (await cell.Locator(".progress").CountAsync() > 0)
                {
                    seen[platform] = await cell.InnerTextAsync();
                    sleeping |= seen[platform].Contains("sleep 8", StringComparison.Ordinal);
                }
            }

            await Task.Delay(200);
        }

        string.Join(",", seen.Keys.Order(StringComparer.Ordinal)).ShouldBe(string.Join(",", platforms), $"progress seen while running: {string.Join(" | ", seen)}\n{fixture.Output}");
        foreach (var (platform, text) in seen)
        {
            text.ShouldMatch(@"step \d+/\d+ · \d", platform);
        }

        sleeping.ShouldBeTrue($"no cell named its current step '… sleep 8': {string.Join(" | ", seen)}");
        await ScreenshotAsync(page, "build-progress.png");

        var outcome = await build;
        outcome.ExitCode.ShouldBe(0, outcome.ToString());
        foreach (var platform in platforms)
        {
            var cell = row.Locator($"td[data-platform='{platform}'][data-state='succeeded']");
            await cell.WaitForAsync(new() { Timeout = 30_000 });
            (await cell.Locator(".progress").CountAsync()).ShouldBe(0, platform);
            (await cell.Locator("code.digest").GetAttributeAsync("title")).ShouldBe(outcome.ChildDigest(platform), platform);
        }

        (await page.EvaluateAsync<bool>("() => window.polyarchSameDocument === true")).ShouldBeTrue("the page was reloaded");
    }

    [Fact]
    public async Task An_invocation_through_the_CLI_appears_on_the_activations_page_without_a_reload()
    {
        fixture.Green.ExitCode.ShouldBe(0, fixture.Green.ToString());
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/activations");
        await page.EvaluateAsync("() => { window.__notReloaded = true; }");
        await page.WaitForSelectorAsync("#live-status:has-text('Live')");

        var result = await Cli.Wrap("dotnet")
            .WithArguments([DashboardFixture.Bin("polyarch-invoker"), "invoke", $"{fixture.Green.Repository}:latest", "--platform", "linux/arm64", "--output", "json"])
            .WithEnvironmentVariables(fixture.Environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        result.ExitCode.ShouldBe(0, result.StandardOutput + result.StandardError);
        using var record = JsonDocument.Parse(result.StandardOutput);
        var id = record.RootElement.GetProperty("activationId").GetString()!;
        var digest = record.RootElement.GetProperty("childDigest").GetString()!;
        digest.ShouldBe(fixture.Green.ChildDigest("linux/arm64"));

        var row = page.Locator($"table[data-live='activations'] tr#act-{id}");
        await row.WaitForAsync(new() { Timeout = 15_000 });
        (await row.GetAttributeAsync("data-platform")).ShouldBe("linux/arm64");
        (await row.InnerTextAsync()).ShouldContain("emulated");
        (await row.Locator("code.digest").GetAttributeAsync("title")).ShouldBe(digest);
        (await page.EvaluateAsync<bool>("() => window.__notReloaded === true")).ShouldBeTrue("the page reloaded");

        // One more per platform, then the chart: median duration per platform, native and emulated apart.
        var all = await Cli.Wrap("dotnet")
            .WithArguments([DashboardFixture.Bin("polyarch-invoker"), "invoke", $"{fixture.Green.Repository}:latest", "--all-platforms"])
            .WithEnvironmentVariables(fixture.Environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        all.ExitCode.ShouldBe(0, all.StandardOutput + all.StandardError);
        await page.ReloadAsync();
        var chart = await page.Locator("svg.chart desc").TextContentAsync() ?? string.Empty;
        chart.ShouldContain("linux/amd64 native: median");
        chart.ShouldContain("linux/arm64 emulated: median");
        chart.ShouldContain("over 2");
        chart.ShouldContain("linux/ppc64le emulated: median");
        (await page.Locator("svg.chart rect.emulated").CountAsync()).ShouldBe(2);
        await ScreenshotAsync(page, "activations.png");
        row = page.Locator($"table[data-live='activations'] tr#act-{id}");

        await row.Locator("a").ClickAsync();
        var detail = await page.InnerTextAsync("main");
        detail.ShouldContain(digest[..19]);
        detail.ShouldContain("emulated (QEMU)");
        detail.ShouldContain("aarch64");
        await ScreenshotAsync(page, "activation.png");
    }

    [Fact]
    public async Task An_image_lacking_a_platform_shows_the_why_not()
    {
        fixture.TwoPlatforms.ExitCode.ShouldBe(0, fixture.TwoPlatforms.ToString());
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/images/view?ref={Uri.EscapeDataString(fixture.TwoPlatforms.Repository + ":latest")}");

        (await page.Locator("#variants tbody tr").CountAsync()).ShouldBe(2);
        var ppc = await page.InnerTextAsync("#placement tr[data-platform='linux/ppc64le']");
        ppc.ShouldContain("cannot run");
        ppc.ShouldContain("the image has no variant for linux/ppc64le");
        ppc.ShouldContain("not the requested platform linux/ppc64le");
        (await page.InnerTextAsync("#placement tr[data-platform='linux/arm64']")).ShouldContain("emulated");
        await ScreenshotAsync(page, "image.png");

        // An activation that asked that image for ppc64le: its page shows the placement's why-not table.
        using var http = new HttpClient { BaseAddress = new Uri(fixture.InvokerUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", fixture.ApiKey);
        var action = $"two-{TestRun.Id}";
        (await http.PutAsync($"/v1/actions/{action}", Json(new { image = fixture.TwoPlatforms.Repository + ":latest" }))).EnsureSuccessStatusCode();
        var accepted = await http.PostAsync($"/v1/actions/{action}/invocations?blocking=false&platform=linux/ppc64le", Json(new { }));
        ((int)accepted.StatusCode).ShouldBe(202);
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("activationId").GetString()!;
        for (var attempt = 0; attempt < 60 && (await http.GetAsync($"/v1/activations/{id}")).StatusCode != System.Net.HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(250);
        }

        await page.GotoAsync($"/activations/{id}");
        (await page.InnerTextAsync("main h2:has-text('Why it could not run') + ul")).ShouldContain("the image has no variant for linux/ppc64le");
        (await page.Locator("table.why-not tbody tr").AllInnerTextsAsync()).ShouldContain(r => r.Contains("linux/arm64") && r.Contains("not the requested platform linux/ppc64le"));
        await ScreenshotAsync(page, "why-not.png");
    }

    [Fact]
    public async Task The_API_key_login_works_and_a_wrong_key_is_refused()
    {
        await using var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.InvokerUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/activations");
        page.Url.ShouldStartWith(fixture.InvokerUrl + "/login");

        await page.FillAsync("#key", "not-the-key");
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"), r => r.Url.EndsWith("/login", StringComparison.Ordinal) && r.Request.Method == "POST");
        refused.Status.ShouldBe(401);
        (await page.InnerTextAsync("[role=alert]")).ShouldContain("not this invoker's API key");
        (await context.CookiesAsync()).ShouldNotContain(c => c.Name == "polyarch-dashboard");

        await page.FillAsync("#key", fixture.ApiKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(fixture.InvokerUrl + "/activations");
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "polyarch-dashboard");
        cookie.HttpOnly.ShouldBeTrue();
        cookie.SameSite.ShouldBe(SameSiteAttribute.Strict);
        cookie.Value.ShouldNotContain(fixture.ApiKey);

        // The REST API keeps bearer tokens: the dashboard's cookie opens no /v1 endpoint.
        var api = await context.APIRequest.GetAsync("/v1/activations");
        api.Status.ShouldBe(401);
        var response = await page.GotoAsync("/");
        (await response!.HeaderValueAsync("content-security-policy"))!.ShouldContain("script-src 'self'");
        fixture.Output.ShouldNotContain(fixture.ApiKey);
    }

    [Fact]
    public async Task A_workflow_run_shows_its_steps_as_a_graph_with_a_chip_per_platform_linked_to_its_activations()
    {
        fixture.Green.ExitCode.ShouldBe(0, fixture.Green.ToString());
        var definition = Path.Combine(fixture.StateDirectory, "dashboard-workflow.yaml");
        await File.WriteAllTextAsync(definition, """
            name: dashboard-fan
            steps:
              - name: first
                action: wf-echo
                platforms: linux/amd64
              - name: everywhere
                action: wf-echo
                needs: [first]
                platforms: all
                params: { before: "${steps.first.result}" }
            """);
        await InvokerCliAsync("actions", "create", "wf-echo", "--image", $"{fixture.Green.Repository}:latest");
        await InvokerCliAsync("workflows", "create", "dashboard-fan", "--file", definition);
        using var run = JsonDocument.Parse(await InvokerCliAsync("workflows", "run", "dashboard-fan", "--wait", "--output", "json"));
        var id = run.RootElement.GetProperty("id").GetString()!;
        run.RootElement.GetProperty("status").GetString().ShouldBe("succeeded", run.RootElement.ToString());

        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/workflows");
        var row = page.Locator($"#workflow-runs a[href='/workflows/runs/{id}']");
        await row.ClickAsync();
        var fan = page.Locator("#workflow-graph g.step[data-step='everywhere']");
        (await fan.GetAttributeAsync("data-status")).ShouldBe("succeeded");
        var chips = fan.Locator("a[data-platform]");
        (await chips.CountAsync()).ShouldBe(3, "one chip per platform of the fan-out");
        var platforms = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            platforms.Add((await chips.Nth(i).GetAttributeAsync("data-platform"))!);
            (await chips.Nth(i).GetAttributeAsync("data-status")).ShouldBe("succeeded");
        }

        platforms.ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        (await page.Locator("#workflow-graph line.edge").CountAsync()).ShouldBe(1, "everywhere needs first");
        (await page.Locator("#workflow-steps tbody tr").CountAsync()).ShouldBe(4, "first on one platform, everywhere on three");
        await ScreenshotAsync(page, "workflow-run.png");

        var activation = await chips.First.GetAttributeAsync("href");
        await chips.First.ClickAsync();
        page.Url.ShouldEndWith(activation!);
    }

    private async Task<string> InvokerCliAsync(params string[] arguments)
    {
        var result = await Cli.Wrap("dotnet")
            .WithArguments([DashboardFixture.Bin("polyarch-invoker"), .. arguments])
            .WithEnvironmentVariables(fixture.Environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        result.ExitCode.ShouldBe(0, $"polyarch-invoker {string.Join(' ', arguments)}: {result.StandardOutput}{result.StandardError}");
        return result.StandardOutput;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/builds")]
    [InlineData("/activations")]
    [InlineData("/images")]
    [InlineData("/rules")]
    [InlineData("/workflows")]
    public async Task Axe_finds_no_serious_or_critical_violations(string path)
    {
        var axe = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "vendor", "axe-core", "axe.min.js"));
        await using var context = await fixture.SignedInContextAsync(bypassCsp: true);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.AddScriptTagAsync(new() { Content = axe });
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations" +
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')" +
            ".map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))");
        violations.EnumerateArray().Select(v => v.GetString()).ShouldBeEmpty(path);
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name), FullPage = true });
    }
}
