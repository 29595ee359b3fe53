using System.Collections.Generic;
using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

/// <summary>parse(print(c)) == c and print(parse(print(c))) == print(c) over random valid configs (seeded).</summary>
public class RoundTripPropertyTests
{
    [Fact]
    public void RandomValidConfigs_RoundTrip_AndAreOrderIndependent()
    {
        for (int seed = 1; seed <= 400; seed++)
        {
            var gen = new RandomConfigGenerator(seed);
            List<string> lines = gen.Lines();
            string text = RandomConfigGenerator.Join(lines);
            ParseResult r = ConfigText.Parse(text);
            Assert.True(r.Ok, "seed " + seed + ": " + TestConfigs.Dump(r) + "\n" + text);
            ConfigModel c = r.Model;

            string stored = ConfigText.PrintForStorage(c);
            ParseResult back = ConfigText.Parse(stored);
            Assert.True(back.Ok, "seed " + seed + ": " + TestConfigs.Dump(back));
            Assert.True(back.Model.ContentEquals(c, true), "seed " + seed + " storage round trip\n" + stored);
            Assert.Equal(stored, ConfigText.PrintForStorage(back.Model));

            string shown = ConfigText.Print(c);
            ParseResult fromShown = ConfigText.Parse(shown);
            Assert.True(fromShown.Ok, "seed " + seed + ": " + TestConfigs.Dump(fromShown));
            Assert.True(fromShown.Model.ContentEquals(c, false), "seed " + seed + " masked round trip");
            Assert.Equal(shown, ConfigText.Print(fromShown.Model));

            // set-lines are order independent: a shuffled text gives the same model and the same canonical text
            gen.Shuffle(lines);
            ParseResult shuffled = ConfigText.Parse(RandomConfigGenerator.Join(lines));
            Assert.True(shuffled.Ok, "seed " + seed + " shuffled: " + TestConfigs.Dump(shuffled));
            Assert.True(shuffled.Model.ContentEquals(c, true), "seed " + seed + " shuffled model differs");
            Assert.Equal(stored, ConfigText.PrintForStorage(shuffled.Model));
        }
    }

    [Fact]
    public void ModelsThatDiffer_AreNotEqual()
    {
        ConfigModel a = ConfigText.Parse(TestConfigs.AzureExample).Model;
        ConfigModel b = ConfigText.Parse(TestConfigs.AzureExample.Replace("maximum-prefix 1000\nset protocols bgp neighbor 169.254.22.1", "maximum-prefix 999\nset protocols bgp neighbor 169.254.22.1")).Model;
        ConfigModel c = ConfigText.Parse(TestConfigs.AzureExample.Replace("aes256gcm16 aes256-sha256-modp2048", "aes256-sha256-modp2048 aes256gcm16")).Model;
        Assert.False(a.ContentEquals(b, true));
        Assert.False(a.ContentEquals(c, true)); // proposal order is preference order
        Assert.True(a.ContentEquals(ConfigText.Parse(TestConfigs.AzureExample).Model, true));
    }
}
