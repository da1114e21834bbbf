/** Type tokens of what the EC2 router components (SoftwareVpnAppliance, SoftwareRemoteAccessVpn) register. */
export const ROUTER_TYPES = {
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  instance: "aws:ec2/instance:Instance",
  eip: "aws:ec2/eip:Eip",
  association: "aws:ec2/eipAssociation:EipAssociation",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  profile: "aws:iam/instanceProfile:InstanceProfile",
  route: "aws:ec2/route:Route",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;
