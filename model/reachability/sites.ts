/**
 * The on-premises sites of an environment as its stacks' config declares them: what a plan cannot show, since
 * a site is not a resource. A VPN connection names its site only in its tags (`Name: <component>-<site>` or
 * `<component>-<site>-<n>`, `hybridnet:component: <component>`); the config says which sites a component
 * reaches and which prefixes each owns. ./fromPlan joins the two. Pure: no Pulumi import.
 */
import type { DeviceConfigFormat } from "../deviceConfig/site";
import type { StackSettings } from "../stackConfig";

/** One on-premises site reached through one component of one stack. */
export interface SiteDeclaration {
  /** The stack whose config declares the site; the component's resources are that stack's. */
  stack: string;
  /**
   * The component that reaches the site: its name in the program (`dc`, `dx-vpn`, `branches`), which is the
   * `hybridnet:component` tag of its VPN connections, customer gateways and Direct Connect gateways.
   */
  component: string;
  /** The site's key in the config (`dc1`): its name in the network model. */
  site: string;
  /** What the site owns: announced over BGP, or statically routed to it. */
  prefixes: string[];
  /**
   * How the site reaches AWS through the component: `vpn`, its VPN connections (over the internet or, for a
   * private IP VPN, over Direct Connect); `directConnect`, the component's Direct Connect gateways, to which the
   * site announces its prefixes over virtual interfaces with no VPN on top; `softwareVpn`, IPsec tunnels to the
   * component's appliance pair (SoftwareVpnAppliance), the site being one remote device (a peer) of it.
   */
  over: "vpn" | "directConnect" | "softwareVpn";
  /** The format of the site's device configuration (the site's `device.format`), where the config declares one. */
  deviceFormat?: DeviceConfigFormat;
  /**
   * softwareVpn: the tunnels as the config declares them (what the appliances' rendered configuration holds, and
   * the plan keeps secret in their user data): both sides' BGP ASNs, the device's address and the inside /30 of
   * its tunnel to each instance (the primary's first; the appliance takes the first address of each).
   */
  appliance?: { asn: number; remoteAsn: number; peerAddress: string; insideCidrs: string[] };
}

/**
 * The names the landing-zone program (stacks/connectivity.ts) gives the components that reach on-premises
 * sites. The program is not importable from model/; the reference environments' tests fail if these drift.
 */
export const CONNECTIVITY_SITE_COMPONENTS = {
  /** `hybridnet:vpn.sites`: the data centers' internet VPN on the hub (TransitGatewayVpn "dc"). */
  vpn: "dc",
  /** `hybridnet:directConnect.sites`: the private IP VPN over Direct Connect (DirectConnectVpn "dx-vpn"). */
  directConnect: "dx-vpn",
  /** `hybridnet:branches.sites`: the branches' VPN CloudHub (VpnCloudHub "branches"). */
  branches: "branches",
  /**
   * `hybridnet:directConnect.sites` with `gateway: "vgw"`: Direct Connect-only sites behind private VIFs on the
   * Direct Connect gateway (DirectConnectGateway "dx"), associated with the connectivity VPC's VGW.
   */
  directConnectGateway: "dx",
} as const;

/**
 * The name of a workload's own VPN component (`hybridnet:vpn` on a workload stack: ManagedVpn `<workload>-vpn`),
 * the `hybridnet:component` tag of its VPN connections.
 */
export const workloadVpnComponent = (workload: string) => `${workload}-vpn`;

/**
 * The name of a workload's software VPN appliance pair (`hybridnet:softwareVpn`: SoftwareVpnAppliance
 * `<workload>-swvpn`, stacks/workloadSoftwareVpn.ts), the `hybridnet:component` tag of its instances.
 */
export const workloadSoftwareVpnComponent = (workload: string) => `${workload}-swvpn`;

type WorkloadSoftwareVpn = NonNullable<Extract<StackSettings, { role: "workload" }>["config"]["softwareVpn"]>;

/** Each peer of a workload's software VPN is a site: one remote device, holding the remote network's prefixes. */
function softwareVpnSites(stack: string, workload: string, vpn: WorkloadSoftwareVpn): SiteDeclaration[] {
  return Object.keys(vpn.peers)
    .sort()
    .map((peer) => ({
      stack,
      component: workloadSoftwareVpnComponent(workload),
      site: peer,
      prefixes: [...vpn.remote.prefixes],
      over: "softwareVpn" as const,
      appliance: {
        asn: vpn.appliance.bgpAsn,
        remoteAsn: vpn.remote.bgpAsn,
        peerAddress: vpn.peers[peer].ipAddress,
        insideCidrs: [...vpn.peers[peer].insideCidrs],
      },
    }));
}

/**
 * Every site the environment's connectivity stacks declare, per component: the data centers on the internet
 * VPN, the data centers on the private IP VPN over Direct Connect (a VPN too: the site's prefixes are learned
 * inside the tunnels, and Direct Connect carries only the tunnels), the Direct Connect-only sites of a gateway on
 * the VPC's virtual private gateway (announced over their private VIFs), and the branches; and the sites of a
 * workload's own VPN (its virtual private gateway) and the remote devices of its software VPN. In key order, so the model is the same on every run.
 */
export function siteDeclarations(settings: readonly StackSettings[]): SiteDeclaration[] {
  const declarations: SiteDeclaration[] = [];
  for (const s of settings) {
    const stack = s.identity.stack;
    const add = (
      component: string,
      sites: Record<string, { prefixes: string[]; device?: { format: DeviceConfigFormat } }> | undefined,
      over: SiteDeclaration["over"] = "vpn",
    ) => {
      for (const key of Object.keys(sites ?? {}).sort())
        declarations.push({
          stack,
          component,
          site: key,
          prefixes: [...(sites?.[key].prefixes ?? [])],
          over,
          ...(sites?.[key].device ? { deviceFormat: sites[key].device.format } : {}),
        });
    };
    if (s.role === "workload") {
      if (s.config.vpn && s.identity.workload)
        add(workloadVpnComponent(s.identity.workload), s.config.vpn.sites);
      if (s.config.softwareVpn && s.identity.workload)
        declarations.push(...softwareVpnSites(stack, s.identity.workload, s.config.softwareVpn));
      continue;
    }
    add(CONNECTIVITY_SITE_COMPONENTS.vpn, s.config.vpn.sites);
    // `gateway: "vgw"`: the sites peer over private VIFs, no VPN; otherwise a private IP VPN over transit VIFs.
    const dx = s.config.directConnect as
      | { gateway?: string; sites?: Record<string, { prefixes: string[] }> }
      | undefined;
    if (dx?.gateway === "vgw")
      add(CONNECTIVITY_SITE_COMPONENTS.directConnectGateway, dx.sites, "directConnect");
    else add(CONNECTIVITY_SITE_COMPONENTS.directConnect, dx?.sites);
    add(CONNECTIVITY_SITE_COMPONENTS.branches, s.config.branches?.sites);
  }
  return declarations;
}
