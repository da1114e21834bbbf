/**
 * The rest of the mock model: who the caller is and which Region it runs in (STS, `getRegion`), CloudWatch
 * log groups, log streams and alarms (with the names the provider generates), RAM shares' associations, and
 * the `random` provider's strings, passwords and bytes (passwords and bytes secret).
 */
import {
  autoName,
  type CallContext,
  digest,
  type IdContext,
  mockSecret,
  type ResourceContext,
  type ServiceMock,
} from "./shared";

/** The name the provider generates for a log group given only a prefix, or none. */
function logGroupName(name: string, inputs: Record<string, unknown>, seed: string): string {
  return `${inputs.namePrefix ?? `${name}-`}${digest(seed).slice(0, 26)}`;
}

/**
 * Names of auto-named resources (a namePrefix, or no name at all), as the provider makes them: part of the
 * state before the ARN is derived from it.
 */
export function autoNamedState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  seed: string,
): Record<string, unknown> {
  return type === "aws:cloudwatch/logGroup:LogGroup" && inputs.name === undefined
    ? { name: logGroupName(name, inputs, seed) }
    : {};
}

function id({ type, name, inputs, seed }: IdContext): string | undefined {
  switch (type) {
    case "aws:cloudwatch/logGroup:LogGroup":
      return String(inputs.name ?? logGroupName(name, inputs, seed));
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return String(inputs.name ?? `${name}-${digest(seed).slice(0, 7)}`);
    case "aws:cloudwatch/logStream:LogStream":
      return String(inputs.name ?? autoName(name, seed));
    case "aws:ram/resourceAssociation:ResourceAssociation":
      return `${inputs.resourceShareArn},${inputs.resourceArn}`;
    case "aws:ram/principalAssociation:PrincipalAssociation":
      return `${inputs.resourceShareArn},${inputs.principal}`;
    case "random:index/randomPassword:RandomPassword":
    case "random:index/randomString:RandomString":
    case "random:index/randomBytes:RandomBytes":
      return "none";
    default:
      return undefined;
  }
}

/** A random string of the requested length from letters and digits, derived from the resource's identity. */
function randomResult(type: string, inputs: Record<string, unknown>, seed: string): Record<string, unknown> {
  const length = Number(inputs.length ?? 16);
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const h = digest(seed).repeat(Math.ceil(length / 32) + 1);
  let result = "";
  for (let i = 0; i < length; i++) result += chars[parseInt(h.slice(i * 2, i * 2 + 2), 16) % chars.length];
  return { result: type.includes("Password") ? mockSecret(result) : result };
}

/** Random bytes of the requested length, derived from the resource's identity; both encodings secret, as the provider's. */
function randomBytes(inputs: Record<string, unknown>, seed: string): Record<string, unknown> {
  const length = Number(inputs.length ?? 32);
  const hex = digest(`bytes:${seed}`)
    .repeat(Math.ceil(length / 32))
    .slice(0, length * 2);
  return { base64: mockSecret(Buffer.from(hex, "hex").toString("base64")), hex: mockSecret(hex) };
}

function outputs({ type, id, inputs, seed, place }: ResourceContext): Record<string, unknown> | undefined {
  switch (type) {
    case "aws:cloudwatch/logStream:LogStream":
      return {
        arn: `arn:aws:logs:${place.region}:${place.account}:log-group:${String(inputs.logGroupName)}:log-stream:${id}`,
        name: id,
      };
    case "random:index/randomPassword:RandomPassword":
    case "random:index/randomString:RandomString":
      return randomResult(type, inputs, seed);
    case "random:index/randomBytes:RandomBytes":
      return randomBytes(inputs, seed);
    default:
      return undefined;
  }
}

function call({ token, place }: CallContext): Record<string, unknown> | undefined {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: place.account,
        arn: `arn:aws:iam::${place.account}:user/mock`,
        userId: "AIDAMOCK",
        id: place.account,
      };
    case "aws:index/getRegion:getRegion":
      return {
        name: place.region,
        region: place.region,
        id: place.region,
        endpoint: `ec2.${place.region}.amazonaws.com`,
      };
    default:
      return undefined;
  }
}

/** Caller identity and Region, CloudWatch Logs and alarms, RAM associations, random values. */
export const otherServices: ServiceMock = { id, outputs, call };
