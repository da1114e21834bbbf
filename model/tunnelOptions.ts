/**
 * IPsec tunnel options of a Site-to-Site VPN connection: the values AWS accepts, the secure defaults
 * hybridnet applies, and which settings count as weak. Components and the policy pack share these.
 */
import type { Problems } from "./errors";

/** Site-to-Site VPN: an IKE version a tunnel accepts. IKEv1 counts as legacy crypto. */
export const IkeVersion = { Ikev1: "ikev1", Ikev2: "ikev2" } as const;
/** Site-to-Site VPN: an IKE version a tunnel accepts. IKEv1 counts as legacy crypto. */
export type IkeVersion = (typeof IkeVersion)[keyof typeof IkeVersion];
/** Site-to-Site VPN: a phase 1 or phase 2 encryption algorithm. AES128 counts as legacy crypto in phase 1. */
export const EncryptionAlgorithm = {
  Aes128: "AES128",
  Aes256: "AES256",
  Aes128Gcm16: "AES128-GCM-16",
  Aes256Gcm16: "AES256-GCM-16",
} as const;
/** Site-to-Site VPN: a phase 1 or phase 2 encryption algorithm. AES128 counts as legacy crypto in phase 1. */
export type EncryptionAlgorithm = (typeof EncryptionAlgorithm)[keyof typeof EncryptionAlgorithm];
/** Site-to-Site VPN: a phase 1 or phase 2 integrity algorithm. SHA1 counts as legacy crypto in phase 1. */
export const IntegrityAlgorithm = {
  Sha1: "SHA1",
  Sha2_256: "SHA2-256",
  Sha2_384: "SHA2-384",
  Sha2_512: "SHA2-512",
} as const;
/** Site-to-Site VPN: a phase 1 or phase 2 integrity algorithm. SHA1 counts as legacy crypto in phase 1. */
export type IntegrityAlgorithm = (typeof IntegrityAlgorithm)[keyof typeof IntegrityAlgorithm];
/** Site-to-Site VPN: what AWS does when dead peer detection times out (AWS's own default is "clear"). */
export const DpdTimeoutAction = { Clear: "clear", None: "none", Restart: "restart" } as const;
/** Site-to-Site VPN: what AWS does when dead peer detection times out (AWS's own default is "clear"). */
export type DpdTimeoutAction = (typeof DpdTimeoutAction)[keyof typeof DpdTimeoutAction];
/** Site-to-Site VPN: who starts IKE: "add" (the customer gateway) or "start" (AWS; IKEv2 only). */
export const StartupAction = { Add: "add", Start: "start" } as const;
/** Site-to-Site VPN: who starts IKE: "add" (the customer gateway) or "start" (AWS; IKEv2 only). */
export type StartupAction = (typeof StartupAction)[keyof typeof StartupAction];

/** Site-to-Site VPN: IKE versions a tunnel accepts. */
export const IKE_VERSIONS: readonly IkeVersion[] = Object.values(IkeVersion);
/** Site-to-Site VPN: phase 1 and phase 2 encryption algorithms. */
export const ENCRYPTION_ALGORITHMS: readonly EncryptionAlgorithm[] = Object.values(EncryptionAlgorithm);
/** Site-to-Site VPN: phase 1 and phase 2 integrity algorithms. */
export const INTEGRITY_ALGORITHMS: readonly IntegrityAlgorithm[] = Object.values(IntegrityAlgorithm);
/** Site-to-Site VPN: what AWS does when dead peer detection times out. */
export const DPD_TIMEOUT_ACTIONS: readonly DpdTimeoutAction[] = Object.values(DpdTimeoutAction);
/** Site-to-Site VPN: who starts IKE. */
export const STARTUP_ACTIONS: readonly StartupAction[] = Object.values(StartupAction);
/** Site-to-Site VPN: phase 1 Diffie-Hellman groups. */
export const PHASE1_DH_GROUPS = [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24] as const;
/** Site-to-Site VPN: phase 2 Diffie-Hellman groups (phase 2 also takes group 5). */
export const PHASE2_DH_GROUPS = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24] as const;
/** Site-to-Site VPN: phase 1 lifetime 900–28,800 s. */
export const PHASE1_LIFETIME = [900, 28800] as const;
/** Site-to-Site VPN: phase 2 lifetime 900–3,600 s, and less than the phase 1 lifetime. */
export const PHASE2_LIFETIME = [900, 3600] as const;
/** Site-to-Site VPN: dead peer detection timeout of at least 30 s. */
export const MIN_DPD_TIMEOUT = 30;
/** Site-to-Site VPN: replay window 64–2,048 packets. */
export const REPLAY_WINDOW = [64, 2048] as const;
/** Site-to-Site VPN: rekey fuzz 0–100 %. */
export const REKEY_FUZZ = [0, 100] as const;
/** Site-to-Site VPN: rekey margin from 60 s up to half the phase 2 lifetime. */
export const MIN_REKEY_MARGIN = 60;

/** What one tunnel of a VPN connection negotiates. Every field is optional; defaults are the secure ones. */
export interface TunnelOptions {
  /** IKE versions. @default ["ikev2"]. IKEv1 counts as legacy crypto. */
  ikeVersions?: IkeVersion[];
  /** Phase 1 encryption. @default ["AES256", "AES256-GCM-16"]. AES128 counts as legacy crypto. */
  phase1EncryptionAlgorithms?: EncryptionAlgorithm[];
  /** Phase 2 encryption. @default ["AES256", "AES256-GCM-16"]. */
  phase2EncryptionAlgorithms?: EncryptionAlgorithm[];
  /** Phase 1 integrity. @default ["SHA2-256", "SHA2-384", "SHA2-512"]. SHA1 counts as legacy crypto. */
  phase1IntegrityAlgorithms?: IntegrityAlgorithm[];
  /** Phase 2 integrity. @default ["SHA2-256", "SHA2-384", "SHA2-512"]. */
  phase2IntegrityAlgorithms?: IntegrityAlgorithm[];
  /** Phase 1 DH groups. @default [14, 15, 16, 17, 18, 19, 20, 21]. AWS also takes 2 and 22–24 (legacy crypto). */
  phase1DhGroupNumbers?: number[];
  /** Phase 2 DH groups. @default [14, 15, 16, 17, 18, 19, 20, 21]. AWS also takes 2, 5 and 22–24 (legacy). */
  phase2DhGroupNumbers?: number[];
  /** Phase 1 lifetime in seconds. @default 28800. AWS: 900–28,800. */
  phase1LifetimeSeconds?: number;
  /** Phase 2 lifetime in seconds. @default 3600. AWS: 900–3,600 and below the phase 1 lifetime. */
  phase2LifetimeSeconds?: number;
  /** Dead peer detection timeout in seconds. @default 30. AWS: at least 30. */
  dpdTimeoutSeconds?: number;
  /** What AWS does when DPD times out. @default "restart" (AWS's own default, "clear", leaves the tunnel down). */
  dpdTimeoutAction?: DpdTimeoutAction;
  /** Who starts IKE: "add" (the customer gateway) or "start" (AWS; IKEv2 only). @default "add". */
  startupAction?: StartupAction;
  /** Rekey margin in seconds. @default 270. AWS: 60 up to half the phase 2 lifetime. */
  rekeyMarginTimeSeconds?: number;
  /** Rekey fuzz in percent. @default 100. AWS: 0–100. */
  rekeyFuzzPercentage?: number;
  /** IKE replay window in packets. @default 1024. AWS: 64–2,048. */
  replayWindowSize?: number;
  /** Lets you choose when AWS replaces a tunnel endpoint during maintenance. @default false. */
  enableTunnelLifecycleControl?: boolean;
  /**
   * Accept IKEv1, AES128, SHA1 or DH groups 2, 5, 22–24 for a device that cannot do better. Without it those
   * values are refused. @default false.
   */
  allowLegacyCrypto?: boolean;
}

/** Tunnel options with every default filled in, as registered on the VPN connection. */
export type ResolvedTunnelOptions = Required<Omit<TunnelOptions, "allowLegacyCrypto">>;

export const SECURE_TUNNEL_DEFAULTS: ResolvedTunnelOptions = {
  ikeVersions: ["ikev2"],
  phase1EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  phase2EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  phase1IntegrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
  phase2IntegrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
  phase1DhGroupNumbers: [14, 15, 16, 17, 18, 19, 20, 21],
  phase2DhGroupNumbers: [14, 15, 16, 17, 18, 19, 20, 21],
  phase1LifetimeSeconds: 28800,
  phase2LifetimeSeconds: 3600,
  dpdTimeoutSeconds: 30,
  dpdTimeoutAction: "restart",
  startupAction: "add",
  rekeyMarginTimeSeconds: 270,
  rekeyFuzzPercentage: 100,
  replayWindowSize: 1024,
  enableTunnelLifecycleControl: false,
};

/** The settings a security review flags: IKEv1, AES128, SHA1, and DH groups below `minDhGroup` or 22–24. */
export interface WeakSetting {
  field: keyof TunnelOptions;
  values: (string | number)[];
  why: string;
}

/**
 * Weak settings in resolved tunnel options. RFC 8247 deprecates SHA1 and DH groups 2/5 for IKEv2, and
 * groups 22–24 (MODP with prime-order subgroups) are not recommended; AES128 and IKEv1 fall short of the
 * AES-256 / IKEv2 baseline hybridnet holds to.
 */
export function weakTunnelSettings(options: Partial<ResolvedTunnelOptions>, minDhGroup = 14): WeakSetting[] {
  const weak: WeakSetting[] = [];
  const pick = <T extends string | number>(
    field: keyof TunnelOptions,
    values: readonly T[] | undefined,
    bad: (v: T) => boolean,
    why: string,
  ) => {
    const found = (values ?? []).filter(bad);
    if (found.length > 0) weak.push({ field, values: found, why });
  };
  pick("ikeVersions", options.ikeVersions, (v) => v === "ikev1", "IKEv1 is legacy; use ikev2");
  for (const field of ["phase1EncryptionAlgorithms", "phase2EncryptionAlgorithms"] as const)
    pick(field, options[field], (v) => v.startsWith("AES128"), "AES-128 is below the AES-256 baseline");
  for (const field of ["phase1IntegrityAlgorithms", "phase2IntegrityAlgorithms"] as const)
    pick(
      field,
      options[field],
      (v) => v === "SHA1",
      "SHA1 is deprecated (RFC 8247); use SHA2-256 or stronger",
    );
  for (const field of ["phase1DhGroupNumbers", "phase2DhGroupNumbers"] as const)
    pick(
      field,
      options[field],
      (v) => v < minDhGroup || v >= 22,
      `DH groups below ${minDhGroup} and 22–24 are weak; use ${minDhGroup}–21`,
    );
  return weak;
}

function checkList<T extends string | number>(
  problems: Problems,
  path: string,
  value: unknown,
  allowed: readonly T[],
): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => !allowed.includes(v as T)))
    problems.add(path, value, `a non-empty list of ${allowed.join(", ")}`);
  else if (new Set(value).size !== value.length) problems.add(path, value, "each value once");
}

function checkRange(problems: Problems, path: string, value: unknown, lo: number, hi: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi)
    problems.add(path, value, `an integer in ${lo}–${hi}`);
}

/**
 * Checks tunnel options against what AWS accepts and the secure baseline, records problems under `path`,
 * and returns the options with defaults filled in.
 */
export function resolveTunnelOptions(
  options: TunnelOptions | undefined,
  path: string,
  problems: Problems,
): ResolvedTunnelOptions {
  const o = options ?? {};
  checkList(problems, `${path}.ikeVersions`, o.ikeVersions, IKE_VERSIONS);
  checkList(
    problems,
    `${path}.phase1EncryptionAlgorithms`,
    o.phase1EncryptionAlgorithms,
    ENCRYPTION_ALGORITHMS,
  );
  checkList(
    problems,
    `${path}.phase2EncryptionAlgorithms`,
    o.phase2EncryptionAlgorithms,
    ENCRYPTION_ALGORITHMS,
  );
  checkList(problems, `${path}.phase1IntegrityAlgorithms`, o.phase1IntegrityAlgorithms, INTEGRITY_ALGORITHMS);
  checkList(problems, `${path}.phase2IntegrityAlgorithms`, o.phase2IntegrityAlgorithms, INTEGRITY_ALGORITHMS);
  checkList(problems, `${path}.phase1DhGroupNumbers`, o.phase1DhGroupNumbers, PHASE1_DH_GROUPS);
  checkList(problems, `${path}.phase2DhGroupNumbers`, o.phase2DhGroupNumbers, PHASE2_DH_GROUPS);
  checkRange(problems, `${path}.phase1LifetimeSeconds`, o.phase1LifetimeSeconds, ...PHASE1_LIFETIME);
  checkRange(problems, `${path}.phase2LifetimeSeconds`, o.phase2LifetimeSeconds, ...PHASE2_LIFETIME);
  checkRange(
    problems,
    `${path}.dpdTimeoutSeconds`,
    o.dpdTimeoutSeconds,
    MIN_DPD_TIMEOUT,
    Number.MAX_SAFE_INTEGER,
  );
  checkRange(problems, `${path}.rekeyFuzzPercentage`, o.rekeyFuzzPercentage, ...REKEY_FUZZ);
  checkRange(problems, `${path}.replayWindowSize`, o.replayWindowSize, ...REPLAY_WINDOW);
  if (o.dpdTimeoutAction !== undefined && !DPD_TIMEOUT_ACTIONS.includes(o.dpdTimeoutAction))
    problems.add(`${path}.dpdTimeoutAction`, o.dpdTimeoutAction, `one of ${DPD_TIMEOUT_ACTIONS.join(", ")}`);
  if (o.startupAction !== undefined && !STARTUP_ACTIONS.includes(o.startupAction))
    problems.add(`${path}.startupAction`, o.startupAction, `one of ${STARTUP_ACTIONS.join(", ")}`);
  const { allowLegacyCrypto, ...given } = o;
  const resolved: ResolvedTunnelOptions = { ...SECURE_TUNNEL_DEFAULTS, ...stripUndefined(given) };
  if (resolved.phase2LifetimeSeconds >= resolved.phase1LifetimeSeconds)
    problems.add(
      `${path}.phase2LifetimeSeconds`,
      resolved.phase2LifetimeSeconds,
      `less than the phase 1 lifetime (${resolved.phase1LifetimeSeconds} s)`,
    );
  const maxMargin = Math.floor(resolved.phase2LifetimeSeconds / 2);
  checkRange(
    problems,
    `${path}.rekeyMarginTimeSeconds`,
    o.rekeyMarginTimeSeconds,
    MIN_REKEY_MARGIN,
    maxMargin,
  );
  if (resolved.startupAction === "start" && resolved.ikeVersions.includes("ikev1"))
    problems.add(
      `${path}.startupAction`,
      "start",
      'AWS starts IKE only over IKEv2; use "add" or ikeVersions ["ikev2"]',
    );
  if (!allowLegacyCrypto)
    for (const w of weakTunnelSettings(resolved))
      problems.add(
        `${path}.${w.field}`,
        w.values,
        `${w.why}; or set allowLegacyCrypto: true for a device that cannot do better`,
      );
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
