"""A network team's connectivity stack: a transit gateway hub with four segments, a site-to-site VPN
(BGP, two tunnels a connection) from two data centers, an existing workload VPC attached to the hub,
and a PrivateLink endpoint the data centers reach through the hub.

`pulumi package add github.com/example-org/hybridnet@v0.1.0` generates the `pulumi_hybridnet` SDK
under sdks/hybridnet (listed in requirements.txt). tests/examples.test.ts checks every hybridnet call
here against the package schema (schema.json) without running Pulumi.
"""

import pulumi
import pulumi_hybridnet as hybridnet

config = pulumi.Config()

# The existing workload VPC, the subnets the transit gateway uses in it (a small /28 per zone), and the
# application subnets the PrivateLink endpoint goes in.
vpc_id = config.require("vpcId")
private_route_table_id = config.require("privateRouteTableId")
tgw_subnets = {"eu-west-1a": config.require("tgwSubnetA"), "eu-west-1b": config.require("tgwSubnetB")}
app_subnets = {"eu-west-1a": config.require("appSubnetA"), "eu-west-1b": config.require("appSubnetB")}
partner_service_name = config.require("partnerServiceName")

team_tags = {"team": "network", "environment": "prod"}
dc_prefixes = ["10.100.0.0/16", "10.101.0.0/16"]

# One route table a segment. The data centers (onprem) reach shared services and production;
# non-production reaches shared services only, and its attachments do not reach each other.
hub = hybridnet.TransitGatewayHub(
    "hub",
    amazon_side_asn=64600,
    description="Connectivity hub, eu-west-1",
    segments={
        "onprem": hybridnet.SegmentSpecArgs(reaches=["shared", "prod"]),
        "shared": hybridnet.SegmentSpecArgs(reaches=["prod", "nonprod"]),
        "prod": hybridnet.SegmentSpecArgs(),
        "nonprod": hybridnet.SegmentSpecArgs(isolated=True, blackholes=dc_prefixes),
    },
    tags=team_tags,
)

# Both data centers over BGP, on the hub's transit gateway. Tunnel options stay at the component's
# secure defaults (IKEv2 only, AES-256, SHA-2, DH groups 14–21) except where dc1's device is pinned to
# the elliptic-curve groups and lets AWS start the negotiation. Pre-shared keys are config secrets.
vpn = hybridnet.TransitGatewayVpn(
    "vpn",
    transit_gateway_id=hub.transit_gateway_id,
    amazon_side_asn=64600,
    existing_transit_gateway=hybridnet.ExistingTransitGatewaySettingsArgs(
        default_route_table_association=hybridnet.DefaultRouteTableSetting.DISABLE,
        default_route_table_propagation=hybridnet.DefaultRouteTableSetting.DISABLE,
    ),
    route_tables=hybridnet.VpnRouteTablesArgs(
        association=hub.route_table_ids["onprem"],
        propagation={
            "onprem": hub.route_table_ids["onprem"],
            "shared": hub.route_table_ids["shared"],
            "prod": hub.route_table_ids["prod"],
        },
    ),
    sites={
        "dc1": hybridnet.TransitGatewayVpnSiteArgs(
            ip_address="203.0.113.10",
            bgp_asn=65010,
            routing=hybridnet.VpnRouting.BGP,
            prefixes=["10.100.0.0/16"],
            device_name="dc1-edge-01",
            tunnel_options=hybridnet.TunnelOptionsArgs(
                startup_action=hybridnet.StartupAction.START,
                phase1_dh_group_numbers=[19, 20, 21],
                phase2_dh_group_numbers=[19, 20, 21],
            ),
            tunnels=[
                hybridnet.VpnTunnelArgs(preshared_key=config.require_secret("dc1Tunnel1Psk")),
                hybridnet.VpnTunnelArgs(preshared_key=config.require_secret("dc1Tunnel2Psk")),
            ],
        ),
        "dc2": hybridnet.TransitGatewayVpnSiteArgs(
            ip_address="198.51.100.20",
            bgp_asn=65020,
            routing=hybridnet.VpnRouting.BGP,
            prefixes=["10.101.0.0/16"],
            device_name="dc2-edge-01",
            tunnels=[
                hybridnet.VpnTunnelArgs(preshared_key=config.require_secret("dc2Tunnel1Psk")),
                hybridnet.VpnTunnelArgs(preshared_key=config.require_secret("dc2Tunnel2Psk")),
            ],
        ),
    },
    tunnel_logs=hybridnet.TunnelLogArgs(retention_in_days=90),
    tunnel_alarms=hybridnet.TunnelAlarmArgs(evaluation_periods=3),
    tags=team_tags,
)

# The production VPC, created elsewhere, in the prod segment. Its private route table sends the data
# centers' prefixes to the transit gateway.
prod_attachment = hybridnet.VpcAttachment(
    "prodAttachment",
    vpc_id=vpc_id,
    transit_gateway_id=hub.transit_gateway_id,
    subnets=[
        hybridnet.AttachmentSubnetArgs(availability_zone=zone, subnet_id=subnet_id)
        for zone, subnet_id in tgw_subnets.items()
    ],
    segment="prod",
    segments={
        "prod": hybridnet.HubSegmentArgs(
            route_table_id=hub.route_table_ids["prod"], propagates_to=["prod", "onprem", "shared"]
        ),
        "onprem": hybridnet.HubSegmentArgs(
            route_table_id=hub.route_table_ids["onprem"], propagates_to=["onprem", "shared", "prod"]
        ),
        "shared": hybridnet.HubSegmentArgs(
            route_table_id=hub.route_table_ids["shared"], propagates_to=["shared", "onprem", "prod", "nonprod"]
        ),
        "nonprod": hybridnet.HubSegmentArgs(
            route_table_id=hub.route_table_ids["nonprod"], propagates_to=["shared"]
        ),
    },
    route_tables={"private": private_route_table_id},
    destinations=dc_prefixes,
    tags=team_tags,
)

# A partner's service in the production VPC, reachable on 443 from both data centers.
partner_endpoint = hybridnet.PrivateLinkEndpoint(
    "partnerEndpoint",
    vpc_id=vpc_id,
    service_name=partner_service_name,
    subnets=[
        hybridnet.PrivateLinkEndpointSubnetArgs(availability_zone=zone, subnet_id=subnet_id)
        for zone, subnet_id in app_subnets.items()
    ],
    ports=[443],
    allowed_cidrs=dc_prefixes,
    tags=team_tags,
)

pulumi.export("transitGatewayId", hub.transit_gateway_id)
pulumi.export("segmentRouteTableIds", hub.route_table_ids)
pulumi.export("vpnConnections", vpn.connections)
pulumi.export("customerGatewayIds", vpn.customer_gateway_ids)
# Feed back as previous_inside_cidrs when a site is added, so existing tunnels keep their addresses.
pulumi.export("tunnelInsideCidrs", vpn.inside_cidrs)
pulumi.export("prodAttachmentId", prod_attachment.attachment_id)
pulumi.export("partnerEndpointDnsNames", partner_endpoint.dns_names)
