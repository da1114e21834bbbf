/**
 * The one mock model of AWS that tests and the offline planner share (see `mockModel.ts`): the runtime in
 * `cli/mockRuntime.ts` hands it each registration and call as plain data.
 */
export { type MockZone, mockAvailabilityZones } from "./ec2Vpc";
export { MockModel, type MockModelOptions, type StackOutputs } from "./mockModel";
export {
  DEFAULT_ACCOUNT,
  DEFAULT_REGION,
  type MockCallRequest,
  type MockResourceAnswer,
  type MockResourceRequest,
  type MockSecret,
  mockSecret,
} from "./shared";
