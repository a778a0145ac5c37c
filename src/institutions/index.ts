/** The institutions module's public surface. */
export { InstitutionsModule } from './institutions.module.js';
export { InstitutionsSequencedModule } from './institutions.sequenced-module.js';
export { InstitutionsBootstrap, type DemoStep } from './bootstrap/institutions.bootstrap.js';
export { DEMO_NETWORK, type DemoInstitution } from './bootstrap/demo-network.js';
export { readKeysFile, signerOf, type KeyEntry, type KeysFile } from './bootstrap/keys-file.js';
export { AllowKinds, AuthenticatedCaller, Public, metadataOf, type Caller } from '../platform/auth/caller.js';
export { forbiddenRole, forbiddenScope, conflict, notFound, unprocessable } from './domain/authorization.js';
export * from './domain/chart-of-accounts.js';
export type { Institution, InstitutionKind, InstitutionRole, Jurisdiction } from './domain/institution.js';
export { InstitutionsState } from './domain/institutions.state.js';
export { SYSTEM_ACTOR } from './domain/institutions.decider.js';
export { institutionView } from './institution.view.js';
