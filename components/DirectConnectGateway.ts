import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import type { DxAssociationType } from "../model/directConnect";
import { type DirectConnectGatewayPlan, planDirectConnectGateway } from "../model/directConnect";
import { componentWhere } from "../model/errors";
import { ACCOUNT_ACCESS_KEYS, type AccountAccess, accessProvider } from "./accountAccess";
import * as aws from "./aws";
import { ComponentState } from "./componentState";

/** One association of the Direct Connect gateway with a virtual private gateway or a transit gateway. */
export interface DirectConnectGatewayAssociation {
  /**
   * "vgw": a virtual private gateway (one per VPC, in any account or region); "tgw": a transit gateway. A
   * Direct Connect gateway is associated with virtual private gateways or with transit gateways, never both.
   */
  gatewayType: DxAssociationType;
  /** Id of the virtual private gateway (`vgw-...`) or transit gateway (`tgw-...`). */
  gatewayId: pulumi.Input<string>;
  /**
   * Allowed prefixes (IPv4 or IPv6 CIDRs, each once). Transit gateway: exactly what the Direct Connect gateway
   * advertises on-premises; at most 200 (AWS, not adjustable). Virtual private gateway: a filter on the VPC's
   * CIDRs, each the same as or wider than a VPC CIDR (AWS advertises whole VPC CIDRs).
   */
  allowedPrefixes: string[];
  /**
   * Virtual private gateway only: the VPC's CIDRs. When given, each must be covered by an allowed prefix, no
   * allowed prefix may be narrower than one, and VPCs behind the gateway must not overlap. @default not checked.
   */
  vpcCidrs?: string[];
  /**
   * Transit gateway only: its Amazon side ASN. When given, it must differ from the Direct Connect gateway's
   * (AWS refuses the association otherwise), and from other transit gateways' in other regions. @default not checked.
   */
  transitGatewayAsn?: number;
  /**
   * Region of the gateway, when it is not the provider's region. Required with `proposalAccess`: the owner's
   * provider is made in it. @default the provider's region.
   */
  region?: string;
  /**
   * Cross-account: the account that owns the gateway. The gateway owner's account proposes the association
   * (through `proposalAccess`) and this component accepts it. @default the Direct Connect gateway's account.
   */
  ownerAccountId?: string;
  /**
   * Cross-account: the role in `ownerAccountId` (the role's account must be it) the association proposal is
   * made with. The component makes a provider from it (its child `<name>-<key>-owner-provider`, in `region`,
   * limited to `ownerAccountId`). Required with `ownerAccountId`.
   */
  proposalAccess?: AccountAccess;
}

/** @deprecated Renamed `DirectConnectGatewayAssociation`: the name the package schema gives other languages. */
export type DirectConnectGatewayAssociationArgs = DirectConnectGatewayAssociation;

/** Arguments for `DirectConnectGateway`. */
export interface DirectConnectGatewayArgs {
  /**
   * Amazon side BGP ASN of the Direct Connect gateway: a private ASN, 64512–65534 or 4200000000–4294967294,
   * different from every associated transit gateway's ASN. Required: AWS has no default.
   */
  amazonSideAsn: number;
  /** Name of the Direct Connect gateway. @default the component name. */
  gatewayName?: string;
  /**
   * Associations keyed by a stable name used in resource names (1–32 letters, digits, '-'). At most 20 virtual
   * private gateways or 6 transit gateways (AWS, not adjustable). @default none.
   */
  associations?: Record<string, DirectConnectGatewayAssociation>;
  /** Tags on the Direct Connect gateway. */
  tags?: Record<string, string>;
}

/** The keys DirectConnectGateway's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<DirectConnectGatewayArgs>({
  amazonSideAsn: "value",
  gatewayName: "value",
  associations: {
    record: keysOf<DirectConnectGatewayAssociation>({
      gatewayType: "value",
      gatewayId: "value",
      allowedPrefixes: "value",
      vpcCidrs: "value",
      transitGatewayAsn: "value",
      region: "value",
      ownerAccountId: "value",
      proposalAccess: ACCOUNT_ACCESS_KEYS,
    }),
  },
  tags: "value",
});

const plans = new ComponentState<DirectConnectGateway, DirectConnectGatewayPlan>();

/**
 * AWS Direct Connect gateway: a global gateway that private or transit virtual interfaces attach to, associated
 * with virtual private gateways (one per VPC, across accounts and regions) or transit gateways, each with its
 * allowed prefixes. Cross-account associations are proposed from the gateway owner's account and accepted here.
 */
export class DirectConnectGateway extends pulumi.ComponentResource {
  /** Direct Connect gateway id. */
  public readonly dxGatewayId: pulumi.Output<string>;
  /** Account that owns the Direct Connect gateway (what cross-account proposals name). */
  public readonly ownerAccountId: pulumi.Output<string>;
  /** Amazon side ASN of the Direct Connect gateway. */
  public readonly amazonSideAsn: pulumi.Output<number>;
  /** Association ids (`dxGatewayAssociationId`) by association key. */
  public readonly associationIds: pulumi.Output<Record<string, string>>;
  /**
   * Transit gateway attachment ids of the transit gateway associations, by association key: the transport
   * attachment of a private IP VPN (DirectConnectVpn `transport.transportAttachmentId`).
   */
  public readonly transitGatewayAttachmentIds: pulumi.Output<Record<string, string>>;
  /** Association proposal ids of cross-account associations, by association key. */
  public readonly proposalIds: pulumi.Output<Record<string, string>>;
  /** The plan the component registered: name, ASN, association type and canonical allowed prefixes. */
  public get plan(): DirectConnectGatewayPlan {
    return plans.get(this);
  }

  constructor(name: string, args: DirectConnectGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("DirectConnectGateway", name), ARGUMENT_KEYS, args);
    const plan = planDirectConnectGateway(componentWhere("DirectConnectGateway", name), name, args);
    super("hybridnet:index:DirectConnectGateway", name, {}, opts);
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };

    const gateway = new aws.directconnect.Gateway(
      `${name}-dxgw`,
      { name: plan.gatewayName, amazonSideAsn: String(plan.amazonSideAsn), tags },
      { parent: this },
    );

    const associations = plan.associations.map((planned) => {
      const given = args.associations![planned.key];
      const region = planned.region !== undefined ? { region: planned.region } : {};
      let proposal: aws.directconnect.GatewayAssociationProposal | undefined;
      if (planned.crossAccount) {
        // The plan guarantees proposalAccess, ownerAccountId and region on a cross-account association.
        const owner = accessProvider(
          this,
          `${name}-${planned.key}-owner-provider`,
          name,
          given.proposalAccess!,
          {
            region: given.region!,
            accountId: given.ownerAccountId!,
          },
        );
        // The gateway owner proposes; the Direct Connect gateway owner (this component's provider) accepts.
        proposal = new aws.directconnect.GatewayAssociationProposal(
          `${name}-${planned.key}-proposal`,
          {
            dxGatewayId: gateway.id,
            dxGatewayOwnerAccountId: gateway.ownerAccountId,
            associatedGatewayId: given.gatewayId,
            allowedPrefixes: planned.allowedPrefixes,
            ...region,
          },
          { parent: this, provider: owner },
        );
      }
      const association = new aws.directconnect.GatewayAssociation(
        `${name}-${planned.key}-association`,
        proposal
          ? {
              dxGatewayId: gateway.id,
              proposalId: proposal.id,
              associatedGatewayOwnerAccountId: planned.ownerAccountId,
              allowedPrefixes: planned.allowedPrefixes,
              ...region,
            }
          : {
              dxGatewayId: gateway.id,
              associatedGatewayId: given.gatewayId,
              allowedPrefixes: planned.allowedPrefixes,
              ...region,
            },
        { parent: this },
      );
      return { planned, association, proposal };
    });

    const byKey = (entries: pulumi.Output<readonly [string, string]>[]) =>
      pulumi.all(entries).apply((e) => Object.fromEntries(e) as Record<string, string>);
    this.dxGatewayId = gateway.id;
    this.ownerAccountId = gateway.ownerAccountId;
    this.amazonSideAsn = pulumi.output(plan.amazonSideAsn);
    this.associationIds = byKey(
      associations.map((a) =>
        a.association.dxGatewayAssociationId.apply((id) => [a.planned.key, id] as const),
      ),
    );
    this.transitGatewayAttachmentIds = byKey(
      associations
        .filter((a) => a.planned.gatewayType === "tgw")
        .map((a) => a.association.transitGatewayAttachmentId.apply((id) => [a.planned.key, id] as const)),
    );
    this.proposalIds = byKey(
      associations.flatMap((a) =>
        a.proposal ? [a.proposal.id.apply((id) => [a.planned.key, id] as const)] : [],
      ),
    );
    this.registerOutputs({
      dxGatewayId: this.dxGatewayId,
      ownerAccountId: this.ownerAccountId,
      amazonSideAsn: this.amazonSideAsn,
      associationIds: this.associationIds,
      transitGatewayAttachmentIds: this.transitGatewayAttachmentIds,
      proposalIds: this.proposalIds,
    });
  }
}
