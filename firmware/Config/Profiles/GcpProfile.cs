using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// GCP HA VPN (INTEROP.md): inside /30 in 169.254.0.0/16; our ASN must differ from the Cloud Router's
    /// (the neighbour's remote-as); one cipher per role recommended.
    /// </summary>
    public sealed class GcpProfile : ICloudProfile
    {
        /// <summary>Keyword.</summary>
        public const string ProfileName = "gcp";

        /// <inheritdoc/>
        public string Name { get { return ProfileName; } }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, VpnPeer peer, DiagnosticList d)
        {
            ArrayList neighbors = CloudRules.NeighborsOf(model, peer);
            CloudRules.CheckEbgp(model, neighbors, "gcp-cloud-router-asn", "our local AS must differ from the Cloud Router ASN (this neighbor's remote-as)", d);
            CloudRules.CheckInsideSlash30(model, peer, "GCP", "gcp-inside-subnet", null, -1, d);
            IkeGroup ike = CloudRules.IkeGroupOf(model, peer);
            if (ike != null && ike.Proposals.Count > 1)
            {
                Proposal p = ike.ProposalAt(1);
                d.Warning(p.Line, ike.Name, "gcp-one-cipher", "GCP recommends one cipher per role; the first proposal is the one that matters");
            }
        }
    }
}
