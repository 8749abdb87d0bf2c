using System.Diagnostics;
using System.Text.RegularExpressions;
using Sr.Torch;
using Sr.Torch.io;

namespace Sr.Cli.Tests;

/// <summary>
/// The `sr eval --report` page as a browser shows it: headless Chromium (Debian's `chromium`, installed by this test when
/// missing and running as root) renders it from the disk; the screenshot must not be blank and every embedded image must
/// have decoded.
/// </summary>
[Collection("cli")]
public sealed partial class HtmlReportChromiumTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-chromium-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_report_renders_in_headless_chromium_with_every_image_decoded()
    {
        var chromium = Chromium.Find();
        var reportDir = Path.Combine(_dir, "rep");
        var (code, _, stderr) = CliRunner.Run("eval", "--model", "default", "--data", Path.Combine(CliRunner.SharedData, "Set5"), "--scale", "2", "--report", reportDir);
        Assert.True(code == 0, stderr);
        var page = Path.Combine(reportDir, "index.html");
        var html = File.ReadAllText(page);
        int images = Regex.Matches(html, "<img ").Count;
        Assert.Equal(5 * 3, images);

        // 1. The page as shipped, rendered: a screenshot that is not one flat colour.
        var screenshot = Path.Combine(_dir, "shot.png");
        var (shotCode, shotOutput) = Chromium.Run(chromium, _dir, $"--screenshot={screenshot}", "--window-size=1200,2000", new Uri(page).AbsoluteUri);
        Assert.True(shotCode == 0 && File.Exists(screenshot), $"chromium --screenshot failed (exit {shotCode}): {shotOutput}");
        using (var shot = ImageFile.Read(screenshot))
        {
            Assert.Equal((1200, 2000), (shot.Width, shot.Height));
            using var levels = shot.Pixels.to(ScalarType.Float32);
            double spread = levels.std().item<float>();
            Assert.True(spread > 10, $"the screenshot is (nearly) blank: standard deviation {spread:F2} levels");
        }

        // 2. A copy with a probe script (the shipped page has none): after load it writes "complete/total" of the images
        //    that decoded (complete with a natural width) into the title, which --dump-dom shows.
        var probe = Path.Combine(reportDir, "probe.html");
        File.WriteAllText(probe, html.Replace("</body>", "<script>window.addEventListener('load',()=>{const i=[...document.images];" +
            "document.title='decoded '+i.filter(x=>x.complete&&x.naturalWidth>0).length+'/'+i.length;});</script></body>", StringComparison.Ordinal));
        var (domCode, dom) = Chromium.Run(chromium, _dir, "--virtual-time-budget=5000", "--dump-dom", new Uri(probe).AbsoluteUri);
        Assert.True(domCode == 0, $"chromium --dump-dom failed (exit {domCode}): {dom}");
        var title = TitleRegex().Match(dom);
        Assert.True(title.Success, $"no title in the dumped DOM: {(dom.Length > 500 ? dom[..500] : dom)}");
        Assert.Equal($"decoded {images}/{images}", title.Groups[1].Value);
    }

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex TitleRegex();

    /// <summary>Finding, installing and running Debian's headless Chromium.</summary>
    internal static class Chromium
    {
        public static string Find()
        {
            if (Which("chromium") is { } found) return found;
            bool root = Environment.UserName == "root" || (OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/status").Contains("\nUid:\t0\t", StringComparison.Ordinal));
            Assert.True(root, "headless Chromium is missing: install it with `apt-get install -y chromium` (as root), then run the test again.");
            var (u, updateOutput) = Exec("apt-get", ["update"], null, TimeSpan.FromMinutes(10));
            Assert.True(u == 0, "apt-get update failed: " + updateOutput);
            var (i, installOutput) = Exec("apt-get", ["install", "-y", "chromium"], null, TimeSpan.FromMinutes(15));
            Assert.True(i == 0, "apt-get install -y chromium failed: " + installOutput);
            return Which("chromium") ?? throw new InvalidOperationException("chromium installed but not on PATH");
        }

        public static (int code, string output) Run(string chromium, string workDir, params string[] args)
        {
            // A fresh profile per run, and no network or background services: the page must render from the file alone.
            var profile = Directory.CreateDirectory(Path.Combine(workDir, "profile-" + Guid.NewGuid().ToString("N"))).FullName;
            string[] flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}"];
            return Exec(chromium, [.. flags, .. args], workDir, TimeSpan.FromMinutes(3));
        }

        private static string? Which(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

        private static (int code, string output) Exec(string file, string[] args, string? workDir, TimeSpan timeout)
        {
            var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
            if (workDir is not null) psi.WorkingDirectory = workDir;
            psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                return (-1, $"{file} timed out after {timeout.TotalMinutes} min");
            }
            return (p.ExitCode, stdout.Result + (stderr.Result.Length > 0 ? "\n[stderr] " + stderr.Result : ""));
        }
    }
}
