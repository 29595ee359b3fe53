namespace VpnAppliance.VpnSim;

public static class Program
{
    public static int Main(string[] args) => 2;
}
