/** Citizens' personal data: erasure on request (console and CLI). */
export { privacyModule } from './routes.ts';
export { citizenPseudonym, forgetCitizen, previewCitizen } from './forget-citizen.ts';
