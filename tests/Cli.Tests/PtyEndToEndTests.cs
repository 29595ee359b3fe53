using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace VpnAppliance.Cli.Tests;

/// <summary>
/// End to end through a pseudo-terminal, as an operator with picocom on a USB-serial adapter: VpnSim runs with
/// `--console pty --flash FILE` (no configuration at all); the test opens the /dev/pts/N it prints, logs in with
/// the factory password and changes it, configures two tunnels and BGP from scratch, commits, saves, stops
/// VpnSim (SIGKILL: no orderly shutdown), starts it again on the same flash file, logs in with the new password
/// and checks the configuration and the show output came back. Every wait is bounded (a missing text fails
/// the test with the transcript); nothing asserts on speed. Loopback only: the WAN socket binds 127.0.0.1.
/// </summary>
public class PtyEndToEndTests
{
    private static readonly string[] Configure =
    {
        "configure",
        "set system host-name branch9",
        "set interfaces lan address 192.168.10.1/24",
        "set interfaces wan address 198.18.0.2/24",
        "set interfaces wan gateway 198.18.0.1",
        "set vpn ike-group IKE proposal aes256-sha256-modp2048",
        "set vpn esp-group ESP proposal aes256gcm16",
        "set vpn peer gw-a address 198.18.1.10",
        "set vpn peer gw-a psk \"a long shared key for tunnel A\"",
        "set vpn peer gw-a ike-group IKE",
        "set vpn peer gw-a esp-group ESP",
        "set vpn peer gw-b address 198.18.1.11",
        "set vpn peer gw-b psk \"a long shared key for tunnel B\"",
        "set vpn peer gw-b ike-group IKE",
        "set vpn peer gw-b esp-group ESP",
        "set vpn tunnel vti0 peer gw-a",
        "set vpn tunnel vti0 address 169.254.21.2/30",
        "set vpn tunnel vti1 peer gw-b",
        "set vpn tunnel vti1 address 169.254.22.2/30",
        "set protocols bgp local-as 65010",
        "set protocols bgp router-id 192.168.10.1",
        "set protocols bgp neighbor 169.254.21.1 remote-as 65515",
        "set protocols bgp neighbor 169.254.22.1 remote-as 65515",
        "commit",
    };

    [Fact]
    public void Pty_Login_ConfigureFromScratch_Save_Restart_ConfigurationCameBack()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/ptmx"))
        {
            return; // no pseudo-terminals on this host
        }

        string flash = Path.Combine(Path.GetTempPath(), $"cli-e2e-{Environment.ProcessId}-{Guid.NewGuid():N}.flash");
        try
        {
            string shownBefore;
            using (var sim = new Sim(flash))
            {
                sim.Expect("login: ");
                sim.Send("admin");
                sim.Expect("Password: ");
                sim.Send("admin");
                sim.Expect("New password: ");
                sim.Send("pty-e2e-secret");
                sim.Expect("Retype new password: ");
                sim.Send("pty-e2e-secret");
                sim.Expect("admin@vpn> ");
                foreach (string line in Configure)
                {
                    sim.Send(line);
                    sim.Expect(line == "commit" ? "commit complete" : "# ");
                }

                sim.Send("exit");
                sim.Expect("admin@branch9> ");
                sim.Send("save");
                sim.Expect("saved (flash slot");
                sim.Expect("admin@branch9> ");
                sim.Mark();
                sim.Send("show configuration");
                shownBefore = sim.Expect("admin@branch9> ");
                Assert.Contains("set vpn peer gw-a psk ******", shownBefore);
                Assert.DoesNotContain("a long shared key", shownBefore);
            }

            using (var sim = new Sim(flash))
            {
                Assert.Contains("config flash", sim.Banner);
                sim.Expect("branch9 login: ");
                sim.Send("admin");
                sim.Expect("Password: ");
                sim.Send("pty-e2e-secret");
                sim.Expect("admin@branch9> ");
                sim.Mark();
                sim.Send("show configuration");
                string shownAfter = sim.Expect("admin@branch9> ");
                Assert.Equal(shownBefore, shownAfter);
                sim.Send("show ip route");
                string routes = sim.Expect("admin@branch9> ");
                Assert.Contains("C  192.168.10.0/24", routes);
                sim.Send("export cloud gw-a");
                Assert.Contains("169.254.21.2", sim.Expect("admin@branch9> "));
            }
        }
        finally
        {
            File.Delete(flash);
        }
    }

    /// <summary>One VpnSim process with its console on a pty.</summary>
    private sealed class Sim : IDisposable
    {
        private readonly Process _process;
        private readonly FileStream _tty;
        private readonly StringBuilder _seen = new();
        private readonly Thread _reader;
        private int _consumed;

        public readonly string Banner;

        public Sim(string flash, [CallerFilePath] string here = "")
        {
            string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
            var psi = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "VpnSim.dll"));
            foreach (string a in new[] { "run", "--console", "pty", "--flash", flash, "--wan", "udp:127.0.0.1:0" }) psi.ArgumentList.Add(a);
            _process = Process.Start(psi)!;
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginErrorReadLine();
            var banner = new StringBuilder();
            string? pts = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (pts == null && DateTime.UtcNow < deadline)
            {
                string? line = _process.StandardOutput.ReadLine();
                if (line == null) break;
                banner.AppendLine(line);
                if (line.StartsWith("console pty ")) pts = line["console pty ".Length..].Trim();
            }

            Banner = banner.ToString();
            Assert.True(pts != null, "VpnSim printed no pty path:\n" + Banner);
            _tty = new FileStream(pts!, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
            _reader = new Thread(ReadLoop) { IsBackground = true };
            _reader.Start();
        }

        private void ReadLoop()
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    int n = _tty.Read(buffer, 0, buffer.Length);
                    if (n <= 0) return;
                    lock (_seen) _seen.Append(Encoding.ASCII.GetString(buffer, 0, n).Replace("\r\n", "\n"));
                }
            }
            catch (Exception)
            {
                // the pty went away with the process
            }
        }

        public void Send(string line)
        {
            byte[] b = Encoding.ASCII.GetBytes(line + "\r");
            _tty.Write(b, 0, b.Length);
            _tty.Flush();
        }

        /// <summary>Forgets what was seen so far (the next Expect returns only newer text).</summary>
        public void Mark()
        {
            lock (_seen) _consumed = _seen.Length;
        }

        /// <summary>Waits (bounded) for text after the last match; returns what came before it since then.</summary>
        public string Expect(string text)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                lock (_seen)
                {
                    string s = _seen.ToString();
                    int at = s.IndexOf(text, _consumed, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        string before = s[_consumed..at];
                        _consumed = at + text.Length;
                        return before;
                    }
                }

                Thread.Sleep(10);
            }

            lock (_seen) Assert.Fail($"'{text}' not seen on the console; transcript:\n{_seen}");
            return "";
        }

        public void Dispose()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            finally
            {
                _tty.Dispose();
                _process.Dispose();
            }
        }
    }
}
