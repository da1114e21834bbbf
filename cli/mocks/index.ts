/**
 * The one mock model of AWS that tests and the offline planner share (see `mockModel.ts`): the runtime in
 * `cli/mockRuntime.ts` hands it each registration and call as plain data.
 */
export {
  DEFAULT_ACCOUNT,
  DEFAULT_REGION,
  type MockCallRequest,
  MockModel,
  type MockModelOptions,
  type MockResourceAnswer,
  type MockResourceRequest,
  type MockSecret,
  type MockZone,
  mockAvailabilityZones,
  mockSecret,
  type StackOutputs,
} from "./mockModel";
