/**
 * `authkit-express/testing`: a local WorkOS emulator for testing apps without the network.
 *
 * @module authkit-express/testing
 */
export { startEmulator } from './emulator/server';
export type {
  AuthenticationResult,
  CreateSessionOptions,
  Emulator,
  EmulatorAutoApprove,
  EmulatorClock,
  EmulatorEndpoint,
  EmulatorFault,
  EmulatorImpersonator,
  EmulatorMembership,
  EmulatorOrganization,
  EmulatorOptions,
  EmulatorRequestLogEntry,
  EmulatorRole,
  EmulatorSdkUser,
  EmulatorSettings,
  EmulatorUser,
} from './emulator/types';
