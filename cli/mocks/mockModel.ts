/**
 * The one mock model of AWS and random that tests and the offline planner share. Given a resource's type,
 * name and inputs it answers as the provider would after create: an id with the AWS prefix for the type,
 * an ARN in the account and region of the resource's provider, and the computed outputs later code reads
 * (tunnel addresses, attachment ids, generated secrets). Answers are a pure function of the resource, its
 * stack and its provider's account and region, so a plan is the same on every run, and two stacks or two
 * accounts that name a resource alike get different ids, as in AWS. No Pulumi import: the runtime glue lives
 * with its callers and hands this model plain data.
 *
 * This file holds what every resource goes through (providers and where a resource lands, StackReferences,
 * ids, ARNs, owner and tags) and hands each resource and call to the parts that model one AWS service each:
 * `ec2Vpc`, `transitGateway`, `siteToSiteVpn`, `directConnect`, `privateLink` (with ELB), `clientVpn`,
 * `ec2Instances` (instances, Elastic IPs, IAM roles) and `otherServices` (caller identity, CloudWatch, RAM, random).
 */

import { clientVpn } from "./clientVpn";
import { directConnect } from "./directConnect";
import { ec2Instances } from "./ec2Instances";
import { awsxVpc, ec2Vpc } from "./ec2Vpc";
import { autoNamedState, otherServices } from "./otherServices";
import { privateLink } from "./privateLink";
import {
  ARN_PATH,
  awsId,
  DEFAULT_ACCOUNT,
  DEFAULT_REGION,
  digest,
  type IdContext,
  type MockCallRequest,
  type MockResourceAnswer,
  type MockResourceRequest,
  type MockSecret,
  MockState,
  type Placement,
  prefixFor,
  SECRET_SIG,
  SECRET_VALUE,
  type ServiceMock,
} from "./shared";
import { siteToSiteVpn } from "./siteToSiteVpn";
import { transitGateway } from "./transitGateway";

/** The parts of the model, one per AWS service or group of them; each answers only for its own types. */
const SERVICES: ServiceMock[] = [
  ec2Vpc,
  transitGateway,
  siteToSiteVpn,
  directConnect,
  privateLink,
  clientVpn,
  ec2Instances,
  otherServices,
];

/** The outputs of other stacks, by fully qualified name (`organization/hybridnet/connectivity-dev`). */
export type StackOutputs = Record<string, Record<string, unknown>>;

export interface MockModelOptions {
  /**
   * The stack the program runs as (`workload-app-dev`): part of every resource's identity, with its provider's
   * account and region. @default "" (one unnamed stack).
   */
  stack?: string;
  /**
   * Outputs of the stacks a program references, as their last deployment left them: a StackReference to a
   * stack listed here reads these (values wrapped with {@link mockSecret} stay secret); to any other stack,
   * no outputs, as a stack initialized but not yet deployed.
   */
  stackOutputs?: StackOutputs;
}

/**
 * The mock model. One instance serves one program run: it remembers the providers registered so far, so a
 * resource created through an assume-role provider lands in that account and region.
 */
export class MockModel {
  private readonly placements = new Map<string, Placement>();
  /** What the service parts remember of the resources registered so far. */
  private readonly state = new MockState();
  private readonly stackOutputs: StackOutputs;
  private readonly stack: string;

  constructor(options: MockModelOptions = {}) {
    this.stackOutputs = options.stackOutputs ?? {};
    this.stack = options.stack ?? "";
  }

  /**
   * What every generated value of a resource derives from: its stack, account, region, type and name. Within
   * one stack a type and name are unique (Pulumi's URN); the account and region keep two providers' resources
   * of one name apart.
   */
  private seedOf(place: Placement, type: string, name: string): string {
    return `${this.stack}/${place.account}/${place.region}/${type}::${name}`;
  }

  /** Answers a resource registration (the `newResource` half of `pulumi.runtime.Mocks`). */
  newResource(request: MockResourceRequest): MockResourceAnswer {
    const { type, name, inputs } = request;
    if (type.startsWith("pulumi:providers:")) return this.provider(request);
    if (type === "pulumi:pulumi:StackReference") return this.stackReference(request);
    const place = this.placement(request.provider);
    const seed = this.seedOf(place, type, name);
    if (type === "awsx:ec2:Vpc") return awsxVpc(request, seed, this.state);
    const resource: IdContext = { type, name, inputs, seed, place, state: this.state };
    const id = request.id || this.idOf(resource);
    const state: Record<string, unknown> = { ...inputs, ...autoNamedState(type, name, inputs, seed) };
    const arnPath = ARN_PATH[type];
    const service = type.startsWith("aws:") ? arnPath?.(id, state) : undefined;
    if (service) {
      const [svc, ...rest] = service.split(":");
      state.arn = `arn:aws:${svc}:${place.region}:${place.account}:${rest.join(":")}`;
    }
    if (type.startsWith("aws:")) {
      state.ownerId = place.account;
      state.tagsAll = inputs.tags ?? {};
    }
    const withId = { ...resource, id };
    for (const part of SERVICES) Object.assign(state, part.outputs?.(withId));
    return { id, state };
  }

  /** Answers provider function calls (`call` half of `pulumi.runtime.Mocks`) the programs make. */
  call(request: MockCallRequest): Record<string, unknown> {
    const call = {
      token: request.token,
      inputs: request.inputs,
      place: this.placement(request.provider),
      state: this.state,
    };
    for (const part of SERVICES) {
      const answer = part.call?.(call);
      if (answer) return answer;
    }
    return request.inputs;
  }

  /** The id AWS gives the resource: a service part's, else the type's prefix and a hash of its identity. */
  private idOf(resource: IdContext): string {
    for (const part of SERVICES) {
      const id = part.id?.(resource);
      if (id !== undefined) return id;
    }
    return awsId(prefixFor(resource.type), resource.seed);
  }

  private provider(request: MockResourceRequest): MockResourceAnswer {
    const inputs = request.inputs;
    // @pulumi/aws sends a provider's object and list inputs as JSON text.
    const json = <T>(value: unknown): T | undefined =>
      typeof value === "string" ? (JSON.parse(value) as T) : (value as T | undefined);
    const roles = json<{ roleArn?: string }[]>(inputs.assumeRoles);
    const roleArn = roles?.[0]?.roleArn ?? json<{ roleArn?: string }>(inputs.assumeRole)?.roleArn;
    const account =
      roleArn?.split(":")[4] || json<string[]>(inputs.allowedAccountIds)?.[0] || DEFAULT_ACCOUNT;
    const region = typeof inputs.region === "string" ? inputs.region : DEFAULT_REGION;
    const id = digest(this.seedOf({ account, region }, request.type, request.name)).slice(0, 36);
    this.placements.set(id, { account, region });
    return { id, state: inputs };
  }

  /** A StackReference reads the outputs registered for the stack; a stack not deployed yet has none. */
  private stackReference(request: MockResourceRequest): MockResourceAnswer {
    const name = String(request.inputs.name ?? request.name);
    const outputs = this.stackOutputs[name] ?? {};
    const secretOutputNames = Object.entries(outputs)
      .filter(
        ([, v]) => typeof v === "object" && v !== null && (v as MockSecret)[SECRET_SIG] === SECRET_VALUE,
      )
      .map(([k]) => k)
      .sort();
    return { id: name, state: { name, outputs, secretOutputNames } };
  }

  /** Provider references arrive as `<urn>::<id>`; the id is what `provider()` remembered. */
  private placement(provider: string | undefined): Placement {
    const id = provider?.split("::").pop();
    return (id && this.placements.get(id)) || { account: DEFAULT_ACCOUNT, region: DEFAULT_REGION };
  }
}
