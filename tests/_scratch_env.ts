import { addDataWorkload, editedEnvironment } from "./workloadEnvironments";
const dir = editedEnvironment("sw", (c) => {
  addDataWorkload(c);
  c["workload-app"]["hybridnet:softwareVpnPeering"] = { peer: "payments", side: "a", appliance: { bgpAsn: 65101 } };
  c["workload-payments"]["hybridnet:softwareVpnPeering"] = { peer: "app", side: "b", appliance: { bgpAsn: 65102, instanceType: "t3.small" } };
  c["workload-payments"]["hybridnet:remoteAccessVpn"] = {
    clientPool: "100.64.20.0/24",
    clients: { alice: { publicKey: "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=" } },
    clientSourceCidrs: ["203.0.113.0/24"],
  };
  delete c["workload-data"]["hybridnet:attachment"];
  c["workload-data"]["hybridnet:softwareVpnToHub"] = { segment: "workloads", appliance: { bgpAsn: 65110 } };
});
console.log(dir);
