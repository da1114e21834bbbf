import type * as pulumi from "@pulumi/pulumi";
import { type KnownKeys, keysOf } from "../model/argumentKeys";
import { roleArnAccount } from "../model/arns";
import * as aws from "./aws";

/**
 * Access to another AWS account (or another Region of this one) as plain data: the IAM role a component
 * assumes there. The component makes its own `aws.Provider` from it, as its child, in the Region and account
 * its arguments name for that side, so a program in any language passes strings rather than a provider object.
 */
export interface AccountAccess {
  /**
   * IAM role to assume, `arn:aws:iam::<12-digit account>:role/<name>`: in the account the component acts in
   * for that side. Its trust policy must let the caller's credentials assume it (`sts:AssumeRole`). A plain
   * string is checked (shape, and its account against the account the arguments name); an Output is taken as is.
   */
  roleArn: pulumi.Input<string>;
  /**
   * External id the role's trust policy requires (`sts:ExternalId` condition), when it requires one.
   * @default none.
   */
  externalId?: pulumi.Input<string>;
  /**
   * Session name of the assumed role, as CloudTrail records it: 2–64 letters, digits or `+=,.@_-` (STS).
   * @default `hybridnet-<component name>`.
   */
  sessionName?: string;
  /**
   * Tags the provider adds to every resource it creates that takes tags (`defaultTags`), as a stack's own
   * account provider does (`hybridnet:stack`, `hybridnet:environment`). @default none.
   */
  defaultTags?: Record<string, string>;
}

/** The keys an `AccountAccess` may have (model/argumentKeys). */
export const ACCOUNT_ACCESS_KEYS: KnownKeys = keysOf<AccountAccess>({
  roleArn: "value",
  externalId: "value",
  sessionName: "value",
  defaultTags: "value",
});

/** Where an `AccountAccess` acts: the Region of its provider, and the account when the arguments name it. */
export interface AccessPlace {
  /** Region the provider is made in. */
  region: string;
  /** Account the provider may act in (`allowedAccountIds`). @default the account of a plain `roleArn`. */
  accountId?: string;
}

/**
 * Registers the provider of `access` as a child of `parent`, named `name`: it assumes the role in the place's
 * Region and refuses to act in any account but the one the arguments name (or the role's own).
 */
export function accessProvider(
  parent: pulumi.Resource,
  name: string,
  sessionDefault: string,
  access: AccountAccess,
  place: AccessPlace,
): aws.Provider {
  const accountId = place.accountId ?? roleArnAccount(access.roleArn);
  return new aws.Provider(
    name,
    {
      region: place.region as aws.Region,
      assumeRoles: [
        {
          roleArn: access.roleArn,
          // STS caps the session name at 64 characters.
          sessionName: access.sessionName ?? `hybridnet-${sessionDefault}`.slice(0, 64),
          ...(access.externalId !== undefined ? { externalId: access.externalId } : {}),
        },
      ],
      ...(accountId !== undefined ? { allowedAccountIds: [accountId] } : {}),
      ...(access.defaultTags !== undefined ? { defaultTags: { tags: access.defaultTags } } : {}),
    },
    { parent },
  );
}
