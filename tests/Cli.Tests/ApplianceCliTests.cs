using System.Text;
using VpnAppliance.Core;
using VpnAppliance.Firmware;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Cli.Tests;

/// <summary>The CLI wired into a whole appliance (RAM console, LAN port and flash): commands over real data, save and boot.</summary>
public class ApplianceCliTests
{
    private const string Lan = "set system host-name edge1\nset interfaces lan address 192.168.10.1/24\nset protocols static route 10.20.0.0/16 next-hop address 192.168.10.254\nset protocols static route 10.20.0.0/16 next-hop address 192.168.10.253\n";

    [Fact]
    public void ShowCommands_UseTheAppliancesData()
    {
        var box = new ApplianceRig(new MemoryFlash(2, 8192, 0xFF), Lan);
        string o = box.Run("show version\rshow system\rsh ip ro\rshow ip route explain 10.20.1.1 from 192.168.10.7 protocol 6 sport 40000 dport 443\rshow interfaces\rshow log\r");
        Assert.Contains("edge-vpn-appliance " + FirmwareVersion.Text, o);
        Assert.Contains("C  192.168.10.0/24", o);
        Assert.Contains("S  10.20.0.0/16", o);
        Assert.Contains("longest match: wins", o);
        Assert.Contains("static (protocols static route 10.20.0.0/16, distance 1)", o);
        Assert.Contains("next-hop group", o);
        Assert.Contains("member 1: lan via 192.168.10.25", o);
        Assert.Contains("selects member", o);
        Assert.Contains("interface  state", o);
        Assert.Contains("static pools", o); // show system (not in a golden file: every new pool changes its numbers)
        Assert.Contains("module cli", o);
        Assert.Contains("info system", o);
        Assert.Contains("admin@edge1> ", o);
    }

    [Fact]
    public void Commit_Save_Reboot_RestoresTheConfiguration()
    {
        var flash = new MemoryFlash(2, 8192, 0xFF);
        var box = new ApplianceRig(flash, Lan);
        string o = box.Run("configure\rset system host-name edge2\rset interfaces wan address 198.18.0.2/24\rcommit\rexit\rsave\r");
        Assert.Contains("commit complete", o);
        Assert.Contains("saved (flash slot 0, sequence 1)", o);
        Assert.Equal("edge2", box.Appliance.Config.Model.System.HostName);
        Assert.Contains("configuration committed", box.Run("show log\r"));

        var reboot = new ApplianceRig(flash, "set system host-name ignored-first-boot\n");
        Assert.Equal("edge2", reboot.Appliance.Config.Model.System.HostName);
        Assert.Equal(box.Appliance.Config.StorageText, reboot.Appliance.Config.StorageText);
        Assert.Contains("admin@edge2> ", reboot.Run("\r"));
    }

    [Fact]
    public void Reload_AndFactoryReset_AreConfirmedFirst()
    {
        var flash = new MemoryFlash(2, 8192, 0xFF);
        var box = new ApplianceRig(flash, Lan);
        box.Run("save\rreload\rno\r");
        Assert.False(box.Cli.ReloadRequested);
        box.Run("factory-reset\ryes\r");
        Assert.True(box.Cli.ReloadRequested);
        var reboot = new ApplianceRig(flash, null);
        Assert.Null(reboot.Appliance.Config.Model.System.HostName);
    }

    [Fact]
    public void Ping_HoldsThePromptUntilDone_AndCtrlCStopsIt()
    {
        var box = new ApplianceRig(new MemoryFlash(2, 8192, 0xFF), Lan);
        string o = box.Run("ping 192.168.10.9 count 3\r");
        Assert.Contains("PING 192.168.10.9", o);
        Assert.DoesNotContain("admin@edge1> \n", o.Split("ping 192.168.10.9 count 3\n")[1]);
        o = box.Run("\x03");
        Assert.Contains("ping statistics", o);
        Assert.EndsWith("admin@edge1> ", o);
        Assert.Contains("is not an address", box.Run("ping 192.168.10.9 source 10.9.9.9\r"));
    }
}
