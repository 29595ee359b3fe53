namespace VpnAppliance.NfCompat;

public static class Program
{
    public static int Main(string[] args) => 2; // replaced by the gate
}
