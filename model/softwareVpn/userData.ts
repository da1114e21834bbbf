/**
 * The boot configuration of an appliance instance: cloud-init `#cloud-config` user data that installs strongSwan
 * and FRR from Debian 12, writes the rendered configuration files, turns the instance into a router (IP
 * forwarding on, ICMP redirects off, loose reverse-path filtering for the tunnels' asymmetric paths), starts the
 * daemons and the failover watchdog. A pure function of plain values: the component resolves the files'
 * contents (secrets included) and calls it inside one `pulumi.all`. No Pulumi import.
 */
import { constants, gzipSync } from "node:zlib";
import * as yaml from "js-yaml";
import { type XfrmInterface, xfrmInterfacesOf } from "../deviceConfig/strongswan";
import { APPLIANCE_PACKAGES, type ApplianceInstancePlan, type ApplianceWatchdogPlan } from "./appliance";

/** Where the watchdog's settings and program live on the instance. */
export const WATCHDOG_ENV_PATH = "/etc/hybridnet/watchdog.env";
export const WATCHDOG_PROGRAM_PATH = "/usr/local/sbin/hybridnet-watchdog";
export const WATCHDOG_UNIT = "hybridnet-watchdog.service";
export const WATCHDOG_UNIT_PATH = `/etc/systemd/system/${WATCHDOG_UNIT}`;
export const SYSCTL_PATH = "/etc/sysctl.d/90-hybridnet-router.conf";

/** The kernel settings of a router: forward IPv4, send no redirects, accept packets from the tunnels. */
export const ROUTER_SYSCTLS: Readonly<Record<string, string>> = {
  "net.ipv4.ip_forward": "1",
  "net.ipv4.conf.all.send_redirects": "0",
  "net.ipv4.conf.default.send_redirects": "0",
  "net.ipv4.conf.all.rp_filter": "2",
  "net.ipv4.conf.default.rp_filter": "2",
};

/** The program that creates the tunnels' XFRM interfaces, and the unit that runs it before strongSwan. */
export const XFRM_PROGRAM_PATH = "/usr/local/sbin/hybridnet-xfrm";
export const XFRM_UNIT = "hybridnet-xfrm.service";
export const XFRM_UNIT_PATH = `/etc/systemd/system/${XFRM_UNIT}`;

/**
 * The XFRM interfaces of the instance's swanctl.conf (each CHILD_SA's `if_id_in`/`if_id_out`), created on the
 * uplink (the interface of the default route: `ens5` on Nitro) with the instance's inside address of each
 * tunnel. Idempotent: a oneshot unit runs it at every boot before strongSwan and FRR, since interfaces do not
 * survive a reboot and cloud-init's runcmd runs only at the first.
 */
export function xfrmProgram(interfaces: readonly XfrmInterface[]): string {
  const lines = [
    "#!/bin/sh",
    "# hybridnet: the XFRM interfaces swanctl.conf binds its tunnels to (if_id_in/if_id_out), before strongSwan loads.",
    "set -e",
    "UPLINK=$(ip -o route show default | awk '{print $5; exit}')",
  ];
  for (const i of interfaces)
    lines.push(
      `ip link show ${i.name} >/dev/null 2>&1 || ip link add ${i.name} type xfrm dev "$UPLINK" if_id ${i.ifId}`,
      `ip address replace ${i.address} dev ${i.name}`,
      `ip link set ${i.name} up`,
    );
  return `${lines.join("\n")}\n`;
}

/** The oneshot unit that creates the XFRM interfaces at every boot, ordered before strongSwan and FRR. */
export const XFRM_UNIT_FILE = `[Unit]
Description=hybridnet XFRM interfaces of the VPN tunnels (bound by if_id in swanctl.conf)
After=network-online.target
Wants=network-online.target
Before=strongswan.service frr.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${XFRM_PROGRAM_PATH}

[Install]
WantedBy=multi-user.target
`;

/** Everything one instance's user data holds. */
export interface ApplianceUserDataInput {
  instance: ApplianceInstancePlan;
  /** File contents by the instance's `configFiles` key (resolved; may hold secrets). */
  contents: Record<string, string>;
  /** Route table ids the watchdog moves (resolved). */
  routeTableIds: string[];
  destinations: string[];
  watchdog: ApplianceWatchdogPlan;
}

/** One `write_files` entry of cloud-config. */
export interface CloudConfigFile {
  path: string;
  content: string;
  owner: string;
  permissions: string;
  /** Written after the packages are installed (the final stage), so a package's default never replaces it. */
  defer: boolean;
}

/** The cloud-config document (the parts this package writes). */
export interface CloudConfig {
  package_update: boolean;
  packages: string[];
  write_files: CloudConfigFile[];
  runcmd: string[][];
}

/**
 * The watchdog (bash): pings the other instance's fixed private address; after `FAILURES` misses in a row, and
 * only while its own strongSwan runs, points each declared route at itself unless it already does. It acts once
 * per outage (a reply resets it) and never hands routes back: failing back is a deployment (`pulumi up
 * --refresh` points them at the primary again), so a flapping primary cannot bounce the routes.
 */
export const WATCHDOG_PROGRAM = `#!/bin/bash
# hybridnet failover watchdog: moves the VPC routes to this instance when the other appliance stops answering.
set -u
. ${WATCHDOG_ENV_PATH}
imds() {
  local token
  token=$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 300" http://169.254.169.254/latest/api/token) &&
    curl -sf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}
SELF=$(imds instance-id)
REGION=$(imds placement/region)
misses=0
moved=0
while true; do
  if ping -c 1 -W 1 "$PEER_IP" >/dev/null 2>&1; then
    misses=0
    moved=0
  else
    misses=$((misses + 1))
  fi
  if [ "$misses" -ge "$FAILURES" ] && [ "$moved" -eq 0 ] && systemctl is-active --quiet strongswan; then
    moved=1
    for rtb in $ROUTE_TABLES; do
      for dest in $DESTINATIONS; do
        target=$(aws ec2 describe-route-tables --region "$REGION" --route-table-ids "$rtb" \\
          --query "RouteTables[0].Routes[?DestinationCidrBlock=='$dest'].InstanceId | [0]" --output text)
        [ "$target" = "$SELF" ] && continue
        if aws ec2 replace-route --region "$REGION" --route-table-id "$rtb" --destination-cidr-block "$dest" --instance-id "$SELF" ||
          aws ec2 create-route --region "$REGION" --route-table-id "$rtb" --destination-cidr-block "$dest" --instance-id "$SELF"; then
          logger -t hybridnet-watchdog "$PEER_IP missed $misses checks: $rtb $dest now via $SELF (was $target)"
        else
          moved=0
          logger -t hybridnet-watchdog "$PEER_IP missed $misses checks: could not point $rtb $dest at $SELF"
        fi
      done
    done
  fi
  sleep "$INTERVAL"
done
`;

/** The systemd unit that keeps the watchdog running, started after strongSwan. */
export const WATCHDOG_UNIT_FILE = `[Unit]
Description=hybridnet failover watchdog (moves VPC routes to this appliance when the other fails)
After=network-online.target strongswan.service
Wants=network-online.target

[Service]
ExecStart=${WATCHDOG_PROGRAM_PATH}
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
`;

function envFile(input: ApplianceUserDataInput): string {
  const lines = {
    ROLE: input.instance.role,
    PEER_IP: input.instance.peerPrivateIp,
    ROUTE_TABLES: input.routeTableIds.join(" "),
    DESTINATIONS: input.destinations.join(" "),
    INTERVAL: String(input.watchdog.intervalSeconds),
    FAILURES: String(input.watchdog.failures),
  };
  return `${Object.entries(lines)
    .map(([k, v]) => `${k}="${v}"`)
    .join("\n")}\n`;
}

/** Owner and mode of a configuration file: FRR reads its own as user frr; strongSwan's hold keys, root only. */
function ownership(path: string): { owner: string; permissions: string } {
  return path.startsWith("/etc/frr/")
    ? { owner: "frr:frr", permissions: "0640" }
    : { owner: "root:root", permissions: "0600" };
}

/** The cloud-config of one instance, as data (see {@link renderApplianceUserData} for the text). */
export function applianceCloudConfig(input: ApplianceUserDataInput): CloudConfig {
  const { instance } = input;
  const configFiles: CloudConfigFile[] = instance.files.map((f) => ({
    path: f.path,
    content: input.contents[f.key] ?? "",
    ...ownership(f.path),
    defer: true,
  }));
  const interfaces = instance.files
    .filter((f) => f.path.startsWith("/etc/swanctl/"))
    .flatMap((f) => xfrmInterfacesOf(input.contents[f.key] ?? ""));
  const xfrm: CloudConfigFile[] =
    interfaces.length === 0
      ? []
      : [
          {
            path: XFRM_PROGRAM_PATH,
            content: xfrmProgram(interfaces),
            owner: "root:root",
            permissions: "0755",
            defer: false,
          },
          {
            path: XFRM_UNIT_PATH,
            content: XFRM_UNIT_FILE,
            owner: "root:root",
            permissions: "0644",
            defer: false,
          },
        ];
  const sysctl = Object.entries(ROUTER_SYSCTLS)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");
  return {
    package_update: true,
    packages: [...APPLIANCE_PACKAGES],
    write_files: [
      ...configFiles,
      { path: SYSCTL_PATH, content: `${sysctl}\n`, owner: "root:root", permissions: "0644", defer: false },
      {
        path: WATCHDOG_ENV_PATH,
        content: envFile(input),
        owner: "root:root",
        permissions: "0644",
        defer: false,
      },
      {
        path: WATCHDOG_PROGRAM_PATH,
        content: WATCHDOG_PROGRAM,
        owner: "root:root",
        permissions: "0755",
        defer: false,
      },
      {
        path: WATCHDOG_UNIT_PATH,
        content: WATCHDOG_UNIT_FILE,
        owner: "root:root",
        permissions: "0644",
        defer: false,
      },
      ...xfrm,
    ],
    runcmd: [
      ["sysctl", "--system"],
      ["systemctl", "daemon-reload"],
      // The interfaces first: strongSwan installs each CHILD_SA on the interface of its if_id, FRR peers over them.
      ...(xfrm.length > 0 ? [["systemctl", "enable", "--now", XFRM_UNIT]] : []),
      ...(instance.frr
        ? [
            ["sed", "-i", "s/^bgpd=no/bgpd=yes/", "/etc/frr/daemons"],
            ["systemctl", "enable", "frr"],
            ["systemctl", "restart", "frr"],
          ]
        : []),
      ["systemctl", "enable", "strongswan"],
      ["systemctl", "restart", "strongswan"],
      ["systemctl", "enable", "--now", WATCHDOG_UNIT],
    ],
  };
}

/** The user data of one instance: `#cloud-config` and the YAML of {@link applianceCloudConfig}. */
export function renderApplianceUserData(input: ApplianceUserDataInput): string {
  return `#cloud-config\n${yaml.dump(applianceCloudConfig(input), { lineWidth: -1, noRefs: true })}`;
}

/** EC2: user data is at most 16 KB in raw form, before base64 encoding (RunInstances). */
export const MAX_USER_DATA_BYTES = 16 * 1024;

/** gzip's operating system byte for Unix (RFC 1952): written whatever system plans, so the bytes never depend on it. */
const GZIP_OS_UNIX = 3;
/** The gzip header's MTIME field (bytes 4–7) and OS byte (9), RFC 1952. */
const GZIP_MTIME_OFFSET = 4;
const GZIP_OS_OFFSET = 9;

/**
 * The user data EC2 receives: the rendered text gzip-compressed. cloud-init uncompresses gzip content and reads it
 * as if it were not compressed ("User-Data Formats": gzip compressed content), so the 16 KB EC2 takes hold about
 * five times as much configuration. Deterministic, so a plan is byte-stable: fixed level, window and memory
 * settings, no file name, MTIME 0 and the Unix OS byte. Node's zlib must stay the same for the bytes to stay
 * the same: a Node upgrade that changes zlib's output changes the user data (and replaces the instances).
 */
export function compressUserData(text: string): Buffer {
  const gzip = gzipSync(Buffer.from(text, "utf8"), {
    level: constants.Z_BEST_COMPRESSION,
    windowBits: 15,
    memLevel: 8,
    strategy: constants.Z_DEFAULT_STRATEGY,
  });
  gzip.writeUInt32LE(0, GZIP_MTIME_OFFSET);
  gzip[GZIP_OS_OFFSET] = GZIP_OS_UNIX;
  return gzip;
}

/** The instance's `userDataBase64`: the compressed user data in base64 (binary data must travel so). */
export function userDataBase64(text: string): string {
  return compressUserData(text).toString("base64");
}

/** The bytes EC2 counts against its 16 KB: the compressed user data's, before base64. */
export function userDataBytes(text: string): number {
  return compressUserData(text).length;
}

/** Why rendered user data `text` cannot launch an instance (its compressed size), or undefined. */
export function userDataSizeProblem(text: string): string | undefined {
  const bytes = userDataBytes(text);
  return bytes > MAX_USER_DATA_BYTES
    ? `the user data these files make is ${bytes} bytes gzip-compressed (${Buffer.byteLength(text, "utf8")} rendered); EC2 takes at most ${MAX_USER_DATA_BYTES} (16 KB): split the configuration`
    : undefined;
}
