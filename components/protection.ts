/**
 * Production protection per child type: a component transformation that protects the stateful anchors
 * model/protection lists (VPN connections, gateways, VIFs, endpoint services, log groups, ...) and leaves
 * everything a routine change replaces (routes, rules, associations, alarms, generated keys) unprotected.
 * Blanket `protect: true` on a component would be inherited by every child and make those changes fail.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isProtectedInProd } from "../model/protection";

/**
 * Sets `protect` on the component it is given to and on each of its descendants by type: true exactly for the
 * anchors of model/protection. Pass it in a component's options: `{ transformations: [protectAnchors] }`.
 */
export const protectAnchors: pulumi.ResourceTransformation = ({ type, props, opts }) => ({
  props,
  opts: { ...opts, protect: isProtectedInProd(type) },
});
