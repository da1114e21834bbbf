import { EC2_TYPES, unencryptedVolumeProblems } from "../../model/softwareVpn/policy";
import { resourceRule } from "../lib/rules";

export const ebsEncrypted = resourceRule({
  name: "ebs-encrypted",
  description:
    "EBS volumes are encrypted (instances' root and attached devices, launch templates' mappings, volumes), set explicitly: a VPN appliance's disk holds its pre-shared keys and configuration, and the account's encryption-by-default setting is not visible to a plan.",
  enforcementLevel: "mandatory",
  types: [EC2_TYPES.instance, EC2_TYPES.launchTemplate, EC2_TYPES.volume],
  check: (r) => unencryptedVolumeProblems(r),
});
