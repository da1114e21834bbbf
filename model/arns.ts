/**
 * ARNs a component takes as plain values: IAM principals allowed to connect to an endpoint service, ACM
 * certificates, IAM SAML providers. Checked by shape (partition, account, resource path), not by lookup.
 * Values that are not strings (Outputs) are checked by AWS at deployment. Pure: no Pulumi import.
 */
import type { Problems } from "./errors";

/** The partitions ARNs name: standard, China, GovCloud. */
const PARTITION = "aws(?:-cn|-us-gov)?";
/** IAM names and paths: letters, digits and `+=,.@_-`; a path adds `/`. */
const IAM_PATH_NAME = "[\\w+=,.@-]+(?:/[\\w+=,.@-]+)*";

/** An IAM principal an endpoint service can allow: an account root, a role or a user. */
export const PRINCIPAL_ARN = new RegExp(
  `^arn:${PARTITION}:iam::\\d{12}:(?:root|role/${IAM_PATH_NAME}|user/${IAM_PATH_NAME})$`,
);

export const PRINCIPAL_RULE =
  'a 12-digit account id ("111122223333") or an IAM ARN: arn:aws:iam::<account>:root, arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>';

/**
 * A principal as the endpoint service's allowed-principals list holds it: an account id becomes its root ARN
 * in the standard partition (give the full ARN for China or GovCloud accounts). Returns the ARN or the reason
 * `value` is not a principal. The wildcard is not handled here: it needs the caller's explicit opt-in.
 */
export function normalizePrincipal(value: unknown): { arn: string } | { problem: string } {
  if (typeof value !== "string") return { problem: PRINCIPAL_RULE };
  if (/^\d{12}$/.test(value)) return { arn: `arn:aws:iam::${value}:root` };
  if (PRINCIPAL_ARN.test(value)) return { arn: value };
  return { problem: PRINCIPAL_RULE };
}

/** ACM: `arn:aws:acm:<region>:<account>:certificate/<uuid>`. */
export const ACM_CERTIFICATE_ARN = new RegExp(
  `^arn:${PARTITION}:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
);

/** Why a plain string `value` cannot be an ACM certificate ARN, or undefined (Outputs are not checked). */
export function acmCertificateArnProblem(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "")
    return "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>), or an Output of one";
  if (typeof value !== "string") return undefined;
  if (!ACM_CERTIFICATE_ARN.test(value))
    return "an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<uuid>";
  return undefined;
}

/** IAM SAML identity provider: `arn:aws:iam::<account>:saml-provider/<name>`. */
const SAML_PROVIDER_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:saml-provider/[\\w.-]{1,128}$`);

/** Why a plain string `value` cannot be an IAM SAML provider ARN, or undefined (Outputs are not checked). */
export function samlProviderArnProblem(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "")
    return "an IAM SAML provider ARN (arn:aws:iam::<account>:saml-provider/<name>), or an Output of one";
  if (typeof value !== "string") return undefined;
  if (!SAML_PROVIDER_ARN.test(value))
    return "an IAM SAML provider ARN: arn:aws:iam::<account>:saml-provider/<name>";
  return undefined;
}

/** IAM role: `arn:aws:iam::<account>:role/<path/name>`, the form `sts:AssumeRole` takes. */
export const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):role/${IAM_PATH_NAME}$`);

/** Why a plain string `value` cannot be a role to assume, or undefined (Outputs are not checked). */
export function roleArnProblem(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "")
    return "an IAM role ARN to assume (arn:aws:iam::<account>:role/<name>), or an Output of one";
  if (typeof value !== "string") return undefined;
  if (!ROLE_ARN.test(value)) return "an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>";
  return undefined;
}

/** The account of a role ARN given as a plain string, or undefined (an Output, or not a role ARN). */
export function roleArnAccount(value: unknown): string | undefined {
  return typeof value === "string" ? ROLE_ARN.exec(value)?.[1] : undefined;
}

/** STS: a role session name is 2–64 characters, letters, digits and `+=,.@_-`. */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** What a component takes to act in another account or Region: a role, as plain data (components/accountAccess). */
export interface AccountAccessSpec {
  roleArn?: unknown;
  externalId?: unknown;
  sessionName?: unknown;
  defaultTags?: unknown;
}

/**
 * Checks `access` (at `path`): a role ARN (plain ones by shape), whose account is `accountId` when both are
 * plain (a provider that assumes a role in one account while the arguments name another would act in the wrong
 * one: the provider refuses it at deployment, `allowedAccountIds`); a session name STS takes.
 */
export function checkAccountAccess(
  problems: Problems,
  path: string,
  access: AccountAccessSpec,
  account?: { path: string; accountId: unknown },
): void {
  problems.addIf(`${path}.roleArn`, access.roleArn, roleArnProblem(access.roleArn));
  const arnAccount = roleArnAccount(access.roleArn);
  if (
    account !== undefined &&
    arnAccount !== undefined &&
    typeof account.accountId === "string" &&
    arnAccount !== account.accountId
  )
    problems.addIf(
      `${path}.roleArn`,
      access.roleArn,
      `a role in account ${account.accountId} (${account.path}): the role's account is the account the provider acts in`,
    );
  if (access.sessionName !== undefined)
    problems.addIf(
      `${path}.sessionName`,
      access.sessionName,
      typeof access.sessionName === "string" && SESSION_NAME.test(access.sessionName)
        ? undefined
        : "a role session name: 2–64 letters, digits or +=,.@_- (STS)",
    );
}
