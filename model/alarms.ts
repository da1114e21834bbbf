/**
 * Which CloudWatch alarms page and which only warn, as plain data the components register.
 *
 * AWS takes one tunnel of a Site-to-Site VPN connection down for maintenance routinely (tunnel endpoint
 * replacements; the other tunnel carries the traffic), so a single tunnel down is a warning, never a page. The
 * page is connection-level: both tunnels of a connection down (TunnelState, 1 up and 0 down per tunnel, at most
 * 0 over both), or a site on transit gateway ECMP whose tunnels up carry less than its declared bandwidth. A
 * Direct Connect connection (AWS/DX ConnectionState, 1 up, 0 down) and a VIF's BGP session (AWS/DX
 * VirtualInterfaceBgpStatus, 1 up, 0 down) page when down. No Pulumi import.
 */
import type { Problems } from "./errors";
import type { EcmpPlan } from "./vpn";

/** CloudWatch Site-to-Site VPN metrics. */
export const VPN_NAMESPACE = "AWS/VPN";
/** CloudWatch Direct Connect metrics. */
export const DX_NAMESPACE = "AWS/DX";
/** Per tunnel (dimensions VpnId, TunnelIpAddress): 1 up (BGP: established), 0 down; per VpnId alone the share of tunnels up. */
export const TUNNEL_STATE = "TunnelState";
/** Per connection (dimension ConnectionId): 1 up, 0 down. */
export const CONNECTION_STATE = "ConnectionState";
/** Per VIF (dimensions ConnectionId, VirtualInterfaceId): 1 BGP up, 0 down. */
export const VIF_BGP_STATUS = "VirtualInterfaceBgpStatus";
/** AWS/VPN publishes every 5 minutes. */
export const ALARM_PERIOD_SECONDS = 300;
/** CloudWatch: an alarm on a metric math expression references at most 10 metrics (a hard limit). */
export const MAX_ALARM_METRICS = 10;

/** An SNS topic ARN, what an alarm action names to notify (page) someone. */
export const SNS_TOPIC_ARN =
  /^arn:aws(?:-cn|-us-gov)?:sns:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
export const SNS_TOPIC_RULE = "an SNS topic ARN: arn:aws:sns:<region>:<12-digit account>:<topic>";

/** Why `value` is not an SNS topic ARN, or undefined when it is. Values that are not strings (Outputs) pass. */
export function snsTopicArnProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return SNS_TOPIC_RULE;
  return SNS_TOPIC_ARN.test(value) ? undefined : SNS_TOPIC_RULE;
}

/** CloudWatch: evaluation periods × period may not exceed one day (PutMetricAlarm, EvaluationPeriods). */
const MAX_EVALUATION_SECONDS = 86_400;

/**
 * Records a problem at `path` when `periods` is given and is not an integer from 1 to a day's worth of
 * `periodSeconds` periods (CloudWatch evaluates at most one day): 1–288 five-minute periods, 1–1440 one-minute
 * periods.
 */
export function checkEvaluationPeriods(
  problems: Problems,
  path: string,
  periods: unknown,
  periodSeconds: 60 | 300 = 300,
): void {
  const max = MAX_EVALUATION_SECONDS / periodSeconds;
  if (
    periods !== undefined &&
    (typeof periods !== "number" || !Number.isInteger(periods) || periods < 1 || periods > max)
  )
    problems.add(
      path,
      periods,
      `an integer in 1–${max} (${periodSeconds === 60 ? "one-minute" : "five-minute"} periods, up to a day)`,
    );
}

/** What production requires of `hybridnet:alarms.actions`, in the error a user reads. */
export const PROD_ALARM_ACTIONS_RULE =
  "required in production: at least one SNS topic ARN (arn:aws:sns:<region>:<12-digit account>:<topic>) to page when a VPN connection or a Direct Connect link is down";

/**
 * Records a problem at `path` when a production stack names no alarm action: an alarm that notifies nobody
 * turns an outage into a discovery by the users.
 */
export function checkProdAlarmActions(problems: Problems, path: string, actions: unknown): void {
  if (!Array.isArray(actions) || actions.length === 0) problems.add(path, actions, PROD_ALARM_ACTIONS_RULE);
}

/**
 * The site-level capacity alarm of a site on transit gateway ECMP with a declared bandwidth: the tunnels up
 * (per connection, the share of its two tunnels up, TunnelState by VpnId) times the tunnel bandwidth, below
 * the declared Gbps. Undefined where no bandwidth is declared or ECMP does not spread the load (one tunnel
 * carries it; the connection alarm covers that), and where the site has more connections than an alarm can
 * reference metrics.
 */
export interface CapacityAlarmPlan {
  /** The metric math over metrics `c1`…`cN` (one per connection, in plan order). */
  expression: string;
  /** Gbps below which the alarm pages: the declared bandwidth. */
  thresholdGbps: number;
  connections: number;
}

/** The capacity alarm of a site, from its ECMP plan; see {@link CapacityAlarmPlan}. */
export function capacityAlarmPlan(ecmp: EcmpPlan | undefined): CapacityAlarmPlan | undefined {
  if (!ecmp || ecmp.requiredGbps <= 0 || ecmp.activeTunnels < 2) return undefined;
  if (ecmp.connections > MAX_ALARM_METRICS) return undefined;
  const ids = Array.from({ length: ecmp.connections }, (_, i) => `c${i + 1}`);
  return {
    // Each VpnId series is the share of the connection's two tunnels up: ×2 tunnels × Gbps per tunnel.
    expression: `SUM([${ids.join(", ")}]) * 2 * ${ecmp.perTunnelGbps}`,
    thresholdGbps: ecmp.requiredGbps,
    connections: ecmp.connections,
  };
}
